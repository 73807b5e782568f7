import type { Connection } from 'mysql2/promise';
import { DRIFT } from '../../postgres/verification/drift';
import { STABLE_ROWS_MARGIN_SECONDS } from '../../postgres/verification/stableRows';
import { Verification } from '../../postgres/verification/tables';
import { MysqlStableRows } from '../target';
import {
  readRowHashes,
  readRowsDigest,
  readTableColumns,
  TableColumns,
} from './rowHash';
import { messageOf, quoteIdentifier } from './sql';

/** Beyond this many stable rows, a difference is counted, not located. */
export const MAX_ROWS_LOCATED = 200_000;

/**
 * The cutoff as the sessions read times (UTC, see connections.ts): rows
 * dated before it must be in the dump. The margin is PostgreSQL's (a
 * transaction that began before the dump and committed after it dates its
 * rows before the dump). A DATETIME column is taken to hold UTC.
 */
export function stableCutoff(backupTime: Date): string {
  return new Date(backupTime.getTime() - STABLE_ROWS_MARGIN_SECONDS * 1000)
    .toISOString()
    .replace('T', ' ')
    .replace('Z', '');
}

/** Keys only on one side, and keys whose rows differ. */
export function compareRowHashes(
  source: Map<string, string>,
  restored: Map<string, string>,
): { missing: number; differing: number; extra: number } {
  let missing = 0;
  let differing = 0;
  for (const [key, hash] of source) {
    const copy = restored.get(key);
    if (copy === undefined) {
      missing += 1;
    } else if (copy !== hash) {
      differing += 1;
    }
  }
  const extra = [...restored.keys()].filter(key => !source.has(key)).length;
  return { missing, differing, extra };
}

function located(counts: {
  missing: number;
  differing: number;
  extra: number;
}): string {
  return [
    counts.missing && `${counts.missing} missing`,
    counts.differing && `${counts.differing} different`,
  ]
    .filter(Boolean)
    .join(', ');
}

/**
 * The rows of one table dated before the dump (by the rule's column): every
 * such row of the source must be in the copy, equal. Compared by count and
 * row hashes, then key by key to say how many are missing or differ; rows
 * only in the copy were deleted on the source since (drift).
 */
export async function verifyStableRowsOf(options: {
  rule: MysqlStableRows;
  database: { source: string; restored: string };
  source: Connection;
  restored: Connection;
  backupTime: Date;
}): Promise<Verification> {
  const { rule, database, source, restored, backupTime } = options;
  const name = `stable rows of ${rule.table}`;
  const cutoff = stableCutoff(backupTime);
  const description = `${rule.column} before ${cutoff} UTC`;
  const fail = (actual: string, failure: string): Verification => ({
    name,
    passed: false,
    expected: `rows with ${description}, as on the source`,
    actual,
    failure: `${name} (${description}): ${failure}`,
  });
  try {
    const columns: TableColumns = await readTableColumns(
      restored,
      database.restored,
      rule.table,
    );
    if (!columns.columns.includes(rule.column)) {
      return fail(
        'no such column',
        `verification.stableRows names column ${rule.column}, which table ${rule.table} does not have`,
      );
    }
    const query = {
      table: rule.table,
      columns: columns.columns,
      where: `r.${quoteIdentifier(rule.column)} < ?`,
      values: [cutoff],
    };
    const [fromSource, fromCopy] = await Promise.all([
      readRowsDigest(source, { ...query, database: database.source }),
      readRowsDigest(restored, { ...query, database: database.restored }),
    ]);
    const expected = `${fromSource.rows} rows with ${description}, as on the source`;
    if (fromSource.rows === fromCopy.rows && fromSource.sum === fromCopy.sum) {
      return {
        name,
        passed: true,
        expected,
        actual: `${fromCopy.rows} rows, equal`,
      };
    }
    const counted = `the restored copy has ${fromCopy.rows}, the source ${fromSource.rows}`;
    if (
      columns.primaryKey.length === 0 ||
      Number(fromSource.rows) > MAX_ROWS_LOCATED ||
      Number(fromCopy.rows) > MAX_ROWS_LOCATED
    ) {
      // Without keys, or beyond what is worth holding in memory, a
      // difference cannot be told apart from deletions since the dump.
      return {
        ...fail(
          `${fromCopy.rows} rows, not equal`,
          `${counted}, with different contents (not located: ${
            columns.primaryKey.length === 0 ? 'no primary key' : 'too many rows'
          }); these rows predate the backup`,
        ),
        expected,
      };
    }
    const keyed = { ...query, columns };
    const [sourceRows, copyRows] = await Promise.all([
      readRowHashes(source, { ...keyed, database: database.source }),
      readRowHashes(restored, { ...keyed, database: database.restored }),
    ]);
    const counts = compareRowHashes(sourceRows, copyRows);
    if (counts.missing === 0 && counts.differing === 0) {
      // Rows only in the copy were deleted on the source since the dump.
      return {
        name,
        passed: true,
        expected,
        actual: `${fromCopy.rows} rows; ${counts.extra} no longer on the source (${DRIFT})`,
      };
    }
    return {
      ...fail(
        `${located(counts)} of ${fromSource.rows} rows`,
        `${located(counts)} of the source's ${
          fromSource.rows
        } rows in the restored copy (by primary key); these rows predate the backup`,
      ),
      expected,
    };
  } catch (error) {
    return fail('error', `could not be compared: ${messageOf(error)}`);
  }
}
