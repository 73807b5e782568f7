import { MarkdownContent, Progress } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import { WholeWordTable as Table } from '../shared/WholeWordTable';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import { Drill } from '@opsdeck/plugin-ops-common';
import useAsync from 'react-use/esm/useAsync';
import { opsApiRef } from '../../api';
import {
  errorMessage,
  formatDuration,
  formatTimestamp,
  secondsBetween,
} from '../shared';
import { DRILL_KIND_LABELS } from './drillLabels';
import { DrillStatusChip } from './DrillStatusChip';
import { RecoveryMeasure } from './RecoveryMeasure';

function DrillReport(props: { drill: Drill }) {
  const { drill } = props;
  return (
    <>
      <Box display="flex" alignItems="center" flexWrap="wrap" mb={2}>
        <DrillStatusChip status={drill.status} />
        <Box ml={2}>
          <Typography variant="body2">
            Started {formatTimestamp(drill.startedAt)}
            {drill.finishedAt &&
              `, finished ${formatTimestamp(drill.finishedAt)}`}{' '}
            by {drill.triggeredBy}
          </Typography>
          <Typography variant="body2">
            <RecoveryMeasure
              name="RTO"
              measuredSeconds={drill.rtoSeconds}
              objectiveSeconds={drill.objectives.rtoSeconds}
            />
            {' · '}
            <RecoveryMeasure
              name="RPO"
              measuredSeconds={drill.rpoSeconds}
              objectiveSeconds={drill.objectives.rpoSeconds}
            />
          </Typography>
        </Box>
      </Box>

      {drill.report ? (
        <MarkdownContent content={drill.report} />
      ) : (
        <Typography variant="body2" color="textSecondary">
          No report was written for this drill.
        </Typography>
      )}

      <Typography variant="h6" component="h3" style={{ marginTop: 16 }}>
        Verification
      </Typography>
      {drill.verification.length === 0 ? (
        <Typography variant="body2" color="textSecondary">
          Nothing was verified.
        </Typography>
      ) : (
        <Table size="small" aria-label="Verification">
          <TableHead>
            <TableRow>
              <TableCell>Check</TableCell>
              <TableCell>Result</TableCell>
              <TableCell>Expected</TableCell>
              <TableCell>Actual</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {drill.verification.map((check, index) => (
              <TableRow key={`${index}:${check.name}`}>
                <TableCell>{check.name}</TableCell>
                <TableCell>
                  <DrillStatusChip
                    status={check.passed ? 'succeeded' : 'failed'}
                  />
                </TableCell>
                <TableCell>{check.expected ?? '–'}</TableCell>
                <TableCell>{check.actual ?? '–'}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}

      <Typography variant="h6" component="h3" style={{ marginTop: 16 }}>
        Steps
      </Typography>
      {drill.steps.length === 0 ? (
        <Typography variant="body2" color="textSecondary">
          No steps were recorded.
        </Typography>
      ) : (
        <Table size="small" aria-label="Steps">
          <TableHead>
            <TableRow>
              <TableCell>Step</TableCell>
              <TableCell>Status</TableCell>
              <TableCell>Duration</TableCell>
              <TableCell>Output</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {drill.steps.map((step, index) => (
              <TableRow key={`${index}:${step.name}`}>
                <TableCell>{step.name}</TableCell>
                <TableCell>
                  <DrillStatusChip status={step.status} />
                </TableCell>
                <TableCell>
                  {step.finishedAt
                    ? formatDuration(
                        secondsBetween(step.startedAt, step.finishedAt),
                      )
                    : '–'}
                </TableCell>
                <TableCell style={{ whiteSpace: 'pre-wrap' }}>
                  {step.output ?? ''}
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </>
  );
}

/**
 * The report of a drill: its Markdown report, what it verified and each
 * step. The drill is read again on opening, as a running drill moves on.
 */
export function DrillReportDialog(props: {
  open: boolean;
  /** Kept while the dialog closes, so its content stays in place. */
  drill?: Drill;
  onClose: () => void;
}) {
  const { open, drill, onClose } = props;
  const opsApi = useApi(opsApiRef);
  const drillId = drill?.id;
  const latest = useAsync(
    async () => (drillId ? opsApi.getDrill(drillId) : undefined),
    [opsApi, drillId],
  );
  const shown = latest.loading ? undefined : latest.value ?? drill;

  return (
    <Dialog
      open={open}
      onClose={onClose}
      fullWidth
      maxWidth="md"
      scroll="paper"
      aria-labelledby="drill-report-title"
    >
      <DialogTitle id="drill-report-title">
        {drill &&
          `${DRILL_KIND_LABELS[drill.kind] ?? drill.kind} drill of ${
            drill.target
          }`}
      </DialogTitle>
      <DialogContent dividers>
        {latest.loading && <Progress />}
        {latest.error && (
          <Alert severity="warning">
            Could not load the latest state of this drill (
            {errorMessage(latest.error)}); this is the state as listed.
          </Alert>
        )}
        {shown && <DrillReport drill={shown} />}
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>Close</Button>
      </DialogActions>
    </Dialog>
  );
}
