import type { Connection } from 'mysql2/promise';

/**
 * Creates the account a drill (and its dump) reads the source with, over
 * loopback TCP with a password: what a team grants its backup job. It reads
 * everything (SELECT, SHOW VIEW, TRIGGER, EVENT: the dump's routines,
 * views, triggers and events), may lock tables for a dump and hold the
 * short global read lock a consistent dump with its manifest takes
 * (LOCK TABLES, RELOAD), and sees other sessions (PROCESS); it can write
 * nothing.
 *
 * @public
 */
export async function createDrillReader(
  connection: Connection,
  login: { user: string; password: string },
): Promise<void> {
  // Identifiers cannot be placeholders; this one is a test's constant.
  if (!/^[a-z_][a-z0-9_]*$/.test(login.user)) {
    throw new Error(`Not a plain account name: ${login.user}`);
  }
  await connection.query(
    `CREATE USER '${login.user}'@'127.0.0.1' IDENTIFIED BY ?`,
    [login.password],
  );
  await connection.query(
    `GRANT SELECT, SHOW VIEW, TRIGGER, EVENT, LOCK TABLES, RELOAD, PROCESS ON *.* TO '${login.user}'@'127.0.0.1'`,
  );
}
