import { stringifyEntityRef } from '@backstage/catalog-model';
import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useEntity } from '@backstage/plugin-catalog-react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import { WholeWordTable as Table } from '../shared/WholeWordTable';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { Drill } from '@opsdeck/plugin-ops-common';
import { useState } from 'react';
import { entityRead, useEntityRead } from '../../hooks';
import { Timestamp, useOpsSignal, useReload } from '../shared';
import { DRILL_KIND_LABELS } from './drillLabels';
import { DrillReportDialog } from './DrillReportDialog';
import { DrillStatusChip } from './DrillStatusChip';
import { RecoveryMeasure } from './RecoveryMeasure';
import { RerunDrillButton, RunDrillButtons } from './RunDrillButtons';
import { RunningDrillSteps } from './RunningDrillSteps';

const DRILLS_SHOWN = 10;

/** The card's read: the entity's latest drills. */
export const drillsCardRead = entityRead('drills-card', (opsApi, entityRef) =>
  opsApi.listDrills({ entityRef, limit: DRILLS_SHOWN }),
);

/**
 * How often the card reads the drills again in an app without signals: often
 * while a drill runs, to follow its steps; otherwise to see new ones start.
 */
const POLL_INTERVAL_MS = { running: 3_000, idle: 10_000 };

/**
 * The recovery drills of the entity in context, newest first: what was
 * drilled, how it went, and the measured RTO and RPO against the
 * objectives, with each drill's report.
 *
 * @public
 */
export function DrillsCard() {
  const { entity } = useEntity();
  const entityRef = stringifyEntityRef(entity);
  const [reportOf, setReportOf] = useState<Drill>();
  const [reportOpen, setReportOpen] = useState(false);
  const [reloadKey, reload] = useReload();
  const { value, error } = useEntityRead(drillsCardRead, entityRef, reloadKey);
  const running = value?.items.some(drill => drill.status === 'running');
  // Drills started, their steps started and finished, from the scaffolder.
  useOpsSignal({
    entityRef,
    onChange: signal => {
      if (!signal || signal.kind === 'drill') reload();
    },
    pollIntervalMs: running ? POLL_INTERVAL_MS.running : POLL_INTERVAL_MS.idle,
  });

  return (
    <InfoCard
      title="Drills"
      subheader="Measured recovery time (RTO) and data loss (RPO) against the objectives"
    >
      <RunDrillButtons />
      {!value && !error && <Progress />}
      {error && <ResponseErrorPanel error={error} />}
      {value && value.items.length === 0 && (
        <Typography variant="body2" color="textSecondary">
          No drill has been run for this service yet. The backup-restore drill
          and failover templates record theirs here.
        </Typography>
      )}
      {value && value.items.length > 0 && (
        <Box overflow="auto">
          <Table size="small" aria-label={`Drills of ${entity.metadata.name}`}>
            <TableHead>
              <TableRow>
                <TableCell>Kind</TableCell>
                <TableCell>Target</TableCell>
                <TableCell>Status</TableCell>
                <TableCell>Started</TableCell>
                <TableCell>Objectives</TableCell>
                <TableCell />
              </TableRow>
            </TableHead>
            <TableBody>
              {value.items.map(drill => (
                <TableRow key={drill.id}>
                  <TableCell>
                    {DRILL_KIND_LABELS[drill.kind] ?? drill.kind}
                  </TableCell>
                  <TableCell>{drill.target}</TableCell>
                  <TableCell>
                    <DrillStatusChip status={drill.status} />
                    {drill.status === 'running' && (
                      <RunningDrillSteps drill={drill} />
                    )}
                  </TableCell>
                  <TableCell>
                    <Timestamp iso={drill.startedAt} />
                  </TableCell>
                  <TableCell>
                    <Typography variant="body2" component="div" noWrap>
                      <RecoveryMeasure
                        name="RTO"
                        measuredSeconds={drill.rtoSeconds}
                        objectiveSeconds={drill.objectives.rtoSeconds}
                      />
                    </Typography>
                    <Typography variant="body2" component="div" noWrap>
                      <RecoveryMeasure
                        name="RPO"
                        measuredSeconds={drill.rpoSeconds}
                        objectiveSeconds={drill.objectives.rpoSeconds}
                      />
                    </Typography>
                  </TableCell>
                  <TableCell align="right">
                    <Box
                      display="flex"
                      justifyContent="flex-end"
                      alignItems="center"
                    >
                      <RerunDrillButton drill={drill} />
                      <Button
                        size="small"
                        onClick={() => {
                          setReportOf(drill);
                          setReportOpen(true);
                        }}
                      >
                        Report
                      </Button>
                    </Box>
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </Box>
      )}
      <DrillReportDialog
        open={reportOpen}
        drill={reportOf}
        onClose={() => setReportOpen(false)}
      />
    </InfoCard>
  );
}
