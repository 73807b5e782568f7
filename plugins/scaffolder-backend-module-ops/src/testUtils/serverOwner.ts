import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { asUser } from '../postgres/processes';

const run = promisify(execFile);

/**
 * The user that owns the test servers' data directories: `postgres` when the
 * tests run as root (PostgreSQL refuses to run as root), otherwise the user
 * running the tests.
 */
export const RUN_AS = process.getuid?.() === 0 ? 'postgres' : undefined;

/**
 * Runs a server program (initdb, pg_ctl, pg_basebackup, pgbouncer...) as
 * {@link RUN_AS}, through the drills' own `asUser`.
 */
export function asOwner(file: string, args: string[]) {
  const command = asUser({ file, args }, RUN_AS);
  return run(command.file, command.args, { maxBuffer: 64 * 1024 * 1024 });
}
