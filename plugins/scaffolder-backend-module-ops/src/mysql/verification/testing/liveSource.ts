import fs from 'node:fs/promises';
import path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import type { Connection } from 'mysql2/promise';
import { findLatestDump } from '../../backup/discovery';
import { restoreDump } from '../../backup/logicalRestore';
import { MysqlScratchInstance } from '../../scratch/scratchInstance';

// The integration tests' source database: tables with every kind of value,
// a view, routines, a trigger and an event, and a writer that keeps
// inserting, updating and deleting while a dump runs.

export const DATABASE = 'maintenance';
export const BACKUP_USER = 'backup';
export const BACKUP_PASSWORD = 'drill-test-password';

const SCHEMA = [
  `CREATE DATABASE ${DATABASE}`,
  // The sequence engine's seq_1_to_N tables live in the current database.
  `USE ${DATABASE}`,
  `CREATE TABLE ${DATABASE}.tasks (
     id BIGINT AUTO_INCREMENT PRIMARY KEY,
     title VARCHAR(200) NOT NULL,
     estimate DOUBLE NULL,
     cost DECIMAL(12,3) NULL,
     payload BLOB NULL,
     done TINYINT NOT NULL DEFAULT 0,
     updated_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6)
       ON UPDATE CURRENT_TIMESTAMP(6)) ENGINE=InnoDB`,
  `CREATE TABLE ${DATABASE}.notes (
     id INT PRIMARY KEY, task_id BIGINT NOT NULL, body TEXT,
     created_at DATETIME(6) NOT NULL) ENGINE=InnoDB`,
  `CREATE TABLE ${DATABASE}.audit (
     id BIGINT AUTO_INCREMENT PRIMARY KEY, task_id BIGINT NOT NULL) ENGINE=InnoDB`,
  `CREATE VIEW ${DATABASE}.open_tasks AS
     SELECT id, title FROM ${DATABASE}.tasks WHERE done = 0`,
  `CREATE PROCEDURE ${DATABASE}.close_task(IN task BIGINT)
     UPDATE ${DATABASE}.tasks SET done = 1 WHERE id = task`,
  `CREATE FUNCTION ${DATABASE}.open_count() RETURNS BIGINT READS SQL DATA
     RETURN (SELECT COUNT(*) FROM ${DATABASE}.tasks WHERE done = 0)`,
  `CREATE TRIGGER ${DATABASE}.tasks_audit AFTER INSERT ON ${DATABASE}.tasks
     FOR EACH ROW INSERT INTO ${DATABASE}.audit (task_id) VALUES (NEW.id)`,
  `CREATE EVENT ${DATABASE}.purge_done ON SCHEDULE EVERY 1 DAY
     DO DELETE FROM ${DATABASE}.tasks WHERE done = 1`,
];

/** Schema, `rows` tasks and notes dated a day ago, and the backup account. */
export async function seedSource(
  admin: Connection,
  rows: number,
): Promise<void> {
  for (const statement of SCHEMA) {
    await admin.query(statement);
  }
  await admin.query(
    `INSERT INTO ${DATABASE}.tasks (title, estimate, cost, payload, done, updated_at)
     SELECT CONCAT('task ', seq), IF(seq % 7 = 0, NULL, seq / 3),
       seq * 1.5, IF(seq % 5 = 0, NULL, UNHEX(MD5(seq))), seq % 2,
       UTC_TIMESTAMP(6) - INTERVAL 1 DAY
     FROM seq_1_to_${rows}`,
  );
  await admin.query(
    `INSERT INTO ${DATABASE}.notes
     SELECT seq, seq, REPEAT('note ', seq % 20), UTC_TIMESTAMP(6) - INTERVAL 1 DAY
     FROM seq_1_to_${rows}`,
  );
  await admin.query(
    `CREATE USER '${BACKUP_USER}'@'127.0.0.1' IDENTIFIED BY '${BACKUP_PASSWORD}'`,
  );
  await admin.query(
    `GRANT SELECT, RELOAD, LOCK TABLES, SHOW VIEW, TRIGGER, EVENT, PROCESS, EXECUTE
     ON *.* TO '${BACKUP_USER}'@'127.0.0.1'`,
  );
}

/**
 * Inserts, updates and deletes tasks until stopped; resolves with how many
 * statements it ran. Inserted tasks fire the audit trigger.
 */
export function startWriter(connection: Connection): {
  statements: () => number;
  stop: () => Promise<number>;
} {
  let running = true;
  let statements = 0;
  const loop = (async () => {
    while (running) {
      // Old rows (the seeded ones dated a day ago) change too.
      const id = () => 1 + Math.floor(Math.random() * 1000);
      await connection.query(
        `INSERT INTO ${DATABASE}.tasks (title, cost) VALUES ('new task', 1.25)`,
      );
      await connection.query(
        `UPDATE ${DATABASE}.tasks SET title = CONCAT(title, '!')
         WHERE id = ?`,
        [id()],
      );
      await connection.query(`DELETE FROM ${DATABASE}.tasks WHERE id = ?`, [
        id(),
      ]);
      statements += 3;
    }
  })();
  return {
    statements: () => statements,
    stop: async () => {
      running = false;
      await loop;
      return statements;
    },
  };
}

/**
 * Restores a dump into a fresh database of the instance as the drill does
 * (discovery, then the logical restore), after `edit` changed its text: the
 * edited dump is written to a directory of its own beside the original.
 */
export async function restoreAsTheDrill(
  instance: MysqlScratchInstance,
  dumpPath: string,
  edit?: (sql: string) => string,
): Promise<void> {
  let directory = path.dirname(dumpPath);
  if (edit) {
    directory = await fs.mkdtemp(`${directory}-edited-`);
    const sql = edit(gunzipSync(await fs.readFile(dumpPath)).toString('utf8'));
    await fs.writeFile(
      path.join(directory, path.basename(dumpPath)),
      gzipSync(sql),
    );
  }
  try {
    const backup = await findLatestDump({ directory });
    expect(backup.dump.path).toBe(
      path.join(directory, path.basename(dumpPath)),
    );
    await restoreDump({ backup, instance });
  } finally {
    if (edit) {
      await fs.rm(directory, { recursive: true, force: true });
    }
  }
}
