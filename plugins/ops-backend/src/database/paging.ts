import { InputError } from '@backstage/errors';
import { RECORD_LIMITS, RecordPage } from '@opsdeck/plugin-ops-common';
import { Knex } from 'knex';
import { DbTime, toDbTime, toIsoTime } from './time';

export type SortColumn = 'detected_at' | 'started_at' | 'created_at';

/**
 * Narrows a list query: `equal` columns to one value each, `oneOf` columns to
 * any of the values listed; an absent or empty filter leaves the column open.
 */
export function whereFilter<TRow extends {}>(
  query: Knex.QueryBuilder<TRow, TRow[]>,
  filter: {
    equal?: Record<string, string | undefined>;
    oneOf?: Record<string, readonly string[] | undefined>;
  },
): Knex.QueryBuilder<TRow, TRow[]> {
  for (const [column, value] of Object.entries(filter.equal ?? {})) {
    if (value !== undefined) {
      query.where(column, value);
    }
  }
  for (const [column, values] of Object.entries(filter.oneOf ?? {})) {
    if (values?.length) {
      query.whereIn(column, values);
    }
  }
  return query;
}

export function pageLimit(limit: number | undefined): number {
  if (limit === undefined) {
    return RECORD_LIMITS.defaultPageSize;
  }
  if (!Number.isInteger(limit) || limit < 1) {
    throw new InputError(
      `Invalid limit ${limit}: expected a positive integer, at most ${RECORD_LIMITS.maxPageSize}`,
    );
  }
  return Math.min(limit, RECORD_LIMITS.maxPageSize);
}

/**
 * Adds the time range, the cursor, the order and the limit to a list query.
 * Fetches one row more than the page holds, to know whether there is a next
 * page.
 */
export function pageQuery<TRow extends {}>(
  query: Knex.QueryBuilder<TRow, TRow[]>,
  column: SortColumn,
  filter: { from?: string; to?: string; cursor?: string },
  limit: number,
): Knex.QueryBuilder<TRow, TRow[]> {
  if (filter.from !== undefined) {
    query.where(column, '>=', toDbTime(filter.from, 'from'));
  }
  if (filter.to !== undefined) {
    query.where(column, '<', toDbTime(filter.to, 'to'));
  }
  if (filter.cursor !== undefined) {
    const after = decodeCursor(filter.cursor);
    const time = new Date(after.time);
    query.where(inner =>
      inner
        .where(column, '<', time)
        .orWhere(tie =>
          tie.where(column, '=', time).where('id', '<', after.id),
        ),
    );
  }
  return query
    .orderBy([
      { column, order: 'desc' },
      { column: 'id', order: 'desc' },
    ])
    .limit(limit + 1);
}

export function toPage<TRow extends { id: string }, TItem>(
  rows: TRow[],
  limit: number,
  column: SortColumn,
  toItem: (row: TRow) => TItem,
): RecordPage<TItem> {
  const items = rows.slice(0, limit);
  if (rows.length <= limit) {
    return { items: items.map(toItem) };
  }
  const last = items[items.length - 1] as TRow & Record<SortColumn, DbTime>;
  return {
    items: items.map(toItem),
    nextCursor: encodeCursor({ time: toIsoTime(last[column]), id: last.id }),
  };
}

/** Where a page ends: the sort time and the id of its last record. */
export type Cursor = { time: string; id: string };

export function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify([cursor.time, cursor.id]), 'utf8').toString(
    'base64url',
  );
}

function decodeCursor(cursor: string): Cursor {
  const invalid = () =>
    new InputError(
      'Invalid cursor: pass back the nextCursor of a previous page unchanged',
    );
  if (!/^[A-Za-z0-9_-]+$/.test(cursor)) {
    throw invalid();
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  if (
    !Array.isArray(parsed) ||
    parsed.length !== 2 ||
    typeof parsed[0] !== 'string' ||
    typeof parsed[1] !== 'string' ||
    Number.isNaN(Date.parse(parsed[0]))
  ) {
    throw invalid();
  }
  return { time: parsed[0], id: parsed[1] };
}
