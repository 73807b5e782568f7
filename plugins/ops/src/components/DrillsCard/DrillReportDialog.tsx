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
import { makeStyles } from '@material-ui/core/styles';
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

const useStyles = makeStyles(theme => ({
  // The stored Markdown report, compact: Backstage's Markdown tables pad
  // each cell by 24 px and break words anywhere, which made a report some
  // 3,000 px long. Its one table scrolls sideways inside itself when wider
  // than the dialog; the dialog never does.
  report: {
    overflowWrap: 'break-word',
    '& h2': { ...theme.typography.h6, marginTop: 0 },
    '& h3': {
      ...theme.typography.subtitle1,
      fontWeight: theme.typography.fontWeightBold,
      margin: theme.spacing(2, 0, 1),
    },
    '& p, & ul': { margin: theme.spacing(0, 0, 1) },
    '& table': { display: 'block', maxWidth: '100%', overflowX: 'auto' },
    '& table th, & table td': {
      padding: theme.spacing(0.5, 1),
      lineHeight: 1.43,
      verticalAlign: 'top',
      wordBreak: 'normal',
      overflowWrap: 'normal',
    },
  },
}));

/** When and by whom, under the report. */
function RunBy(props: { drill: Drill }) {
  const { drill } = props;
  return (
    <Typography variant="body2" color="textSecondary">
      Started {formatTimestamp(drill.startedAt)}
      {drill.finishedAt &&
        `, finished ${formatTimestamp(drill.finishedAt)}`} by{' '}
      {drill.triggeredBy}
    </Typography>
  );
}

/**
 * A drill without a report (still running, or ended before one was
 * written): its status, measures and each step as recorded so far.
 */
function DrillProgress(props: { drill: Drill }) {
  const { drill } = props;
  return (
    <>
      <Box display="flex" alignItems="center" flexWrap="wrap" mb={2}>
        <DrillStatusChip status={drill.status} />
        <Box ml={2}>
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
          <RunBy drill={drill} />
        </Box>
      </Box>
      {drill.steps.length === 0 ? (
        <Typography variant="body2" color="textSecondary">
          No steps were recorded yet.
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
 * A finished drill's report as the backend wrote it: verdict first, RTO and
 * RPO, one verification table, checks and steps. Reports stored before this
 * layout render as they are.
 */
function DrillReport(props: { drill: Drill & { report: string } }) {
  const classes = useStyles();
  return (
    <>
      <MarkdownContent
        className={classes.report}
        content={props.drill.report}
      />
      <RunBy drill={props.drill} />
    </>
  );
}

/**
 * The report of a drill: the report it ended with or, while it runs, its
 * steps so far. The drill is read again on opening, as a running drill
 * moves on. Long reports scroll inside the dialog (`scroll="paper"`), the
 * verdict at the top.
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
        {shown?.report ? (
          <DrillReport drill={{ ...shown, report: shown.report }} />
        ) : (
          shown && <DrillProgress drill={shown} />
        )}
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>Close</Button>
      </DialogActions>
    </Dialog>
  );
}
