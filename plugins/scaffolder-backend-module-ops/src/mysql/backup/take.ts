import { constants as fsConstants } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Connection } from 'mysql2/promise';
import { DatabaseEndpoint, endpointPassword } from '../../postgres/config';
import { connectToEndpoint } from '../connections';
import { MysqlTarget } from '../target';
import { readOutline } from '../verification/outline';
import { messageOf, selectArrays } from '../verification/sql';
import {
  MysqlBackupManifest,
  mysqlManifestOf,
  mysqlManifestPathOf,
  writeMysqlManifest,
} from './manifest';
import { mysqlEnvironment } from '../scratch/programEnvironment';
import { RunningDump, runGzippedDump } from './takeProcess';

/**
 * How long the global read lock may wait for statements holding tables
 * (FLUSH TABLES WITH READ LOCK waits for them, and writes queue behind it
 * meanwhile): better no backup now than a source stalled for minutes.
 */
export const READ_LOCK_WAIT_SECONDS = 10;
/** How long the dump may take to open its snapshot while writes wait. */
export const DUMP_SNAPSHOT_TIMEOUT_MS = 30_000;

/** `maintenance-db-20261124T085925Z.sql.gz` */
export function mysqlDumpName(targetName: string, at: Date): string {
  const stamp = at.toISOString().replace(/[-:]/g, '').replace(/\.\d+/, '');
  return `${targetName}-${stamp}.sql.gz`;
}

/** mariadb-dump when the directory has it, else mysqldump (MySQL's name). */
export async function dumpProgram(binDir: string): Promise<string> {
  for (const name of ['mariadb-dump', 'mysqldump']) {
    const file = path.join(binDir, name);
    if (
      await fs.access(file, fsConstants.X_OK).then(
        () => true,
        () => false,
      )
    ) {
      return file;
    }
  }
  throw new Error(`Neither mariadb-dump nor mysqldump is in ${binDir}`);
}

/**
 * The dump's arguments. No `--databases`: the dump holds no CREATE DATABASE
 * or USE, so it restores into whichever database the restore names.
 */
