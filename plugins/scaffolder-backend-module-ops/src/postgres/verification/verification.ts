import { Client } from 'pg';
import { SqlCheck } from '../config';
import { querySingleStatement } from '../connections';
import { compareCheckResult, runCheck } from './checks';
import { compareRowCounts, inSnapshot, SourceRowCounts } from './rowCounts';
import { compareSamples, sampleTable } from './samples';
import {
  countRows,
  listUserTables,
  PRIMARY_KEY_SQL,
  tableLabel,
  Verification,
} from './tables';

// The verification library's parts, for the drill and its tests.
export { compareCheckResult } from './checks';
export { compareRowCounts, countSourceRows } from './rowCounts';
export type { SourceRowCounts } from './rowCounts';
export { compareSamples, samplePercent } from './samples';
export type { SampledRow } from './samples';
export { quoteTable, tableLabel } from './tables';
export type { TableRef, Verification } from './tables';

/**
 * Compares the restored copy with the source, reading only: exact row counts
 * of every user table (the source's counted beforehand, by countSourceRows),
 * checksums of sampled rows, and the configured checks. The sampled rows and
 * checks of the source are read in one repeatable-read, read-only
 * transaction, so they are of one moment.
 */
export async function verifyRestoredCopy(options: {
  source: Client;
  /** The source's counts, being read (see countSourceRows). */
  sourceRows: Promise<SourceRowCounts>;
  restored: Client;
  checks: SqlCheck[];
  samplesPerTable: number;
  signal?: AbortSignal;
}): Promise<{ verification: Verification[]; summary: string }> {
  const { source, restored, checks, samplesPerTable, signal } = options;
  const throwIfAborted = () => signal?.throwIfAborted();

  return inSnapshot(source, async () => {
    const restoredTables = await listUserTables(restored);
    throwIfAborted();
    // The source's counts may still be running, on the source's own server.
    const [sourceRows, restoredCounts] = await Promise.all([
      options.sourceRows,
      countRows(restored, restoredTables),
    ]);
    const countVerifications = compareRowCounts(
      sourceRows.counts,
      restoredCounts,
    );
    throwIfAborted();

    const sampleVerifications: Verification[] = [];
    const withoutKey: string[] = [];
    const sourceLabels = new Set(sourceRows.tables.map(tableLabel));
    if (samplesPerTable > 0) {
      for (const table of restoredTables) {
        if (!sourceLabels.has(tableLabel(table))) {
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
      ...countVerifications,
      ...sampleVerifications,
      ...checkVerifications,
    ];
    const passedOf = (list: Verification[]) =>
      list.filter(item => item.passed).length;
    const summary = [
      `${countVerifications.length} tables, row counts equal on ${passedOf(
        countVerifications,
      )}`,
      samplesPerTable > 0
        ? `sampled rows equal on ${passedOf(sampleVerifications)} of ${
            sampleVerifications.length
          } tables${
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
