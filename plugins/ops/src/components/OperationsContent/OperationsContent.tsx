import Grid from '@material-ui/core/Grid';
import { DeploymentsCard } from '../DeploymentsCard';
import { DoraCard } from '../DoraCard';
import { DrillsCard } from '../DrillsCard';
import { GrafanaPanelsCard } from '../GrafanaPanelsCard';
import { IncidentsCard } from '../IncidentsCard';
import { OnCallCard } from '../OnCallCard';
import { ReadinessCard } from '../ReadinessCard';
import { SloCard } from '../SloCard';
import { RunbooksCard } from '../RunbooksCard';

/**
 * The Operations tab of an entity page.
 *
 * @public
 */
export function OperationsContent() {
  return (
    <Grid container spacing={3} alignItems="stretch">
      <Grid item xs={12} lg={7}>
        <OnCallCard />
      </Grid>
      <Grid item xs={12} lg={5}>
        <RunbooksCard />
      </Grid>
      <Grid item xs={12}>
        <SloCard />
      </Grid>
      <Grid item xs={12}>
        <GrafanaPanelsCard />
      </Grid>
      <Grid item xs={12}>
        <IncidentsCard />
      </Grid>
      <Grid item xs={12} lg={5}>
        <ReadinessCard />
      </Grid>
      <Grid item xs={12} lg={7}>
        <DrillsCard />
      </Grid>
      <Grid item xs={12}>
        <DoraCard />
      </Grid>
      <Grid item xs={12}>
        <DeploymentsCard />
      </Grid>
    </Grid>
  );
}
