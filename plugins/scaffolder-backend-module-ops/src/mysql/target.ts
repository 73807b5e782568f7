import type { TargetBasics } from '../targets/basics';

/**
 * Where a MySQL/MariaDB target's backups are (`backup.source`):
 * - `mysqldump`: logical dumps (`.sql`, `.sql.gz`) written by
 *   `mysqldump`/`mariadb-dump` into `directory`; the newest by the dump's own
 *   header time ("Dump completed on"), else the file time;
 * - `mariadb-backup`: physical backup directories under `directory`, each
 *   written by `mariadb-backup --backup` (prepared, then copied back by the
 *   drill).
 *
 * @public
 */
export interface MysqlBackupSettings {
  source: 'mysqldump' | 'mariadb-backup';
  /** Absolute, or relative to the backend's working directory. */
  directory: string;
}

/**
 * Rows of a table the dump must hold unchanged: those a timestamp column
 * dates before the dump (used without a manifest).
 *
 * @public
 */
export interface MysqlStableRows {
  table: string;
  column: string;
}

/**
 * A MySQL or MariaDB database target (`ops.databases.<name>` with
 * `engine: mysql`). The endpoints' `database` is the schema drilled; their
 * port defaults to 3306.
 *
 * @public
 */
export interface MysqlTarget extends TargetBasics {
  engine: 'mysql';
  backup: MysqlBackupSettings;
  verification: {
    /** Run `mariadb-check`/`mysqlcheck` on the restored copy. */
    check: boolean;
    stableRows: MysqlStableRows[];
  };
  scratch: {
    /** Where the client programs are: mariadb, mariadb-dump, mariadb-install-db, mariadb-backup (default /usr/bin). */
    binDir: string;
    /** The server program (default: mariadbd or mysqld found in /usr/sbin). */
    server: string;
    workDir: string;
    /** The unprivileged user the scratch server runs as when the backend is root. */
    runAsUser?: string;
  };
}
