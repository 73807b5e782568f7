import { spawn } from 'node:child_process';
import { createReadStream } from 'node:fs';
import path from 'node:path';
import { PassThrough, Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import type { RestoredCopy } from '../../postgres/backup/source';
import { CommandFailedError, lastLines } from '../../postgres/processes';
import { mysqlEnvironment } from '../scratch/programEnvironment';
import { MysqlScratchInstance } from '../scratch/scratchInstance';
import type { MysqlDumpBackup } from './discovery';

// The `mariadb` client's error output kept for the message: its last lines
// name the failing statement ("ERROR 1064 (42000) at line 57: ...").
const MAX_STDERR = 64 * 1024;

/**
 * The database the dump restores into: its own for a dump that creates it,
 * else the one its header names, else the target's (a dump written with
 * --skip-comments names none).
 */
export function restoredDatabaseOf(
  dump: MysqlDumpBackup['dump'],
  targetDatabase?: string,
): string {
  const database = dump.database ?? targetDatabase;
  if (!database) {
    throw new Error(
      `The dump ${dump.path} does not name its database (no "-- Host: ... Database:" header line) and no target database was given`,
    );
  }
  return database;
}

/**
 * The client's error line, `ERROR 1064 (42000) at line 57: ...`: the
 * statement it quotes may span lines, so the error's own line, not the
 * output's last lines.
 */
export function clientErrorOf(stderr: string): string {
  const errors = stderr.match(/^ERROR \d+.*$/gm);
  return errors ? errors[errors.length - 1] : stderr;
}

/** The dump file, and what turns its bytes into SQL text (gunzip for a .sql.gz). */
function dumpSql(
  dump: MysqlDumpBackup['dump'],
  signal?: AbortSignal,
): [Readable, Transform] {
  return [
    createReadStream(dump.path, { signal }),
    dump.compressed ? createGunzip() : new PassThrough(),
  ];
}

/**
 * Runs the `mariadb` client with the SQL streamed to its standard input.
 * A stream that fails (a truncated or corrupt gzip, an unreadable file)
 * kills the client before it sees end-of-file: otherwise it would commit
 * what it got and exit successfully.
 */
function feedClient(options: {
  program: string;
  args: string[];
  sql: [Readable, Transform];
  label: string;
  signal?: AbortSignal;
}): Promise<void> {
  const { program, args, sql, label, signal } = options;
  const command = { file: program, args };
  return new Promise((resolve, reject) => {
    const child = spawn(program, args, {
      stdio: ['pipe', 'ignore', 'pipe'],
      env: mysqlEnvironment(),
      signal,
      killSignal: 'SIGKILL',
    });
    let stderr = '';
    let inputFailure: Error | undefined;
    child.stderr.on('data', chunk => {
      stderr = (stderr + chunk.toString('utf8')).slice(-MAX_STDERR);
    });
    // Only the reading side's failures are the dump's. The client exits on
    // the first failing statement (its exit code says why); its stdin then
    // breaks, and the pipeline passes that on to the reading side.
    let clientStoppedReading = false;
    child.stdin.on('error', () => {
      clientStoppedReading = true;
    });
    child.stdin.on('close', () => {
      clientStoppedReading = true;
    });
    const stopOnInputFailure = (error: Error) => {
      if (!clientStoppedReading && !inputFailure) {
        inputFailure = error;
        child.kill('SIGKILL');
      }
    };
    for (const stream of sql) {
      stream.once('error', stopOnInputFailure);
    }
    pipeline(sql[0], sql[1], child.stdin).catch(() => {});
    child.on('error', error => {
      reject(
        error.name === 'AbortError'
          ? new CommandFailedError(command, 'was cancelled', stderr)
          : new CommandFailedError(
              command,
              `could not be started (${error.message})`,
              stderr,
            ),
      );
    });
    child.on('close', (code, killedBy) => {
      if (signal?.aborted) {
        reject(new CommandFailedError(command, 'was cancelled', stderr));
      } else if (inputFailure) {
        reject(
          new Error(
            `The dump ${label} could not be read to its end (${
              inputFailure.message
            }); the restore was stopped${
              stderr ? `: ${lastLines(clientErrorOf(stderr))}` : ''
            }`,
          ),
        );
      } else if (code !== 0) {
        reject(
          new CommandFailedError(
            command,
            `${
              killedBy
                ? `was killed by ${killedBy}`
                : `exited with code ${code}`
            } restoring ${label}`,
            clientErrorOf(stderr),
          ),
        );
      } else {
        resolve();
      }
    });
  });
}

/**
 * Restores a mysqldump / mariadb-dump file into the started scratch
 * instance, as `mariadb < dump` would: a single-database dump (no CREATE
 * DATABASE of its own) into a database created for it. Stops at the first
 * failing statement, naming it; the signal kills the client.
 *
 * @public
 */
export async function restoreDump(options: {
  backup: MysqlDumpBackup;
  instance: MysqlScratchInstance;
  /** The target's database, for a dump whose header names none. */
  targetDatabase?: string;
  signal?: AbortSignal;
}): Promise<RestoredCopy> {
  const { backup, instance, targetDatabase, signal } = options;
  const { dump } = backup;
  const database = restoredDatabaseOf(dump, targetDatabase);
  if (!dump.createsDatabase) {
    const connection = await instance.connection();
    try {
      await connection.query('CREATE DATABASE ??', [database]);
    } finally {
      await connection.end();
    }
  }
  await feedClient({
    program: instance.clientProgram,
    args: instance.clientArgs(dump.createsDatabase ? undefined : database),
    sql: dumpSql(dump, signal),
    label: path.basename(dump.path),
    signal,
  });
  return {
    database,
    output: `mariadb < ${dump.path}${
      dump.compressed ? ' (gunzipped)' : ''
    } into ${
      dump.createsDatabase
        ? `the databases it creates (${database} verified)`
        : `${database} (created for the single-database dump)`
    }`,
  };
}

/** What restoreDump would run, for a dry run. */
export function describeDumpRestore(
  backup: MysqlDumpBackup,
  targetDatabase?: string,
): string {
  const { dump } = backup;
  const database = restoredDatabaseOf(dump, targetDatabase);
  return `${dump.createsDatabase ? '' : `CREATE DATABASE ${database}; `}${
    dump.compressed ? `gunzip < ${dump.path} | ` : ''
  }mariadb --no-defaults --socket=<scratch socket> ${
    dump.createsDatabase ? '' : `--database=${database} `
  }${dump.compressed ? '' : `< ${dump.path}`}`.trim();
}
