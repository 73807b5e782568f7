import { Client, escapeIdentifier } from 'pg';
import { DrillVerification } from '@opsdeck/plugin-ops-common';
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

export const PRIMARY_KEY_SQL = `
  SELECT a.attname AS column
  FROM pg_catalog.pg_index i
  JOIN pg_catalog.pg_class c ON c.oid = i.indrelid
  JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
  CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, position)
  JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attnum = k.attnum
  WHERE i.indisprimary AND n.nspname = $1 AND c.relname = $2
  ORDER BY k.position`;

export async function listUserTables(client: Client): Promise<TableRef[]> {
  return querySingleStatement<TableRef>(client, USER_TABLES_SQL);
}

export async function countRows(
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
