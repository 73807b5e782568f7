import type { Connection } from 'mysql2/promise';
import { compareRowCounts } from '../../postgres/verification/rowCounts';
import { Verification } from '../../postgres/verification/tables';
import { MysqlStableRows } from '../target';
import { compareMysqlObjects } from './objects';
import { countRows, readObjects } from './outline';
import { verifyStableRowsOf } from './stableRows';

/**
 * Runs `read` in one consistent, read-only snapshot of the source, so that
 * everything it reads there is of one moment.
 */
export async function inSourceSnapshot<T>(
  source: Connection,
  read: () => Promise<T>,
): Promise<T> {
  await source.query('START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY');
  try {
    return await read();
  } finally {
    await source.query('ROLLBACK').catch(() => {});
  }
}

/**
 * The copy against the live source, for a dump without a manifest. The
 * source changed since the dump: different row counts, and tables or objects
 * only in the copy, are drift (passed, said). What the dump is to blame for
 * fails: a table, view, routine, trigger or event of the source missing from
 * the copy, and stable rows (dated before the dump) that differ or miss.
 */
export async function compareWithSource(options: {
  source: Connection;
  restored: Connection;
  database: { source: string; restored: string };
  stableRows: MysqlStableRows[];
  backupTime: Date;
  signal?: AbortSignal;
}): Promise<{
  items: Verification[];
  stable: Verification[];
  summary: string;
  restoredCounts: Map<string, string>;
  sourceTables: Set<string>;
}> {
  const { source, restored, database, signal } = options;
  const restoredObjects = await readObjects(restored, database.restored);
  const restoredCounts = await countRows(
    restored,
    database.restored,
    restoredObjects.tables,
  );
  signal?.throwIfAborted();
  return inSourceSnapshot(source, async () => {
    const sourceObjects = await readObjects(source, database.source);
    const sourceCounts = await countRows(
      source,
      database.source,
      sourceObjects.tables,
    );
    const items = [
      ...compareRowCounts(sourceCounts, restoredCounts),
      ...compareMysqlObjects({
        reference: sourceObjects,
        restored: restoredObjects,
        against: 'source',
      }),
    ];
    const stable: Verification[] = [];
    for (const rule of options.stableRows) {
      signal?.throwIfAborted();
      if (!restoredCounts.has(rule.table)) {
        // Missing from the copy (its row count fails, naming it) or unknown.
        if (!sourceCounts.has(rule.table)) {
          stable.push({
            name: `stable rows of ${rule.table}`,
            passed: false,
            actual: 'no such table',
            failure: `verification.stableRows names table ${rule.table}, which the source database ${database.source} does not have`,
          });
        }
        continue;
      }
      stable.push(
        await verifyStableRowsOf({
          rule,
          database,
          source,
          restored,
          backupTime: options.backupTime,
        }),
      );
    }
    const equal = [...sourceCounts].filter(
      ([table, count]) => restoredCounts.get(table) === count,
    ).length;
    const drifted = [...sourceCounts].filter(
      ([table, count]) =>
        restoredCounts.has(table) && restoredCounts.get(table) !== count,
    ).length;
    const summary = `against the source: ${
      sourceCounts.size
    } tables, row counts equal on ${equal}${
      drifted ? ` (drift since the backup on ${drifted})` : ''
    }`;
    return {
      items,
      stable,
      summary,
      restoredCounts,
      sourceTables: new Set(sourceCounts.keys()),
    };
  });
}
