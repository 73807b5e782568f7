import { formatDuration } from '../shared';

/**
 * A measured recovery time or data loss against its objective, e.g.
 * `RTO 4m 12s / 1h ✓`; a measure at the objective meets it.
 */
export function RecoveryMeasure(props: {
  /** `RTO` or `RPO`. */
  name: string;
  measuredSeconds?: number;
  objectiveSeconds: number;
}) {
  const { name, measuredSeconds, objectiveSeconds } = props;
  const objective = formatDuration(objectiveSeconds);
  if (measuredSeconds === undefined) {
    return (
      <span title={`${name} not measured; objective ${objective}`}>
        {name} – / {objective}
      </span>
    );
  }
  const met = measuredSeconds <= objectiveSeconds;
  return (
    <span>
      {name} {formatDuration(measuredSeconds)} / {objective}{' '}
      <span
        role="img"
        aria-label={met ? `${name} objective met` : `${name} objective missed`}
        style={{ color: met ? '#2e7d32' : '#c62828', fontWeight: 'bold' }}
      >
        {met ? '✓' : '✗'}
      </span>
    </span>
  );
}
