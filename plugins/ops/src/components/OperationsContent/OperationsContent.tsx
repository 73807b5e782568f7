import Box from '@material-ui/core/Box';
import Grid from '@material-ui/core/Grid';
import { DeploymentsCard } from '../DeploymentsCard';
import { DoraCard } from '../DoraCard';
import { DrillsCard } from '../DrillsCard';
import { GrafanaPanelsCard } from '../GrafanaPanelsCard';
import { IncidentsCard } from '../IncidentsCard';
import { OnCallCard } from '../OnCallCard';
import { ReadinessCard } from '../ReadinessCard';
import { SloCard } from '../SloCard';
import { OpenActionItemsCard } from '../ActionItems';
import { RunbooksCard } from '../RunbooksCard';

/**
 * The Operations tab of an entity page.
 *
 * What an on-call engineer acts on comes first, side by side so that both
 * start in the first screen whatever the number of open incidents: the
 * incidents, and beside them who is on call and what the service lacks. The
 * figures (SLOs, deployments, DORA, drills), runbooks and dashboards follow.
 *
 * @public
 */
export function OperationsContent() {
  return (
    <Grid container spacing={3} alignItems="stretch">
      <Grid item xs={12} md={7}>
        <IncidentsCard />
      </Grid>
      <Grid item xs={12} md={5}>
        <Box display="flex" flexDirection="column" gridGap={24}>
          <OnCallCard />
          <ReadinessCard />
        </Box>
      </Grid>
      <Grid item xs={12}>
        <OpenActionItemsCard />
      </Grid>
      <Grid item xs={12}>
        <SloCard />
      </Grid>
      <Grid item xs={12}>
        <DeploymentsCard />
      </Grid>
      <Grid item xs={12}>
        <DoraCard />
      </Grid>
      <Grid item xs={12} lg={7}>
        <DrillsCard />
      </Grid>
      <Grid item xs={12} lg={5}>
        <RunbooksCard />
      </Grid>
      <Grid item xs={12}>
        <GrafanaPanelsCard />
      </Grid>
    </Grid>
  );
}
