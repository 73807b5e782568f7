import { Client, escapeIdentifier } from 'pg';
import { querySingleStatement } from '../connections';
import { DRIFT } from './drift';
import { quoteTable, TableRef, Verification } from './tables';

/**
 * A sampled row: its key and checksums on both sides (source undefined: row
 * absent), and whether it is a stable row (see StableRows), which the copy
 * must hold as the source does.
 */
export interface SampledRow {
  key: string;
  restored: string;
  source?: string;
  stable?: boolean;
}

function describe(sample: SampledRow): string {
  return `${sample.key} ${
    sample.source === undefined ? 'deleted on the source' : 'changed'
  }`;
}

function listed(samples: SampledRow[]): string {
  const shown = samples.slice(0, 3).map(describe).join(', ');
  return samples.length > 3 ? `${shown} and ${samples.length - 3} more` : shown;
}

/**
 * Sampled rows of a table against the live source. A row that differs is
 * drift (changed or deleted since the backup), reported as such, unless it
 * is a stable row: that fails.
 */
export function compareSamples(
  table: string,
  samples: SampledRow[],
): Verification {
  const name = `sampled rows of ${table}`;
  const differing = samples.filter(sample => sample.source !== sample.restored);
  const stable = differing.filter(sample => sample.stable);
  const drift = differing.filter(sample => !sample.stable);
  const expected = `${samples.length} rows equal to the source`;
  const equal = `${samples.length - differing.length} equal`;
  if (stable.length > 0) {
    return {
      name,
      passed: false,
      expected,
      actual: `${equal}; stable rows differ: ${listed(stable)}`,
      failure: `${name}: ${stable.length} of ${
        samples.length
      } are stable rows that differ from the source (${listed(stable)})`,
    };
  }
  return {
    name,
    passed: true,
    expected,
    actual: drift.length
      ? `${equal}; ${drift.length} differ, ${DRIFT}: ${listed(drift)}`
      : equal,
  };
}

function formatKey(columns: string[], values: (string | null)[]): string {
  const shown = values.map(value => (value === null ? 'NULL' : value));
  return columns.length === 1
    ? `${columns[0]}=${shown[0]}`
    : `(${columns.join(', ')})=(${shown.join(', ')})`;
}

/**
 * Percent of a table's pages that TABLESAMPLE SYSTEM reads to find about
 * `wanted` rows among `rows`, with a margin of 4 for rows clustered on few
 * pages; 100 when that is most of the table anyway.
 */
export function samplePercent(wanted: number, rows: number): number {
  if (rows <= 0 || wanted <= 0) {
    return 100;
  }
  return Math.min(100, Math.max(0.0001, (100 * wanted * 4) / rows));
}

/**
 * Random primary keys of the restored copy. A whole-table `ORDER BY random()`
 * reads and sorts every row, which dominated a drill of a large database;
 * TABLESAMPLE SYSTEM reads a few random pages instead, growing the sample
 * until it holds enough rows (or is the whole table).
 */
export async function randomKeys(options: {
  restored: Client;
  table: TableRef;
  keyColumns: string[];
  count: number;
  rows: number;
}): Promise<(string | null)[][]> {
  const { restored, table, keyColumns, count, rows } = options;
  const keys = keyColumns
    .map((column, index) => `r.${escapeIdentifier(column)}::text AS k${index}`)
    .join(', ');
  const read = async (sample: string) =>
    (
      await querySingleStatement<Record<string, string | null>>(
        restored,
        `SELECT ${keys} FROM ${quoteTable(
          table,
        )} AS r ${sample} ORDER BY random() LIMIT $1`,
        [count],
      )
    ).map(row => keyColumns.map((_, index) => row[`k${index}`]));
  let percent = samplePercent(count, rows);
  while (percent < 100) {
    let found: (string | null)[][];
    try {
      // The percentage is a number we computed, never user input.
      found = await read(`TABLESAMPLE SYSTEM (${percent})`);
    } catch {
      // A relation kind without TABLESAMPLE support: read it all.
      break;
    }
    if (found.length >= Math.min(count, rows)) {
      return found;
    }
    percent = Math.min(100, percent * 10);
  }
  return read('');
}

/**
 * Picks random rows of the restored copy by primary key and compares
 * `md5(row::text)` with the same rows on the source. Keys travel as text
 * parameters; PostgreSQL infers their type from the key column, so both
 * sides are read through their primary key index.
 */
export async function sampleTable(options: {
  source: Client;
  restored: Client;
  table: TableRef;
  keyColumns: string[];
  count: number;
  /** Rows of the table in the restored copy. */
  rows: number;
  /**
   * Which rows are stable: a condition on the row `r` whose parameters
   * follow the key's (see stableSelection). Read on the restored row.
   */
  stable?: { where: string; values: unknown[] };
}): Promise<SampledRow[]> {
  const { source, restored, table, keyColumns, stable } = options;
  const where = keyColumns
    .map((column, index) => `r.${escapeIdentifier(column)} = $${index + 1}`)
    .join(' AND ');
  // The stable condition's $1.. come after the key's parameters.
  const stableCondition = stable
    ? stable.where.replace(
        /\$(\d+)/g,
        (_, n) => `$${Number(n) + keyColumns.length}`,
      )
    : 'false';
  // ROW(r.*), not r: a column named r would shadow the row.
  const checksumQuery = `SELECT md5(ROW(r.*)::text) AS checksum, (${stableCondition}) AS stable FROM ${quoteTable(
    table,
  )} AS r WHERE ${where}`;
  const samples: SampledRow[] = [];
  for (const values of await randomKeys(options)) {
    const [[restoredRow], [sourceRow]] = await Promise.all(
      [restored, source].map(client =>
        querySingleStatement<{ checksum: string; stable: boolean }>(
          client,
          checksumQuery,
          [...values, ...(stable?.values ?? [])],
        ),
      ),
    );
    samples.push({
      key: formatKey(keyColumns, values),
      restored: restoredRow.checksum,
      source: sourceRow?.checksum,
      stable: restoredRow.stable === true,
    });
  }
  return samples;
}
