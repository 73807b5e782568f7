import Chip from '@material-ui/core/Chip';
import Tooltip from '@material-ui/core/Tooltip';
import { SeverityLevel } from '@opsdeck/plugin-ops-common';

// Most severe first; levels past the last share its color.
const RANK_COLORS = [
  { background: '#b71c1c', color: '#fff' },
  { background: '#e65100', color: '#fff' },
  { background: '#f9a825', color: '#000' },
  { background: '#546e7a', color: '#fff' },
];
const UNKNOWN_COLOR = { background: '#9e9e9e', color: '#000' };

/**
 * An incident's severity, colored by its rank among the configured levels.
 */
export function SeverityChip(props: {
  severity: string;
  severities?: SeverityLevel[];
}) {
  const { severity, severities } = props;
  const rank = severities?.findIndex(level => level.id === severity) ?? -1;
  const level = rank >= 0 ? severities![rank] : undefined;
  const colors =
    rank >= 0
      ? RANK_COLORS[Math.min(rank, RANK_COLORS.length - 1)]
      : UNKNOWN_COLOR;
  return (
    <Tooltip title={level ? `${level.title}: ${level.description}` : severity}>
      <Chip size="small" label={severity} style={colors} />
    </Tooltip>
  );
}
