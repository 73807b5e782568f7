import { stringifyEntityRef } from '@backstage/catalog-model';
import { Progress } from '@backstage/core-components';
import { useEntity } from '@backstage/plugin-catalog-react';
import Box from '@material-ui/core/Box';
import Grid from '@material-ui/core/Grid';
import { useTabReads } from '../../hooks';
import { DeploymentsCard, deploymentsCardRead } from '../DeploymentsCard';
import { DoraCard, doraCardRead } from '../DoraCard';
import { DrillsCard, drillsCardRead } from '../DrillsCard';
import { GrafanaPanelsCard } from '../GrafanaPanelsCard';
import { IncidentsCard, incidentsCardRead } from '../IncidentsCard';
import { OnCallCard } from '../OnCallCard';
import { ReadinessCard, readinessCardRead } from '../ReadinessCard';
import { SloCard } from '../SloCard';
import { OpenActionItemsCard, openActionItemsCardRead } from '../ActionItems';
import { RunbooksCard } from '../RunbooksCard';

/** What the cards below read from the backend, started before they render. */
const CARD_READS = [
  incidentsCardRead,
  readinessCardRead,
  openActionItemsCardRead,
  deploymentsCardRead,
  doraCardRead,
  drillsCardRead,
];

/**
 * The Operations tab of an entity page.
 *
 * What an on-call engineer acts on comes first, side by side so that both
 * start in the first screen whatever the number of open incidents: the
 * incidents, and beside them who is on call and what the service lacks. On a
 * screen narrower than `lg` they stack: side by side there, the incidents'
 * table would hide its actions behind a sideways scroll. The
 * figures (SLOs, deployments, DORA, drills), runbooks and dashboards follow.
 * The cards render once their reads answered, for at most
 * TAB_READS_WAIT_MS (useTabReads): together, with their data, and without
 * moving each other down as each card's data arrives.
 *
 * @public
 */
export function OperationsContent() {
  const { entity } = useEntity();
  const ready = useTabReads(stringifyEntityRef(entity), CARD_READS);
  if (!ready) return <Progress />;
  return (
    <Grid container spacing={3} alignItems="stretch">
      <Grid item xs={12} lg={7}>
        <IncidentsCard />
      </Grid>
      <Grid item xs={12} lg={5}>
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
