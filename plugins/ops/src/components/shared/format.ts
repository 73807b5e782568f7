import { ResponseError } from '@backstage/errors';
import { DateTime } from 'luxon';

// The one duration formatter, shared with the backend's reports and logs.
export { formatDuration } from '@opsdeck/plugin-ops-common';

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
