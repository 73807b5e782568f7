import { ResponseError } from '@backstage/errors';

// The one duration formatter, shared with the backend's reports and logs.
export { formatDuration } from '@opsdeck/plugin-ops-common';

/** Seconds from one ISO time to another, or to now. */
export function secondsBetween(fromIso: string, toIso?: string): number {
  const to = toIso ? Date.parse(toIso) : Date.now();
  return (to - Date.parse(fromIso)) / 1000;
}

// One formatter of each kind for the page, in the browser's locale as luxon's
// default: a tab formats a few hundred times per render, and luxon's relative
// time works out a calendar diff per unit it tries (yarn bench:ui's profile of
// an in-app navigation: 14 ms in luxon under these functions).
const relativeTime = new Intl.RelativeTimeFormat(undefined, {
  numeric: 'always',
});
// luxon's DateTime.DATETIME_MED: "Dec 5, 2026, 4:40 AM".
const dateTime = new Intl.DateTimeFormat(undefined, {
  year: 'numeric',
  month: 'short',
  day: 'numeric',
  hour: 'numeric',
  minute: 'numeric',
});

const SECOND_MS = 1000;
const DAY_MS = 86_400 * SECOND_MS;
/** Units of a fixed length, largest first; days, months and years are not. */
const FIXED_UNITS: ReadonlyArray<[Intl.RelativeTimeFormatUnit, number]> = [
  ['hour', 3_600 * SECOND_MS],
  ['minute', 60 * SECOND_MS],
  ['second', SECOND_MS],
];

/**
 * `time` plus whole calendar months and days at the same local time of day,
 * as luxon's `plus`: a day of month the month lacks is its last
 * (Jan 31 + 1 month = Feb 28).
 */
function plusCalendar(time: Date, months: number, days: number): Date {
  const moved = new Date(time.getTime());
  const day = moved.getDate();
  moved.setDate(1);
  moved.setMonth(moved.getMonth() + months);
  const lastDay = new Date(
    moved.getFullYear(),
    moved.getMonth() + 1,
    0,
  ).getDate();
  moved.setDate(Math.min(day, lastDay) + days);
  return moved;
}

/**
 * Whole calendar months, then whole days, from `earlier` to `later` in local
 * time: the most of each unit that added to `earlier` does not pass `later`,
 * as luxon's `diff` counts them (a day across a change to daylight saving
 * time is 23 or 25 hours).
 */
function wholeMonthsAndDays(earlier: Date, later: Date) {
  let months =
    (later.getFullYear() - earlier.getFullYear()) * 12 +
    (later.getMonth() - earlier.getMonth());
  while (months > 0 && plusCalendar(earlier, months, 0) > later) {
    months -= 1;
  }
  const localDay = (time: Date) =>
    Date.UTC(time.getFullYear(), time.getMonth(), time.getDate());
  let days = Math.round((localDay(later) - localDay(earlier)) / DAY_MS);
  while (days > 0 && plusCalendar(earlier, 0, days) > later) {
    days -= 1;
  }
  return { months, days };
}

/**
 * `2 hours ago`, `in 3 days`, `1 year ago`: the largest unit of which there
 * is at least one, truncated, as luxon's `toRelative` (years, months and
 * days counted on the calendar, in local time).
 */
export function formatRelative(iso: string, nowMs = Date.now()): string {
  const ms = Date.parse(iso) - nowMs;
  if (Number.isNaN(ms)) {
    return iso;
  }
  const sign = ms < 0 ? -1 : 1;
  const [earlier, later] = [nowMs, nowMs + ms]
    .sort((a, b) => a - b)
    .map(time => new Date(time));
  const { months, days } = wholeMonthsAndDays(earlier, later);
  if (months >= 12) {
    return relativeTime.format(sign * Math.trunc(months / 12), 'year');
  }
  if (months >= 1) {
    return relativeTime.format(sign * months, 'month');
  }
  if (days >= 1) {
    return relativeTime.format(sign * days, 'day');
  }
  for (const [unit, size] of FIXED_UNITS) {
    const count = Math.trunc(ms / size);
    if (count !== 0) {
      return relativeTime.format(count, unit);
    }
  }
  return relativeTime.format(sign * 0, 'second');
}

/**
 * How long ago, e.g. `2 hours ago`. A time ahead of the browser's clock, as
 * the backend's can be by a little, is `just now` rather than in the future.
 */
export function formatAge(iso: string, nowMs = Date.now()): string {
  if (nowMs - Date.parse(iso) < SECOND_MS) {
    return 'just now';
  }
  return formatRelative(iso, nowMs);
}

/** A point in time in the user's locale and time zone. */
export function formatTimestamp(iso: string): string {
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? iso : dateTime.format(ms);
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