export function dumpArguments(endpoint: DatabaseEndpoint): string[] {
  return [
    '--no-defaults',
    '--protocol=TCP',
    `--host=${endpoint.host}`,
    `--port=${endpoint.port}`,
    `--user=${endpoint.user}`,
    '--single-transaction',
    '--routines',
    '--triggers',
    '--events',
    '--hex-blob',
    '--verbose',
    endpoint.database,
  ];
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string) {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(what)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

/**
 * Starts the dump in the same snapshot as `session`'s transaction. MariaDB
 * cannot hand a snapshot to another session (PostgreSQL's
 * pg_export_snapshot), so, as mysqldump --master-data does for its binlog
 * position: the session takes FLUSH TABLES WITH READ LOCK, which lets no
 * write commit, opens its own consistent snapshot, starts the dump and waits
 * until the dump says its START TRANSACTION WITH CONSISTENT SNAPSHOT returned,
 * then UNLOCK TABLES. Both snapshots were opened with no commit in between,
 * so they hold the same data. Writes wait for the lock during the dump's
 * connection and first statements (milliseconds to a few hundred); UNLOCK
 * TABLES leaves the transaction open (no LOCK TABLES was taken). Needs the
 * RELOAD privilege.
 */
async function startDumpInSnapshot(options: {
  session: Connection;
  start: () => RunningDump;
}): Promise<{ dump: RunningDump; at: Date }> {
  const { session, start } = options;
  await session.query(
    `SET SESSION lock_wait_timeout = ${READ_LOCK_WAIT_SECONDS}`,
  );
  try {
    await session.query('FLUSH TABLES WITH READ LOCK');
  } catch (error) {
    throw new Error(
      `FLUSH TABLES WITH READ LOCK failed (the backup user needs the RELOAD privilege; a statement running longer than ${READ_LOCK_WAIT_SECONDS} s blocks it): ${messageOf(
        error,
      )}`,
    );
  }
  try {
    await session.query(
      'START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY',
    );
    // Read under the lock: no write committed between it and both snapshots.
    const [[at]] = await selectArrays(
      session,
      "SELECT DATE_FORMAT(UTC_TIMESTAMP(6), '%Y-%m-%dT%H:%i:%s.%fZ')",
    );
    const dump = start();
    await withTimeout(
      Promise.race([dump.snapshotOpened, dump.done]),
      DUMP_SNAPSHOT_TIMEOUT_MS,
      `The dump did not open its snapshot within ${
        DUMP_SNAPSHOT_TIMEOUT_MS / 1000
      } s (no line after "-- Starting transaction..." from --verbose)`,
    );
    return { dump, at: new Date(String(at)) };
  } finally {
    await session.query('UNLOCK TABLES');
  }
}

/**
 * mariadb-dump (or mysqldump) of one database, gzipped, with the manifest of
 * the very snapshot it dumped (see startDumpInSnapshot), while the source
 * keeps taking writes. The dump is written under a hidden name; the manifest
 * is written beside its final name, then the dump is renamed: discovery
 * never sees half a dump, and a finished dump always has its manifest. The
 * password goes to the dump through MYSQL_PWD. Used by the drill's "Take
 * backup" step and by `opsdeck-mysql-dump`.
 *
 * @public
 */
export async function dumpMysqlWithManifest(options: {
  endpoint: DatabaseEndpoint;
  binDir: string;
  /** The dump's final path (`.sql.gz`). */
  file: string;
  signal?: AbortSignal;
}): Promise<{
  path: string;
  manifestPath: string;
  manifest: MysqlBackupManifest;
}> {
  const { endpoint, binDir, file, signal } = options;
  const partial = path.join(
    path.dirname(file),
    `.${path.basename(file)}.partial`,
  );
  const program = await dumpProgram(binDir);
  // Never on the command line, where ps shows it to every user.
  const env = { ...mysqlEnvironment(), MYSQL_PWD: endpointPassword(endpoint) };
  const abort = new AbortController();
  const onAbort = () => abort.abort(signal?.reason);
  signal?.addEventListener('abort', onAbort);
  let session: Connection | undefined;
  let dump: RunningDump | undefined;
  let manifestPath: string | undefined;
  try {
    session = await connectToEndpoint(endpoint);
    const started = await startDumpInSnapshot({
      session,
      start: () =>
        runGzippedDump({
          command: { file: program, args: dumpArguments(endpoint) },
          env,
          file: partial,
          signal: abort.signal,
        }),
    });
    dump = started.dump;
    let outline;
    try {
      outline = await readOutline(session, endpoint.database, signal);
    } catch (error) {
      throw new Error(
        `Reading the manifest in the dump's snapshot failed: ${messageOf(
          error,
        )}`,
      );
    }
    await session.query('COMMIT');
    await dump.done;
    const manifest = mysqlManifestOf({
      database: endpoint.database,
      snapshotTime: started.at,
      outline,
    });
    manifestPath = await writeMysqlManifest(file, manifest);
    await fs.rename(partial, file);
    return { path: file, manifestPath, manifest };
  } catch (error) {
    abort.abort();
    await dump?.done.catch(() => {});
    await fs.rm(partial, { force: true });
    if (manifestPath) {
      await fs.rm(mysqlManifestPathOf(file), { force: true });
    }
    throw error;
  } finally {
    signal?.removeEventListener('abort', onAbort);
    await session?.end().catch(() => session?.destroy());
  }
}

/**
 * Takes a dump of the target's primary database, with its manifest, into the
 * target's backup directory (see dumpMysqlWithManifest).
 */
export async function takeMysqlDump(options: {
  target: MysqlTarget;
  now: Date;
  signal?: AbortSignal;
}): Promise<{ path: string; manifest: MysqlBackupManifest }> {
  const { target, now, signal } = options;
  if (target.backup.source !== 'mysqldump') {
    throw new Error(
      `${target.name} is backed up by ${target.backup.source}, not mysqldump`,
    );
  }
  const taken = await dumpMysqlWithManifest({
    endpoint: target.primary,
    binDir: target.scratch.binDir,
    file: path.join(target.backup.directory, mysqlDumpName(target.name, now)),
    signal,
  });
  return { path: taken.path, manifest: taken.manifest };
}
