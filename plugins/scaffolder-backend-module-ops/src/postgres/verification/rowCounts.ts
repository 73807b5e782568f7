import { Client } from 'pg';
import { countRows, listUserTables, TableRef, Verification } from './tables';

/**
 * Row counts of every table, restored against source. A table on one side
 * only fails too.
 */
export function compareRowCounts(
  source: Map<string, string>,
  restored: Map<string, string>,
): Verification[] {
  const tables = [...new Set([...source.keys(), ...restored.keys()])].sort();
  return tables.map(table => {
    const expected = source.get(table);
    const actual = restored.get(table);
    const name = `row count of ${table}`;
    if (expected === undefined) {
      return {
        name,
        passed: false,
        expected: 'absent',
        actual: actual!,
        failure: `${table} exists in the restored copy but not on the source`,
      };
    }
    if (actual === undefined) {
      return {
        name,
        passed: false,
        expected,
        actual: 'absent',
        failure: `${table} is missing from the restored copy (source has ${expected} rows)`,
      };
    }
    return {
      name,
      passed: expected === actual,
      expected,
      actual,
      ...(expected === actual
        ? {}
        : { failure: `${name}: restored ${actual}, source ${expected}` }),
    };
  });
}

/** Row counts of every user table of the source, read in one snapshot. */
export interface SourceRowCounts {
  tables: TableRef[];
  counts: Map<string, string>;
}

/**
 * Runs `read` in one repeatable-read, read-only transaction on the source, so
 * that everything it reads is of one moment.
 */
export async function inSnapshot<T>(
  source: Client,
  read: () => Promise<T>,
): Promise<T> {
  await source.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
  try {
    return await read();
  } finally {
    await source.query('ROLLBACK').catch(() => {});
  }
}

/**
 * Counts the rows of every user table of the source in one snapshot. It does
 * not depend on the restored copy: the drill runs it while it makes the
 * scratch instance and restores the backup.
 */
export function countSourceRows(source: Client): Promise<SourceRowCounts> {
  return inSnapshot(source, async () => {
    const tables = await listUserTables(source);
    return { tables, counts: await countRows(source, tables) };
  });
}
