import { Client, escapeIdentifier } from 'pg';
import { DrillVerification } from '@opsdeck/plugin-ops-common';
import { SqlCheck } from '../config';
import { querySingleStatement } from '../connections';

/** A verification, with the sentence that explains its failure. */
export interface Verification extends DrillVerification {
  failure?: string;
}

export interface TableRef {
  schema: string;
  name: string;
}

export function tableLabel(table: TableRef): string {
  return `${table.schema}.${table.name}`;
}

/** The table as a quoted SQL identifier; names come from the catalog. */
export function quoteTable(table: TableRef): string {
  return `${escapeIdentifier(table.schema)}.${escapeIdentifier(table.name)}`;
}

// Ordinary and partitioned tables (counted once, through the parent), outside
// the system schemas and not owned by an extension.
const USER_TABLES_SQL = `
  SELECT n.nspname AS schema, c.relname AS name
  FROM pg_catalog.pg_class c
  JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
  WHERE c.relkind IN ('r', 'p')
    AND NOT c.relispartition
    AND n.nspname <> 'information_schema'
    AND n.nspname NOT LIKE 'pg\\_%'
    AND NOT EXISTS (
      SELECT 1 FROM pg_catalog.pg_depend d
      WHERE d.classid = 'pg_catalog.pg_class'::regclass
        AND d.objid = c.oid AND d.deptype = 'e')
  ORDER BY 1, 2`;

const PRIMARY_KEY_SQL = `
  SELECT a.attname AS column
  FROM pg_catalog.pg_index i
  JOIN pg_catalog.pg_class c ON c.oid = i.indrelid
  JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
  CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, position)
  JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attnum = k.attnum
  WHERE i.indisprimary AND n.nspname = $1 AND c.relname = $2
  ORDER BY k.position`;

async function listUserTables(client: Client): Promise<TableRef[]> {
  return querySingleStatement<TableRef>(client, USER_TABLES_SQL);
}

async function countRows(
  client: Client,
  tables: TableRef[],
): Promise<Map<string, string>> {
  const counts = new Map<string, string>();
  for (const table of tables) {
    const [row] = await querySingleStatement<{ count: string }>(
      client,
      `SELECT count(*) AS count FROM ${quoteTable(table)}`,
    );
    counts.set(tableLabel(table), String(row.count));
  }
  return counts;
}

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

/** A sampled row: its key and checksums on both sides (source undefined: row absent). */
export interface SampledRow {
  key: string;
  restored: string;
  source?: string;
}

/** Sampled rows of a table: every checksum must equal the source's. */
export function compareSamples(
  table: string,
  samples: SampledRow[],
): Verification {
  const name = `sampled rows of ${table}`;
  const differing = samples.filter(sample => sample.source !== sample.restored);
  const expected = `${samples.length} rows equal to the source`;
  if (differing.length === 0) {
    return {
      name,
      passed: true,
      expected,
      actual: `${samples.length} equal`,
    };
  }
  const shown = differing
    .slice(0, 3)
    .map(
      sample =>
        `${sample.key} ${
          sample.source === undefined ? 'missing on the source' : 'differs'
        }`,
    );
  const more = differing.length > 3 ? ` and ${differing.length - 3} more` : '';
  return {
    name,
    passed: false,
    expected,
    actual: `${samples.length - differing.length} equal; ${shown.join(
      ', ',
    )}${more}`,
    failure: `${name}: ${differing.length} of ${
      samples.length
    } differ from the source (${shown.join(', ')}${more})`,
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
async function randomKeys(options: {
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
async function sampleTable(options: {
  source: Client;
  restored: Client;
  table: TableRef;
  keyColumns: string[];
  count: number;
  /** Rows of the table in the restored copy. */
  rows: number;
}): Promise<SampledRow[]> {
  const { source, restored, table, keyColumns } = options;
  const where = keyColumns
    .map((column, index) => `r.${escapeIdentifier(column)} = $${index + 1}`)
    .join(' AND ');
  // ROW(r.*), not r: a column named r would shadow the row.
  const checksumQuery = `SELECT md5(ROW(r.*)::text) AS checksum FROM ${quoteTable(
    table,
  )} AS r WHERE ${where}`;
  const samples: SampledRow[] = [];
  for (const values of await randomKeys(options)) {
    const [[restoredRow], [sourceRow]] = await Promise.all(
      [restored, source].map(client =>
        querySingleStatement<{ checksum: string }>(
          client,
          checksumQuery,
          values,
        ),
      ),
    );
    samples.push({
      key: formatKey(keyColumns, values),
      restored: restoredRow.checksum,
      source: sourceRow?.checksum,
    });
  }
  return samples;
}

function resultText(rows: unknown[][]): string {
  return JSON.stringify(rows);
}

function firstValue(rows: unknown[][]): string {
  const value = rows[0]?.[0];
  if (value === undefined) {
    return '(no rows)';
  }
  if (value === null) {
    return 'NULL';
  }
  return value instanceof Date ? value.toISOString() : String(value);
}

function clip(text: string, length = 200): string {
  return text.length > length ? `${text.slice(0, length - 1)}…` : text;
}

/**
 * A configured check: with `expect`, the first value on the restored copy
 * must equal it; without, the restored result must equal the source's.
 */
export function compareCheckResult(
  check: SqlCheck,
  restored: { rows?: unknown[][]; error?: string },
  source?: { rows?: unknown[][]; error?: string },
): Verification {
  const name = `check ${check.name}`;
  if (restored.error !== undefined || !restored.rows) {
    return {
      name,
      passed: false,
      expected: check.expect ?? 'same result as the source',
      actual: `error: ${clip(restored.error ?? 'no result')}`,
      failure: `${name} failed on the restored copy: ${restored.error}`,
    };
  }
  if (check.expect !== undefined) {
    const actual = firstValue(restored.rows);
    return {
      name,
      passed: actual === check.expect,
      expected: check.expect,
      actual: clip(actual),
      ...(actual === check.expect
        ? {}
        : {
            failure: `${name}: restored copy returned ${clip(
              actual,
            )}, expected ${check.expect}`,
          }),
    };
  }
  if (source?.error !== undefined || !source?.rows) {
    return {
      name,
      passed: false,
      expected: `error: ${clip(source?.error ?? 'no result')}`,
      actual: clip(resultText(restored.rows)),
      failure: `${name} failed on the source: ${source?.error}`,
    };
  }
  const expected = resultText(source.rows);
  const actual = resultText(restored.rows);
  return {
    name,
    passed: expected === actual,
    expected: clip(expected),
    actual: clip(actual),
    ...(expected === actual
      ? {}
      : {
          failure: `${name}: restored copy returned ${clip(
            actual,
            80,
          )}, source ${clip(expected, 80)}`,
        }),
  };
}

async function runCheck(
  client: Client,
  sql: string,
  inTransaction: boolean,
): Promise<{ rows?: unknown[][]; error?: string }> {
  // Inside the source's snapshot transaction a failing check must not abort it.
  if (inTransaction) {
    await client.query('SAVEPOINT opsdeck_drill_check');
  }
  try {
    const rows = await querySingleStatement<unknown[]>(
      client,
      sql,
      [],
      'array',
    );
    if (inTransaction) {
      await client.query('RELEASE SAVEPOINT opsdeck_drill_check');
    }
    return { rows };
  } catch (error) {
    if (inTransaction) {
      await client.query('ROLLBACK TO SAVEPOINT opsdeck_drill_check');
    }
    return { error: error instanceof Error ? error.message : String(error) };
  }
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
async function inSnapshot<T>(
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
