import type { Connection } from 'mysql2/promise';
import { quoteIdentifier, selectRows } from './sql';

/** A table's columns, in order, and its primary key's. */
export interface TableColumns {
  columns: string[];
  primaryKey: string[];
}

export async function readTableColumns(
  connection: Connection,
  database: string,
  table: string,
): Promise<TableColumns> {
  const columns = await selectRows<{ name: string }>(
    connection,
    `SELECT COLUMN_NAME AS name FROM information_schema.COLUMNS
     WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION`,
    [database, table],
  );
  const key = await selectRows<{ name: string }>(
    connection,
    `SELECT COLUMN_NAME AS name FROM information_schema.STATISTICS
     WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? AND INDEX_NAME = 'PRIMARY'
     ORDER BY SEQ_IN_INDEX`,
    [database, table],
  );
  return {
    columns: columns.map(row => String(row.name)),
    primaryKey: key.map(row => String(row.name)),
  };
}

/**
 * A SQL expression hashing one row of alias `r` to a 60-bit integer: every
 * column as the hex of its bytes, NULL marked apart from any value, so two
 * rows hash alike only when equal column by column. CHECKSUM TABLE cannot
 * be limited to some rows; this can, and its SUM does not depend on order.
 */
export function rowHashSql(columns: string[]): string {
  const values = columns.map(column => {
    const ref = `r.${quoteIdentifier(column)}`;
    return `IF(${ref} IS NULL, 'N', CONCAT('V', HEX(CAST(${ref} AS BINARY))))`;
  });
  return `CONV(SUBSTRING(MD5(CONCAT_WS(',', ${values.join(
    ', ',
  )})), 1, 15), 16, 10)`;
}

/** Count and order-independent hash sum of the rows a condition selects. */
export async function readRowsDigest(
  connection: Connection,
  options: {
    database: string;
    table: string;
    columns: string[];
    where: string;
    values: unknown[];
  },
): Promise<{ rows: string; sum: string }> {
  const { database, table, columns, where, values } = options;
  const [row] = await selectRows<{ rows: unknown; sum: unknown }>(
    connection,
    `SELECT COUNT(*) AS \`rows\`, COALESCE(SUM(${rowHashSql(
      columns,
    )}), 0) AS \`sum\` FROM ${quoteIdentifier(database)}.${quoteIdentifier(
      table,
    )} AS r WHERE ${where}`,
    values,
  );
  return { rows: String(row.rows), sum: String(row.sum) };
}

/** Each selected row's primary key (as JSON text) and hash. */
export async function readRowHashes(
  connection: Connection,
  options: {
    database: string;
    table: string;
    columns: TableColumns;
    where: string;
    values: unknown[];
  },
): Promise<Map<string, string>> {
  const { database, table, columns, where, values } = options;
  const key = columns.primaryKey.map(
    column => `CAST(r.${quoteIdentifier(column)} AS CHAR)`,
  );
  const [rows] = await connection.query({
    sql: `SELECT JSON_ARRAY(${key.join(', ')}) AS k, ${rowHashSql(
      columns.columns,
    )} AS h FROM ${quoteIdentifier(database)}.${quoteIdentifier(
      table,
    )} AS r WHERE ${where}`,
    values,
  });
  return new Map(
    (rows as Array<{ k: unknown; h: unknown }>).map(row => [
      String(row.k),
      String(row.h),
    ]),
  );
}
