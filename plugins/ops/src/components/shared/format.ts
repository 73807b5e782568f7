import { ResponseError } from '@backstage/errors';
import { DateTime } from 'luxon';

const DURATION_UNITS: ReadonlyArray<[seconds: number, suffix: string]> = [
  [24 * 60 * 60, 'd'],
  [60 * 60, 'h'],
  [60, 'm'],
  [1, 's'],
];

/**
 * A duration for people: its largest unit and the next one when it is not
 * zero, e.g. `4m 12s`, `1h`, `2d 3h`.
 */
export function formatDuration(totalSeconds: number): string {
  let rest = Math.max(0, Math.round(totalSeconds));
  const counts = DURATION_UNITS.map(([size]) => {
    const count = Math.floor(rest / size);
    rest -= count * size;
    return count;
  });
  const largest = counts.findIndex(count => count > 0);
  if (largest === -1) {
    return '0s';
  }
  return [largest, largest + 1]
    .filter(index => index < counts.length && counts[index] > 0)
    .map(index => `${counts[index]}${DURATION_UNITS[index][1]}`)
    .join(' ');
}

/** Seconds from one ISO time to another, or to now. */
export function secondsBetween(fromIso: string, toIso?: string): number {
  const to = toIso ? DateTime.fromISO(toIso) : DateTime.now();
  return to.diff(DateTime.fromISO(fromIso), 'seconds').seconds;
}

/**
 * How long ago, e.g. `2 hours ago`. A time ahead of the browser's clock, as
 * the backend's can be by a little, is `just now` rather than in the future.
 */
export function formatAge(iso: string): string {
  const now = DateTime.now();
  const time = DateTime.fromISO(iso);
  if (now.diff(time).as('seconds') < 1) {
    return 'just now';
  }
  return time.toRelative({ base: now }) ?? iso;
}

/** A point in time in the user's locale and time zone. */
export function formatTimestamp(iso: string): string {
  return DateTime.fromISO(iso).toLocaleString(DateTime.DATETIME_MED);
}

/**
 * What went wrong, in the backend's words when it said: a `ResponseError`'s
 * own message is only the HTTP status.
 */
export function errorMessage(error: unknown): string {
  if (ResponseError.is(error)) {
    return error.cause.message || error.message;
  }
  return error instanceof Error ? error.message : String(error);
}

/** Whether the backend refused a change made on a stale version. */
export function isConflict(error: unknown): boolean {
  return ResponseError.is(error) && error.statusCode === 409;
}
