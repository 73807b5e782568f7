import { Client } from 'pg';
import { querySingleStatement } from '../connections';
import { listUserTables, quoteTable, tableLabel, TableRef } from './tables';

/** A table's rows in one snapshot: how many, and their order-independent checksum. */
export interface TableContents {
  rows: string;
  checksum: string;
}

/** What a database holds, in one snapshot: the objects a backup must carry. */
export interface DatabaseContents {
  tables: TableRef[];
  /** By `schema.table`. */
  contents: Map<string, TableContents>;
  /** `schema.index`, sorted. */
  indexes: string[];
  /** `schema.sequence`, sorted. */
  sequences: string[];
}

// Objects in user schemas that no extension owns (an extension recreates its
// own objects, and the scratch copy gets amcheck's): what pg_dump carries.
const USER_OBJECT = `
  n.nspname <> 'information_schema'
  AND n.nspname NOT LIKE 'pg\\_%'
  AND NOT EXISTS (
    SELECT 1 FROM pg_catalog.pg_depend d
    WHERE d.classid = 'pg_catalog.pg_class'::regclass
      AND d.objid = c.oid AND d.deptype = 'e')`;

// An index counts when its table is a user object; partition indexes too
// (pg_dump restores them as they were).
const INDEXES_SQL = `
  SELECT n.nspname || '.' || c.relname AS name
  FROM pg_catalog.pg_index i
  JOIN pg_catalog.pg_class c ON c.oid = i.indexrelid
  JOIN pg_catalog.pg_class t ON t.oid = i.indrelid
  JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
  WHERE ${USER_OBJECT.replace(/c\.oid/g, 't.oid')}
  ORDER BY 1`;

const SEQUENCES_SQL = `
  SELECT n.nspname || '.' || c.relname AS name
  FROM pg_catalog.pg_class c
  JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
  WHERE c.relkind = 'S' AND ${USER_OBJECT}
  ORDER BY 1`;

/**
 * The rows of a table (or the part `where` selects) as a count and a
 * checksum: the sum of a 64-bit hash of every row's text. A sum does not
 * depend on the order rows are read in, so it takes one sequential scan and
 * no sort, which keeps it affordable on tables of many GiB, where an md5 of
 * an ordered aggregate would sort the whole table. The sum is numeric: it
 * cannot overflow. `hashtextextended` is the hash of hash partitioning,
 * stable across PostgreSQL versions, so a copy restored into a newer server
 * sums the same. Row text depends on the session's output settings, which
 * every drill session fixes (see connectReadOnly).
 */
export function contentsQuery(table: TableRef, where?: string): string {
  // ROW(r.*), not r: a column named r would shadow the row.
  return `SELECT count(*)::text AS rows,
    coalesce(sum(hashtextextended(ROW(r.*)::text, 0)), 0)::text AS checksum
    FROM ${quoteTable(table)} AS r${where ? ` WHERE ${where}` : ''}`;
}

export async function readTableContents(
  client: Client,
  table: TableRef,
): Promise<TableContents> {
  const [row] = await querySingleStatement<TableContents>(
    client,
    contentsQuery(table),
  );
  return row;
}

/** Names of the user indexes and sequences. */
export async function listIndexesAndSequences(
  client: Client,
): Promise<{ indexes: string[]; sequences: string[] }> {
  const names = async (sql: string) =>
    (await querySingleStatement<{ name: string }>(client, sql)).map(
      row => row.name,
    );
  return {
    indexes: await names(INDEXES_SQL),
    sequences: await names(SEQUENCES_SQL),
  };
}

/**
 * Counts and checksums every user table and lists indexes and sequences.
 * Run it inside one repeatable-read transaction to read one moment.
 */
export async function readDatabaseContents(
  client: Client,
  signal?: AbortSignal,
): Promise<DatabaseContents> {
  const tables = await listUserTables(client);
  const contents = new Map<string, TableContents>();
  for (const table of tables) {
    signal?.throwIfAborted();
    contents.set(tableLabel(table), await readTableContents(client, table));
  }
  return { tables, contents, ...(await listIndexesAndSequences(client)) };
}
