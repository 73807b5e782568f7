import Chip from '@material-ui/core/Chip';
import { DrillStatus, DrillStepStatus } from '@opsdeck/plugin-ops-common';
import { DRILL_STATUS_COLORS, DRILL_STEP_STATUS_COLORS } from './drillLabels';

/** The outcome of a drill, or of one of its steps, in its color. */
export function DrillStatusChip(props: {
  status: DrillStatus | DrillStepStatus;
}) {
  const { status } = props;
  const color =
    (DRILL_STATUS_COLORS as Record<string, string>)[status] ??
    (DRILL_STEP_STATUS_COLORS as Record<string, string>)[status];
  return (
    <Chip
      size="small"
      label={status}
      data-status={status}
      style={{ backgroundColor: color, color: '#fff' }}
    />
  );
}
