const DURATION_UNITS: ReadonlyArray<[seconds: number, suffix: string]> = [
  [24 * 60 * 60, 'd'],
  [60 * 60, 'h'],
  [60, 'm'],
  [1, 's'],
];

/**
 * A duration for people, the same in every card, report and task log: its
 * largest unit and the next one when that is not zero, e.g. `4m 12s`, `1h`,
 * `2d 3h`. Under 10 seconds it keeps a tenth (`2.4s`): a step, a replay lag
 * or a write downtime that short is worth telling from a whole second, and
 * whole seconds (as recorded) read the same either way.
 *
 * @public
 */
export function formatDuration(totalSeconds: number): string {
  const seconds = Math.max(0, totalSeconds);
  if (seconds < 9.95) {
    return `${Math.round(seconds * 10) / 10}s`;
  }
  let rest = Math.round(seconds);
  const counts = DURATION_UNITS.map(([size]) => {
    const count = Math.floor(rest / size);
    rest -= count * size;
    return count;
  });
  const largest = counts.findIndex(count => count > 0);
  return [largest, largest + 1]
    .filter(index => index < counts.length && counts[index] > 0)
    .map(index => `${counts[index]}${DURATION_UNITS[index][1]}`)
    .join(' ');
}
