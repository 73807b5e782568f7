import { formatDuration, secondsBetween } from '../shared';

/**
 * How long something took from the detection of an incident against the
 * severity's target, e.g. `42m (target 1h) ✓`; while it has not happened,
 * how long it has been so far.
 */
export function TimeAgainstTarget(props: {
  name: string;
  detectedAt: string;
  at?: string;
  targetMinutes?: number;
  /** Whether it may still happen: the incident is not over. */
  ongoing: boolean;
}) {
  const { name, detectedAt, at, targetMinutes, ongoing } = props;
  if (!at && !ongoing) {
    return <>–</>;
  }
  const seconds = secondsBetween(detectedAt, at);
  const target = targetMinutes === undefined ? undefined : targetMinutes * 60;
  const met = target === undefined ? undefined : seconds <= target;
  return (
    <>
      {at
        ? formatDuration(seconds)
        : `not yet, ${formatDuration(seconds)} so far`}
      {target !== undefined && ` (target ${formatDuration(target)})`}
      {met !== undefined && (at || !met) && (
        <>
          {' '}
          <span
            role="img"
            aria-label={met ? `${name} within target` : `${name} over target`}
            style={{ color: met ? '#2e7d32' : '#c62828', fontWeight: 'bold' }}
          >
            {met ? '✓' : '✗'}
          </span>
        </>
      )}
    </>
  );
}
