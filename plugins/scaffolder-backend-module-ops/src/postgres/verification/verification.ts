import { Client } from 'pg';
import { BackupManifest } from '../backup/manifest';
import { SqlCheck, StableRows } from '../config';
import { querySingleStatement } from '../connections';
import { messageOf } from '../../errors';
import { compareCheckResult, runCheck } from './checks';
import {
  DatabaseContents,
  listIndexesAndSequences,
  readDatabaseContents,
} from './contents';
import { DRIFT } from './drift';
import { compareWithManifest } from './manifestComparison';
import {
  compareObjects,
  compareRowCounts,
  inSnapshot,
  SourceOutline,
} from './rowCounts';
import { compareSamples, sampleTable } from './samples';
import {
  compareStableRows,
  readStableContents,
  stableSelection,
  StableSelection,
} from './stableRows';
import {
  countRows,
  listUserTables,
  PRIMARY_KEY_SQL,
  TableRef,
  tableLabel,
  Verification,
} from './tables';

// The verification library's parts, for the drill and its tests.
export { compareCheckResult } from './checks';
export {
  compareObjects,
  compareRowCounts,
  readSourceOutline,
} from './rowCounts';
export type { SourceOutline } from './rowCounts';
export { compareSamples, samplePercent } from './samples';
export type { SampledRow } from './samples';
export { compareWithManifest } from './manifestComparison';
export { compareStableRows, STABLE_ROWS_MARGIN_SECONDS } from './stableRows';
export { quoteTable, tableLabel } from './tables';
export type { TableRef, Verification } from './tables';

/** The stable rows of every configured table, copy against source. */
async function verifyStableRows(options: {
  source: Client;
  restored: Client;
  rules: StableRows[];
  backupTime: Date;
  restoredTables: Set<string>;
}): Promise<{
  verification: Verification[];
  selections: Map<string, StableSelection>;
}> {
  const { source, restored, rules, backupTime, restoredTables } = options;
  const verification: Verification[] = [];
  const selections = new Map<string, StableSelection>();
  for (const rule of rules) {
    const table = `${rule.schema}.${rule.table}`;
    if (!restoredTables.has(table)) {
      // Missing from the copy: its row count already fails, naming it.
      continue;
    }
    // A failed query (a column that does not exist) must not abort the
    // source's snapshot transaction.
    await source.query('SAVEPOINT opsdeck_stable_rows');
    try {
      const selection = await stableSelection(restored, rule, backupTime);
      if (!selection) {
        verification.push(compareStableRows({ table }));
        continue;
      }
      selections.set(table, selection);
      const [sourceRows, restoredRows] = await Promise.all([
        readStableContents(source, rule, selection),
        readStableContents(restored, rule, selection),
      ]);
      verification.push(
        compareStableRows({
          table,
          description: selection.description,
          source: sourceRows,
          restored: restoredRows,
        }),
      );
      await source.query('RELEASE SAVEPOINT opsdeck_stable_rows');
    } catch (error) {
      await source.query('ROLLBACK TO SAVEPOINT opsdeck_stable_rows');
      verification.push(compareStableRows({ table, error: messageOf(error) }));
    }
  }
  return { verification, selections };
}

/**
 * Compares the restored copy, reading only, with what the backup must hold.
 *
 * With a manifest (a backup OpsDeck or `opsdeck-pg-dump` took), the copy is
 * compared exactly with the manifest of the backup's own snapshot: every
 * table's row count and checksum, and the tables, indexes and sequences.
 *
 * Without one, the copy is compared with the live source, which changed since
 * the backup: rows added, changed or removed since are reported as drift,
 * and only what the backup can be blamed for fails: a table, index or
 * sequence missing from the copy, stable rows (see StableRows) that differ or
 * are missing.
 *
 * Either way, sampled rows are compared with the source (drift-aware) and the
 * configured checks run. The source is read in one repeatable-read,
 * read-only transaction, so what it answers is of one moment.
 */
