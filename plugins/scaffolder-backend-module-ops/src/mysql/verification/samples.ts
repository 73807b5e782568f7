import type { Connection } from 'mysql2/promise';
import {
  compareSamples,
  SampledRow,
} from '../../postgres/verification/samples';
import { Verification } from '../../postgres/verification/tables';
import { MysqlStableRows } from '../target';
import { readTableColumns, rowHashSql, TableColumns } from './rowHash';
import { quoteIdentifier, selectArrays, selectRows } from './sql';
import { stableCutoff } from './stableRows';

const NUMERIC = /^(tinyint|smallint|mediumint|int|bigint|decimal)$/;

/**
 * Random primary keys of the copy. MySQL has no TABLESAMPLE and ORDER BY
 * RAND() reads and sorts the whole table: with a numeric first key column,
 * each sample is one index seek to the first key at or after a random value
 * between the smallest and the largest; otherwise rows are kept with a
 * probability that yields about `count` of them (one pass at most).
 */
async function randomKeys(options: {
  restored: Connection;
  database: string;
  table: string;
  keyColumns: string[];
  count: number;
  rows: number;
}): Promise<unknown[][]> {
  const { restored, database, table, keyColumns, count, rows } = options;
  const quoted = `${quoteIdentifier(database)}.${quoteIdentifier(table)}`;
  const keys = keyColumns.map(quoteIdentifier).join(', ');
  const [{ type }] = await selectRows<{ type: string }>(
    restored,
    `SELECT DATA_TYPE AS type FROM information_schema.COLUMNS
     WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? AND COLUMN_NAME = ?`,
    [database, table, keyColumns[0]],
  );
  if (!NUMERIC.test(String(type))) {
    return selectArrays(
      restored,
      `SELECT ${keys} FROM ${quoted} WHERE RAND() < ? LIMIT ${count}`,
      [Math.min(1, (2 * count) / Math.max(rows, 1))],
    );
  }
  const first = quoteIdentifier(keyColumns[0]);
  const [[low, high]] = await selectArrays(
    restored,
    `SELECT MIN(${first}), MAX(${first}) FROM ${quoted}`,
  );
  const found = new Map<string, unknown[]>();
  for (let attempt = 0; attempt < count * 2 && found.size < count; attempt++) {
    const at = Number(low) + Math.random() * (Number(high) - Number(low));
    const [key] = await selectArrays(
      restored,
      `SELECT ${keys} FROM ${quoted} WHERE ${first} >= ? ORDER BY ${keys} LIMIT 1`,
      [Math.floor(at)],
    );
    if (key) {
      found.set(JSON.stringify(key), key);
    }
  }
  return [...found.values()];
}

/** Key, row hash and whether the row is dated before the cutoff, by key. */
async function readSampled(
  connection: Connection,
  columns: TableColumns,
  table: string,
  database: string,
  keys: unknown[][],
  stable: { column: string; cutoff: string } | undefined,
): Promise<Map<string, { hash: string; stable: boolean }>> {
  const keyList = columns.primaryKey.map(c => `r.${quoteIdentifier(c)}`);
  const tuple = `(${keyList.map(() => '?').join(', ')})`;
  const [rows] = await connection.query({
    sql: `SELECT JSON_ARRAY(${keyList
      .map(key => `CAST(${key} AS CHAR)`)
      .join(', ')}) AS k, ${rowHashSql(columns.columns)} AS h, ${
      stable ? `r.${quoteIdentifier(stable.column)} < ?` : '0'
    } AS s FROM ${quoteIdentifier(database)}.${quoteIdentifier(table)} AS r
      WHERE (${keyList.join(', ')}) IN (${keys.map(() => tuple).join(', ')})`,
    values: [...(stable ? [stable.cutoff] : []), ...keys.flat()],
  });
  return new Map(
    (rows as Array<{ k: string; h: unknown; s: unknown }>).map(row => [
      String(row.k),
      { hash: String(row.h), stable: Number(row.s) === 1 },
    ]),
  );
}

/**
 * Sampled rows of one table, copy against source. A row that differs is drift, unless it is dated before
 * the dump on both sides by the table's stableRows column: that fails.
 */
export async function sampleTable(options: {
  source: Connection;
  restored: Connection;
  database: { source: string; restored: string };
  table: string;
  rows: number;
  count: number;
  stableRule?: MysqlStableRows;
  backupTime: Date;
}): Promise<Verification | undefined> {
  const { source, restored, database, table, stableRule } = options;
  const columns = await readTableColumns(restored, database.restored, table);
  if (columns.primaryKey.length === 0 || options.rows === 0) {
    return undefined;
  }
  const keys = await randomKeys({
    restored,
    database: database.restored,
    table,
    keyColumns: columns.primaryKey,
    count: options.count,
    rows: options.rows,
  });
  if (keys.length === 0) {
    return undefined;
  }
  const stable = stableRule
    ? { column: stableRule.column, cutoff: stableCutoff(options.backupTime) }
    : undefined;
  const [inCopy, inSource] = await Promise.all([
    readSampled(restored, columns, table, database.restored, keys, stable),
    readSampled(source, columns, table, database.source, keys, stable),
  ]);
  const samples: SampledRow[] = [...inCopy].map(([key, copy]) => {
    const there = inSource.get(key);
    return {
      key: `(${columns.primaryKey.join(', ')})=${key}`,
      restored: copy.hash,
      source: there?.hash,
      stable: copy.stable && there?.stable === true,
    };
  });
  return compareSamples(table, samples);
}
