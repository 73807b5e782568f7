import { InputError } from '@backstage/errors';
import { RECORD_LIMITS } from '@opsdeck/plugin-ops-common';

/** RFC 3339 `date-time`: a full date, a full time and an offset. */
const RFC_3339 =
  /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.\d{1,9})?(?:[Zz]|[+-](\d{2}):(\d{2}))$/;

/**
 * The instant (milliseconds since the epoch) of a strict RFC 3339 time, or an
 * InputError naming `field`. Unlike `Date.parse`, a day the month does not
 * have (`2027-02-30`) is refused rather than rolled over into the next month,
 * and a time without an offset is refused rather than read in the server's
 * zone.
 */
export function parseInstant(value: string, field: string): number {
  const parts = typeof value === 'string' ? RFC_3339.exec(value) : null;
  const ms = parts ? Date.parse(value) : NaN;
  if (!parts || Number.isNaN(ms) || !isCalendarTime(parts.map(Number))) {
    throw new InputError(
      `Invalid ${field} '${value}': expected an RFC 3339 time, e.g. 2026-11-20T10:00:00Z`,
    );
  }
  return ms;
}

function isCalendarTime([
  ,
  year,
  month,
  day,
  hour,
  minute,
  second,
  ...offset
]: number[]) {
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  const [offsetHours = 0, offsetMinutes = 0] = offset.map(n => n || 0);
  return (
    month >= 1 &&
    month <= 12 &&
    day >= 1 &&
    day <= daysInMonth &&
    hour < 24 &&
    minute < 60 &&
    second < 60 &&
    offsetHours < 24 &&
    offsetMinutes < 60
  );
}

/**
 * {@link parseInstant} for a time that has happened (a deployment's start, an
 * incident's detection): at most a day ahead of this server's clock, for skew.
 */
export function parsePastInstant(value: string, field: string): number {
  const ms = parseInstant(value, field);
  if (ms > Date.now() + RECORD_LIMITS.futureToleranceMs) {
    throw new InputError(
      `Invalid ${field} '${value}': it is in the future, and it must have happened`,
    );
  }
  return ms;
}

/**
 * Refuses `later` when it is an earlier instant than `earlier` (offsets
 * count: the times are compared as instants, not as text).
 */
export function checkTimeOrder(
  earlier: { field: string; value: string | undefined },
  later: { field: string; value: string | undefined },
) {
  if (earlier.value === undefined || later.value === undefined) {
    return;
  }
  if (
    parseInstant(later.value, later.field) <
    parseInstant(earlier.value, earlier.field)
  ) {
    throw new InputError(
      `Invalid ${later.field} '${later.value}': it is before ${earlier.field} (${earlier.value})`,
    );
  }
}

/**
 * A stored time: a Date on PostgreSQL, milliseconds since the epoch on SQLite
 * (knex binds a Date as its number there), or a string when a row was written
 * by other means.
 */
export type DbTime = Date | number | string;

/** Drops the keys of absent optional fields, so that they are not sent as `undefined`. */
export function withoutAbsent<T extends object>(value: T): T {
  // A copy rather than `delete`, which would turn every record of a listed
  // page into a slow dictionary-mode object for JSON.stringify and the GC.
  const present = {} as T;
  for (const key in value) {
    if (value[key] !== undefined) {
      present[key] = value[key];
    }
  }
  return present;
}

export function toOptionalNumber(
  value: number | string | null,
): number | undefined {
  return value === null ? undefined : Number(value);
}

export function toDbTime(value: string, field: string): Date {
  return new Date(parseInstant(value, field));
}

export function patchTime(
  value: string | undefined,
  field: string,
): Date | undefined {
  return value === undefined ? undefined : toDbTime(value, field);
}

export function toOptionalDbTime(
  value: string | undefined,
  field: string,
): Date | null {
  return value === undefined ? null : toDbTime(value, field);
}

export function toIsoTime(value: DbTime): string {
  if (value instanceof Date) {
    return value.toISOString();
  }
  if (typeof value === 'number') {
    return new Date(value).toISOString();
  }
  // A string without a zone, as SQLite's CURRENT_TIMESTAMP writes, is UTC.
  const hasZone = /(Z|[+-]\d\d(:?\d\d)?)$/i.test(value.trim());
  return new Date(
    hasZone ? value : `${value.trim().replace(' ', 'T')}Z`,
  ).toISOString();
}

export function toOptionalIsoTime(value: DbTime | null): string | undefined {
  return value === null ? undefined : toIsoTime(value);
}
