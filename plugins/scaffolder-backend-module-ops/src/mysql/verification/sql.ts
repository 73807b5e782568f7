import type { Connection } from 'mysql2/promise';

/** A MySQL identifier in backquotes; names come from information_schema. */
export function quoteIdentifier(name: string): string {
  return `\`${name.replace(/`/g, '``')}\``;
}

/** Rows of a query as objects (one statement, values bound by the driver). */
export async function selectRows<R>(
  connection: Connection,
  sql: string,
  values: unknown[] = [],
): Promise<R[]> {
  const [rows] = await connection.query(sql, values);
  return rows as R[];
}

/** Rows of a query as arrays of values, in the order of the select list. */
export async function selectArrays(
  connection: Connection,
  sql: string,
  values: unknown[] = [],
): Promise<unknown[][]> {
  const [rows] = await connection.query({ sql, values, rowsAsArray: true });
  return rows as unknown[][];
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
