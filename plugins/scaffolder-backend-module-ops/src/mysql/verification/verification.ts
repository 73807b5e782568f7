import type { Connection } from 'mysql2/promise';
import { SqlCheck } from '../../postgres/config';
import { Verification } from '../../postgres/verification/tables';
import { MysqlBackupManifest } from '../backup/manifest';
import { MysqlStableRows } from '../target';
import { verifyChecks } from './checks';
import { compareMysqlWithManifest } from './manifestComparison';
import { readObjects, readOutline } from './outline';
import { sampleTable } from './samples';
import { compareWithSource } from './sourceComparison';
import { checkRestoredTables } from './tableCheck';

export { compareMysqlWithManifest } from './manifestComparison';
export { readOutline } from './outline';
export type { MysqlOutline } from './outline';

const passedOf = (list: Verification[]) =>
  list.filter(item => item.passed).length;

/**
 * Verifies a restored MySQL/MariaDB copy, reading only, like PostgreSQL's
 * verifyRestoredCopy:
 * - with the dump's manifest: every table's row count and CHECKSUM TABLE
 *   exactly, every view, routine, trigger and event present;
 * - without one, against the live source: drift is reported, and only what
 *   the dump is to blame for fails (see compareWithSource);
 * - sampled rows against the source (tables with a primary key): a
 *   difference is drift, unless the row predates the dump (stableRows);
 * - the configured checks, with an expected value or against the source;
 * - `mariadb-check` of the copy, when `tableCheck` is given.
 *
 * @public
 */
export async function verifyRestoredMysqlCopy(options: {
  restored: Connection;
  /** The database in the scratch instance the dump was restored into. */
  restoredDatabase: string;
  manifest?: MysqlBackupManifest;
  /** The source (or replica): required without a manifest, and for checks without `expect`. */
  source?: Connection;
  sourceDatabase: string;
  /** The moment the dump holds: stable rows are those dated before it. */
  backupTime: Date;
  checks: SqlCheck[];
  /** Rows per table compared with the source (0: none); differences are drift unless stable. */
  samplesPerTable: number;
  stableRows: MysqlStableRows[];
  /** Run mariadb-check over the scratch instance's socket (verification.check). */
  tableCheck?: { binDir: string; socket: string; user: string };
  signal?: AbortSignal;
}): Promise<{ verification: Verification[]; summary: string }> {
  const { restored, restoredDatabase, manifest, source, signal } = options;
  let contents: Verification[];
  let stable: Verification[] = [];
  let contentSummary: string;
  let restoredCounts: Map<string, string>;
  let sourceTables = new Set<string>();
  if (manifest) {
    const outline = await readOutline(restored, restoredDatabase, signal);
    contents = compareMysqlWithManifest(manifest, outline);
    restoredCounts = new Map(
      [...outline.contents].map(([table, { rows }]) => [table, rows]),
    );
    if (source) {
      sourceTables = new Set(
        (await readObjects(source, options.sourceDatabase)).tables,
      );
    }
    const tableItems = contents.filter(item =>
      item.name.startsWith('rows of '),
    );
    contentSummary = `against the backup's manifest (${
      manifest.snapshotTime
    }): ${
      manifest.tables.length
    } tables, rows and checksums equal on ${passedOf(tableItems)}`;
  } else {
    if (!source) {
      throw new Error(
        'A dump without a manifest is verified against the source, but no source connection was given',
      );
    }
    const compared = await compareWithSource({
      source,
      restored,
      database: { source: options.sourceDatabase, restored: restoredDatabase },
      stableRows: options.stableRows,
      backupTime: options.backupTime,
      signal,
    });
    contents = compared.items;
    restoredCounts = compared.restoredCounts;
    sourceTables = compared.sourceTables;
    stable = compared.stable;
    contentSummary = compared.summary;
  }
  signal?.throwIfAborted();
  const samples: Verification[] = [];
  if (source && options.samplesPerTable > 0) {
    for (const [table, rows] of restoredCounts) {
      if (!sourceTables.has(table)) {
        continue;
      }
      const sampled = await sampleTable({
        source,
        restored,
        database: {
          source: options.sourceDatabase,
          restored: restoredDatabase,
        },
        table,
        rows: Number(rows),
        count: options.samplesPerTable,
        stableRule: options.stableRows.find(rule => rule.table === table),
        backupTime: options.backupTime,
      });
      if (sampled) {
        samples.push(sampled);
      }
      signal?.throwIfAborted();
    }
  }
  const checks = await verifyChecks({
    checks: options.checks,
    restored,
    source,
  });
  const tableChecks = options.tableCheck
    ? await checkRestoredTables({
        ...options.tableCheck,
        database: restoredDatabase,
        signal,
      })
    : [];
  const verification = [
    ...contents,
    ...stable,
    ...samples,
    ...checks,
    ...tableChecks,
  ];
  const summary = [
    contentSummary,
    ...(stable.length
      ? [`stable rows equal on ${passedOf(stable)} of ${stable.length} tables`]
      : []),
    options.samplesPerTable > 0
      ? `sampled rows: ${passedOf(samples)} of ${samples.length} tables pass`
      : 'row sampling off',
    `checks passed ${passedOf(checks)} of ${checks.length}`,
    ...(options.tableCheck
      ? [
          tableChecks.every(item => item.passed)
            ? 'mariadb-check: every table OK'
            : `mariadb-check: problems in ${
                tableChecks.filter(item => !item.passed).length
              } tables`,
        ]
      : []),
  ].join('; ');
  return { verification, summary };
}
