import { stringifyEntityRef } from '@backstage/catalog-model';
import { useApi } from '@backstage/core-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import Box from '@material-ui/core/Box';
import Grid from '@material-ui/core/Grid';
import { useRef } from 'react';
import { opsApiRef } from '../../api';
import { startEntityReads, startSharedReads } from '../../hooks';
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
 * Starts every card's read in the tab's first render, before the cards
 * render: rendering ten cards takes the browser longer than the backend takes
 * to answer (yarn bench:ui: about 110 ms from the tab's code to its first
 * request on an in-app navigation), and the requests wait no longer for it.
 * The cards take the requests started for them (readEntity, the shared
 * reads' hooks). Started again only for another entity.
 */
function useCardReadsStarted(entityRef: string) {
  const opsApi = useApi(opsApiRef);
  const startedFor = useRef<string>();
  if (startedFor.current !== entityRef) {
    startedFor.current = entityRef;
    startSharedReads(opsApi, entityRef);
    startEntityReads(opsApi, entityRef, CARD_READS);
  }
}

/**
 * The Operations tab of an entity page.
 *
 * What an on-call engineer acts on comes first, side by side so that both
 * start in the first screen whatever the number of open incidents: the
 * incidents, and beside them who is on call and what the service lacks. On a
 * screen narrower than `lg` they stack: side by side there, the incidents'
 * table would hide its actions behind a sideways scroll. The
 * figures (SLOs, deployments, DORA, drills), runbooks and dashboards follow.
 *
 * @public
 */
export function OperationsContent() {
  const { entity } = useEntity();
  useCardReadsStarted(stringifyEntityRef(entity));
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
