import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import zlib from 'node:zlib';
import { Command, CommandFailedError } from '../../postgres/processes';

// mariadb-dump and mysqldump --verbose print this before START TRANSACTION
// WITH CONSISTENT SNAPSHOT and their next line only once it has returned.
const STARTING_TRANSACTION = '-- Starting transaction...';
const MAX_STDERR = 64 * 1024;

/** A dump being written, and the moment its own snapshot is open. */
export interface RunningDump {
  /** Resolves once the dump's transaction has its snapshot (or the dump ended). */
  snapshotOpened: Promise<void>;
  /** Resolves when the dump is complete, compressed and flushed to `file`. */
  done: Promise<void>;
}

/**
 * Runs a dump program with `--verbose` and writes its output gzipped to
 * `file` (level 1: the faster the dump, the shorter its snapshot holds back
 * the source's purge of old row versions). A cancelled or failed dump
 * rejects `done` with the program's last error lines; the caller removes
 * the file.
 */
export function runGzippedDump(options: {
  command: Command;
  env: NodeJS.ProcessEnv;
  file: string;
  signal?: AbortSignal;
}): RunningDump {
  const { command, env, file, signal } = options;
  const child = spawn(command.file, command.args, {
    stdio: ['ignore', 'pipe', 'pipe'],
    env,
    signal,
  });
  let stderr = '';
  let sawStart = false;
  let opened!: () => void;
  const snapshotOpened = new Promise<void>(resolve => {
    opened = resolve;
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString('utf8')).slice(-MAX_STDERR);
    if (!sawStart) {
      sawStart = stderr.includes(STARTING_TRANSACTION);
    }
    if (
      sawStart &&
      stderr.slice(stderr.lastIndexOf(STARTING_TRANSACTION)).includes('\n-- ')
    ) {
      opened();
    }
  });
  const exited = new Promise<void>((resolve, reject) => {
    child.on('error', error =>
      reject(
        new CommandFailedError(
          command,
          error.name === 'AbortError'
            ? 'was cancelled'
            : `could not be started (${error.message})`,
          stderr,
        ),
      ),
    );
    child.on('close', (code, killedBy) => {
      opened();
      if (code === 0) {
        resolve();
      } else {
        let reason = `exited with code ${code}`;
        if (signal?.aborted) {
          reason = 'was cancelled';
        } else if (killedBy) {
          reason = `was killed by ${killedBy}`;
        }
        reject(
          new CommandFailedError(
            command,
            reason,
            // Only the errors: the verbose progress lines say nothing wrong.
            stderr
              .split('\n')
              .filter(line => !line.startsWith('-- '))
              .join('\n'),
          ),
        );
      }
    });
  });
  const written = fs
    .mkdir(path.dirname(file), { recursive: true })
    .then(() =>
      pipeline(
        child.stdout,
        zlib.createGzip({ level: 1 }),
        createWriteStream(file, { mode: 0o640 }),
      ),
    );
  // Settles only once the program has exited and the file is closed: the
  // caller may then remove the file, which nothing writes to any more.
  const done = Promise.allSettled([exited, written]).then(results => {
    for (const result of results) {
      if (result.status === 'rejected') {
        throw result.reason;
      }
    }
  });
  // Settled by the caller; never an unhandled rejection before it awaits.
  done.catch(() => {});
  return { snapshotOpened, done };
}
