import type { Connection } from 'mysql2/promise';
import { quoteIdentifier, selectArrays, selectRows } from './sql';

/** A table's row count and CHECKSUM TABLE value, as decimal text. */
export interface MysqlTableContents {
  rows: string;
  checksum: string;
}

/**
 * The schema objects of one database, by name, sorted. Routines read
 * `procedure name` or `function name`: both kinds share no namespace.
 */
export interface MysqlObjects {
  tables: string[];
  views: string[];
  routines: string[];
  triggers: string[];
  events: string[];
}

/** The objects of a database and every base table's contents. */
export interface MysqlOutline extends MysqlObjects {
  contents: Map<string, MysqlTableContents>;
}

export const OBJECT_KINDS = ['view', 'routine', 'trigger', 'event'] as const;

const OBJECTS_SQL = `
  SELECT 'table' AS kind, TABLE_NAME AS name FROM information_schema.TABLES
    WHERE TABLE_SCHEMA = ? AND TABLE_TYPE = 'BASE TABLE'
  UNION ALL
  SELECT 'view', TABLE_NAME FROM information_schema.VIEWS WHERE TABLE_SCHEMA = ?
  UNION ALL
  SELECT 'routine', CONCAT(LOWER(ROUTINE_TYPE), ' ', ROUTINE_NAME)
    FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = ?
  UNION ALL
  SELECT 'trigger', TRIGGER_NAME FROM information_schema.TRIGGERS
    WHERE TRIGGER_SCHEMA = ?
  UNION ALL
  SELECT 'event', EVENT_NAME FROM information_schema.EVENTS
    WHERE EVENT_SCHEMA = ?`;

/** Code-point order, as information_schema sorts neither way reliably. */
function byName(a: string, b: string): number {
  if (a === b) {
    return 0;
  }
  return a < b ? -1 : 1;
}

/** The tables, views, routines, triggers and events of `database`. */
export async function readObjects(
  connection: Connection,
  database: string,
): Promise<MysqlObjects> {
  const rows = await selectRows<{ kind: string; name: string }>(
    connection,
    OBJECTS_SQL,
    Array(5).fill(database),
  );
  const of = (kind: string) =>
    rows
      .filter(row => row.kind === kind)
      .map(row => String(row.name))
      .sort(byName);
  return {
    tables: of('table'),
    views: of('view'),
    routines: of('routine'),
    triggers: of('trigger'),
    events: of('event'),
  };
}

/** `SELECT COUNT(*)` of each table, by name. */
export async function countRows(
  connection: Connection,
  database: string,
  tables: string[],
): Promise<Map<string, string>> {
  const counts = new Map<string, string>();
  for (const table of tables) {
    const [[count]] = await selectArrays(
      connection,
      `SELECT COUNT(*) FROM ${quoteIdentifier(database)}.${quoteIdentifier(
        table,
      )}`,
    );
    counts.set(table, String(count));
  }
  return counts;
}

/**
 * Row count and checksum of every table. CHECKSUM TABLE is the server's own
 * checksum of all rows, so the restored copy can be held to it exactly. Tried
 * on MariaDB 10.11 (InnoDB): inside START TRANSACTION WITH CONSISTENT
 * SNAPSHOT it reads the transaction's snapshot, not rows committed since, and
 * a copy restored from mariadb-dump --hex-blob gives the same value (BLOB,
 * DOUBLE, DECIMAL, TIMESTAMP(6), JSON, ENUM and NULLs included). It hashes
 * the stored row format, so the copy must run on the same server family and
 * major version as the source (the drill's scratch server does). For MyISAM
 * and other non-transactional tables no snapshot exists: they are read as
 * they are at that moment.
 */
export async function readContents(
  connection: Connection,
  database: string,
  tables: string[],
  signal?: AbortSignal,
): Promise<Map<string, MysqlTableContents>> {
  const contents = new Map<string, MysqlTableContents>();
  for (const table of tables) {
    signal?.throwIfAborted();
    const quoted = `${quoteIdentifier(database)}.${quoteIdentifier(table)}`;
    const [[rows]] = await selectArrays(
      connection,
      `SELECT COUNT(*) FROM ${quoted}`,
    );
    const [[, checksum]] = await selectArrays(
      connection,
      `CHECKSUM TABLE ${quoted}`,
    );
    if (checksum === null) {
      // The server answers NULL for a table it could not read.
      throw new Error(`CHECKSUM TABLE ${database}.${table} returned NULL`);
    }
    contents.set(table, { rows: String(rows), checksum: String(checksum) });
  }
  return contents;
}

/** Objects and contents of a database, read in the session's current snapshot. */
export async function readOutline(
  connection: Connection,
  database: string,
  signal?: AbortSignal,
): Promise<MysqlOutline> {
  const objects = await readObjects(connection, database);
  const contents = await readContents(
    connection,
    database,
    objects.tables,
    signal,
  );
  return { ...objects, contents };
}
