// The schema of the MySQL drill's test and bench database: a maintenance
// service (the manual's `maintenance-api`) with every kind of object a
// MariaDB dump must carry for a drill to prove it: base tables, a view, a
// stored function and procedure, a trigger and an event.
//
// - `assets`: a small reference table.
// - `work_orders`: the bulk of the data, changed by the writer (inserted,
//   updated, deleted), so the source drifts from any dump of it.
// - `work_order_log`: append-only (the trigger adds a row per update), dated
//   by `at`: the table whose rows older than a dump must be in it unchanged
//   (`verification.stableRows`).

/** The database the seeder creates. @public */
export const MAINTENANCE_DATABASE = 'maintenance';

/** The table and timestamp column whose rows never change once written. @public */
export const MAINTENANCE_STABLE_ROWS = {
  table: 'work_order_log',
  column: 'at',
};

/** The view, routines, trigger and event the seeder creates: what a drill must find restored. @public */
export const MAINTENANCE_OBJECTS = {
  tables: ['assets', 'work_order_log', 'work_orders'],
  views: ['open_work_orders'],
  routines: ['close_work_order', 'open_work_orders_of'],
  triggers: ['work_orders_log_update'],
  events: ['purge_old_work_order_log'],
};

export const CREATE_TABLES: readonly string[] = [
  `CREATE TABLE assets (
    id INT UNSIGNED NOT NULL PRIMARY KEY,
    name VARCHAR(64) NOT NULL,
    site VARCHAR(32) NOT NULL,
    notes VARCHAR(512) NOT NULL
  ) ENGINE=InnoDB`,
  `CREATE TABLE work_orders (
    id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
    asset_id INT UNSIGNED NOT NULL,
    status VARCHAR(16) NOT NULL,
    priority TINYINT UNSIGNED NOT NULL,
    created_at DATETIME(6) NOT NULL,
    updated_at DATETIME(6) NOT NULL,
    description VARCHAR(1024) NOT NULL,
    KEY work_orders_asset (asset_id),
    KEY work_orders_created (created_at)
  ) ENGINE=InnoDB`,
  `CREATE TABLE work_order_log (
    id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
    work_order_id BIGINT UNSIGNED NOT NULL,
    at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
    message VARCHAR(255) NOT NULL,
    KEY work_order_log_at (at)
  ) ENGINE=InnoDB`,
];

// Created after the bulk load: the trigger must not fire for seeded rows.
export const CREATE_OBJECTS: readonly string[] = [
  `CREATE VIEW open_work_orders AS
    SELECT id, asset_id, status, priority, created_at
    FROM work_orders WHERE status <> 'closed'`,
  `CREATE FUNCTION open_work_orders_of(asset INT UNSIGNED) RETURNS INT
    READS SQL DATA
    RETURN (SELECT COUNT(*) FROM work_orders WHERE asset_id = asset AND status <> 'closed')`,
  `CREATE PROCEDURE close_work_order(IN work_order BIGINT UNSIGNED)
    MODIFIES SQL DATA
    UPDATE work_orders SET status = 'closed', updated_at = NOW(6) WHERE id = work_order`,
  `CREATE TRIGGER work_orders_log_update AFTER UPDATE ON work_orders
    FOR EACH ROW
    INSERT INTO work_order_log (work_order_id, at, message)
    VALUES (NEW.id, NOW(6), CONCAT('status ', OLD.status, ' -> ', NEW.status))`,
  // Never fires in a drill (the scratch server runs without the event
  // scheduler); it is here to be dumped and restored.
  `CREATE EVENT purge_old_work_order_log ON SCHEDULE EVERY 1 DAY
    DO DELETE FROM work_order_log WHERE at < NOW() - INTERVAL 5 YEAR`,
];

/** Statuses a work order moves through; the writer picks among them. */
export const WORK_ORDER_STATUSES = [
  'open',
  'scheduled',
  'in_progress',
  'closed',
] as const;

/** Seeded assets; work orders refer to them round-robin. */
export const ASSET_COUNT = 5000;

/**
 * The row generators of the bulk load: `INSERT … SELECT` over MariaDB's
 * SEQUENCE engine (`seq_<from>_to_<to>`), so that no row crosses the
 * client connection. The payloads are random bytes in base64, which gzip
 * cannot shrink much: a dump of the database is about as large as its data.
 * Dates are fixed and in the past, so every seeded row predates any dump.
 */
export function insertRowsSql(table: string, from: number, to: number) {
  const seq = `seq_${from}_to_${to}`;
  switch (table) {
    case 'assets':
      return `INSERT INTO assets (id, name, site, notes)
        SELECT seq, CONCAT('asset-', seq), CONCAT('site-', seq MOD 40),
          TO_BASE64(RANDOM_BYTES(300)) FROM ${seq}`;
    case 'work_orders':
      return `INSERT INTO work_orders
          (id, asset_id, status, priority, created_at, updated_at, description)
        SELECT seq, seq MOD ${ASSET_COUNT} + 1,
          ELT(seq MOD 4 + 1, ${WORK_ORDER_STATUSES.map(s => `'${s}'`).join(
            ', ',
          )}),
          seq MOD 5,
          TIMESTAMP'2025-01-01 00:00:00' + INTERVAL seq SECOND,
          TIMESTAMP'2025-01-01 00:00:00' + INTERVAL seq SECOND,
          TO_BASE64(RANDOM_BYTES(240)) FROM ${seq}`;
    case 'work_order_log':
      return `INSERT INTO work_order_log (id, work_order_id, at, message)
        SELECT seq, seq, TIMESTAMP'2025-01-01 00:00:00' + INTERVAL seq SECOND,
          TO_BASE64(RANDOM_BYTES(90)) FROM ${seq}`;
    default:
      throw new Error(`No row generator for table ${table}`);
  }
}