export async function verifyRestoredCopy(options: {
  source: Client;
  /** The backup's manifest, when it has one. */
  manifest?: BackupManifest;
  /** Without a manifest: the source's outline, being read (see readSourceOutline). */
  sourceOutline?: Promise<SourceOutline>;
  /** The moment the backup holds: stable rows are those dated before it. */
  backupTime: Date;
  restored: Client;
  checks: SqlCheck[];
  samplesPerTable: number;
  stableRows: StableRows[];
  signal?: AbortSignal;
}): Promise<{ verification: Verification[]; summary: string }> {
  const { source, manifest, restored, checks, samplesPerTable, signal } =
    options;
  const throwIfAborted = () => signal?.throwIfAborted();
  return inSnapshot(source, async () => {
    let restoredTables: TableRef[];
    let restoredCounts: Map<string, string>;
    let contentVerifications: Verification[];
    let sourceTables: Set<string>;
    let contentSummary: string;
    let stableVerifications: Verification[] = [];
    let selections = new Map<string, StableSelection>();

    if (manifest) {
      const contents: DatabaseContents = await readDatabaseContents(
        restored,
        signal,
      );
      restoredTables = contents.tables;
      restoredCounts = new Map(
        [...contents.contents].map(([table, { rows }]) => [table, rows]),
      );
      contentVerifications = compareWithManifest(manifest, contents);
      sourceTables = new Set((await listUserTables(source)).map(tableLabel));
      const tableItems = contentVerifications.filter(item =>
        item.name.startsWith('rows of '),
      );
      contentSummary = `against the backup's manifest (${
        manifest.snapshotTime
      }): ${tableItems.length} tables, rows and checksums equal on ${
        tableItems.filter(item => item.passed).length
      }`;
    } else {
      restoredTables = await listUserTables(restored);
      throwIfAborted();
      // The source's outline may still be read, on the source's own server.
      const [outline, counts, objects] = await Promise.all([
        options.sourceOutline!,
        countRows(restored, restoredTables),
        listIndexesAndSequences(restored),
      ]);
      restoredCounts = counts;
      sourceTables = new Set(outline.tables.map(tableLabel));
      contentVerifications = [
        ...compareRowCounts(outline.counts, restoredCounts),
        ...compareObjects({
          kind: 'index',
          reference: outline.indexes,
          restored: objects.indexes,
          against: 'source',
        }),
        ...compareObjects({
          kind: 'sequence',
          reference: outline.sequences,
          restored: objects.sequences,
          against: 'source',
        }),
      ];
      const equalCounts = [...outline.counts].filter(
        ([table, count]) => restoredCounts.get(table) === count,
      ).length;
      const drifted = [...outline.counts].filter(
        ([table, count]) =>
          restoredCounts.has(table) && restoredCounts.get(table) !== count,
      ).length;
      contentSummary = `${
        outline.counts.size
      } tables, row counts equal on ${equalCounts}${
        drifted ? ` (${DRIFT} on ${drifted})` : ''
      }`;
      throwIfAborted();
      ({ verification: stableVerifications, selections } =
        await verifyStableRows({
          source,
          restored,
          rules: options.stableRows,
          backupTime: options.backupTime,
          restoredTables: new Set(restoredTables.map(tableLabel)),
        }));
    }
    throwIfAborted();

    const sampleVerifications: Verification[] = [];
    const withoutKey: string[] = [];
    if (samplesPerTable > 0) {
      for (const table of restoredTables) {
        if (!sourceTables.has(tableLabel(table))) {
          continue;
        }
        const keyColumns = (
          await querySingleStatement<{ column: string }>(
            restored,
            PRIMARY_KEY_SQL,
            [table.schema, table.name],
          )
        ).map(row => row.column);
        if (keyColumns.length === 0) {
          withoutKey.push(tableLabel(table));
          continue;
        }
        const samples = await sampleTable({
          source,
          restored,
          table,
          keyColumns,
          count: samplesPerTable,
          rows: Number(restoredCounts.get(tableLabel(table))),
          stable: selections.get(tableLabel(table)),
        });
        sampleVerifications.push(compareSamples(tableLabel(table), samples));
        throwIfAborted();
      }
    }

    const checkVerifications: Verification[] = [];
    for (const check of checks) {
      const [restoredResult, sourceResult] = await Promise.all([
        runCheck(restored, check.sql, false),
        check.expect === undefined
          ? runCheck(source, check.sql, true)
          : undefined,
      ]);
      checkVerifications.push(
        compareCheckResult(check, restoredResult, sourceResult),
      );
    }

    const verification = [
      ...contentVerifications,
      ...stableVerifications,
      ...sampleVerifications,
      ...checkVerifications,
    ];
    const passedOf = (list: Verification[]) =>
      list.filter(item => item.passed).length;
    const drifting = (list: Verification[]) =>
      list.filter(item => item.actual?.includes(DRIFT)).length;
    const summary = [
      contentSummary,
      ...(stableVerifications.length
        ? [
            `stable rows equal on ${passedOf(stableVerifications)} of ${
              stableVerifications.length
            } tables`,
          ]
        : []),
      samplesPerTable > 0
        ? `sampled rows: ${passedOf(sampleVerifications)} of ${
            sampleVerifications.length
          } tables pass${
            drifting(sampleVerifications)
              ? `, ${drifting(sampleVerifications)} with drift since the backup`
              : ''
          }${
            withoutKey.length
              ? ` (not sampled, no primary key: ${withoutKey.join(', ')})`
              : ''
          }`
        : 'row sampling off',
      `checks passed ${passedOf(checkVerifications)} of ${
        checkVerifications.length
      }`,
    ].join('; ');
    return { verification, summary };
  });
}
