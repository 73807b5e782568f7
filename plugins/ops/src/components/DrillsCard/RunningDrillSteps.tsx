import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { Drill } from '@opsdeck/plugin-ops-common';
import { DRILL_KIND_LABELS } from './drillLabels';
import { DrillStatusChip } from './DrillStatusChip';

/**
 * The steps of a running drill, failover or rollback as recorded so far, in
 * order, each with its status: what the task is doing now, without opening
 * the report or the scaffolder task. The card reads them again as each step
 * starts and finishes.
 */
export function RunningDrillSteps(props: { drill: Drill }) {
  const { drill } = props;
  const label = `Steps of the running ${(
    DRILL_KIND_LABELS[drill.kind] ?? drill.kind
  ).toLocaleLowerCase('en-US')} of ${drill.target}`;
  if (drill.steps.length === 0) {
    return (
      <Typography variant="caption" color="textSecondary" display="block">
        Starting: no step recorded yet
      </Typography>
    );
  }
  return (
    <Box
      component="ol"
      aria-label={label}
      mt={0.5}
      mb={0}
      p={0}
      style={{ listStyle: 'none' }}
    >
      {drill.steps.map((step, index) => (
        <Box
          component="li"
          key={`${index}:${step.name}`}
          display="flex"
          alignItems="center"
          justifyContent="space-between"
          mb={0.5}
          style={{ gap: 8 }}
        >
          <Typography variant="caption" component="span" noWrap>
            {step.name}
          </Typography>
          <DrillStatusChip status={step.status} />
        </Box>
      ))}
    </Box>
  );
}
