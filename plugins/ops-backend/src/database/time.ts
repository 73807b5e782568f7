import { InputError } from '@backstage/errors';

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
  const date = new Date(value);
  if (typeof value !== 'string' || Number.isNaN(date.getTime())) {
    throw new InputError(`Invalid ${field} '${value}': expected an ISO time`);
  }
  return date;
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
