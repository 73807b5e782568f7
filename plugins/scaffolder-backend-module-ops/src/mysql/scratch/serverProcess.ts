import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import net from 'node:net';
import { performance } from 'node:perf_hooks';
import { lastLines, runCommand } from '../../postgres/processes';
import {
  isPostmasterOf,
  processesOfInstance,
  sleep,
} from '../../postgres/scratch/serverProcesses';
import { mysqlEnvironment } from './programEnvironment';

// Starting and stopping one mariadbd. It does not daemonize itself, so the
// backend starts it detached: a backend that dies leaves it running, and the
// next attempt's removeLeftovers finds it by its pid file.

const POLL_MS = 25;
const SHUTDOWN_TIMEOUT_MS = 10_000;
const SIGTERM_TIMEOUT_MS = 5_000;
// A killed mariadbd exits only once its in-flight asynchronous disk I/O
// (InnoDB's io_uring or libaio) completes; behind another large restore on
// the same disk that took more than 5 s. Nothing is left to try after
// SIGKILL, so waiting longer only turns a false "left behind" into the truth.
const SIGKILL_TIMEOUT_MS = 30_000;

/** Why a start failed, with the error log's last lines. */
export class ServerStartError extends Error {
  readonly log: string;

  constructor(reason: string, log: string) {
    const tail = lastLines(log, 3);
    super(`mariadbd ${reason}${tail ? `: ${tail}` : ''}`);
    this.name = 'ServerStartError';
    this.log = log;
  }
}

/**
 * Whether the server answers on its socket: the greeting a MySQL server
 * sends to every new connection, which it only does once it accepts them.
 */
export function answersOnSocket(socket: string, timeoutMs = 1000) {
  return new Promise<boolean>(resolve => {
    const connection = net.connect({ path: socket });
    const done = (answered: boolean) => {
      connection.destroy();
      resolve(answered);
    };
    connection.setTimeout(timeoutMs, () => done(false));
    connection.once('data', () => done(true));
    connection.once('error', () => done(false));
    connection.once('end', () => done(false));
  });
}

/**
 * Starts mariadbd detached and waits until it answers on its socket. Fails
 * when it exits first, when the signal aborts (killing it) or after the
 * timeout; `readLog` gives the error log for the message.
 */
export async function startServer(options: {
  file: string;
  args: string[];
  cwd: string;
  socket: string;
  readLog: () => Promise<string>;
  signal?: AbortSignal;
  timeoutMs?: number;
  /** Called with the pid as soon as the process exists. */
  onSpawn: (pid: number) => void;
}): Promise<void> {
  const { signal } = options;
  if (signal?.aborted) {
    throw new Error('mariadbd not started: aborted');
  }
  const child = spawn(options.file, options.args, {
    cwd: options.cwd,
    detached: true,
    stdio: 'ignore',
    env: mysqlEnvironment(),
  });
  child.unref();
  let exited: string | undefined;
  let spawnError: Error | undefined;
  child.once('error', error => {
    spawnError = error;
  });
  child.once('exit', (code, byLostSignal) => {
    exited = byLostSignal
      ? `was killed by ${byLostSignal}`
      : `exited with code ${code}`;
  });
  if (child.pid !== undefined) {
    options.onSpawn(child.pid);
  }
  const started = performance.now();
  const timeoutMs = options.timeoutMs ?? 120_000;
  for (;;) {
    if (spawnError) {
      throw new ServerStartError(
        `could not be started (${spawnError.message})`,
        '',
      );
    }
    if (exited) {
      throw new ServerStartError(exited, await options.readLog());
    }
    if (signal?.aborted) {
      child.kill('SIGKILL');
      throw new ServerStartError(
        'start was cancelled',
        await options.readLog(),
      );
    }
    if (performance.now() - started > timeoutMs) {
      throw new ServerStartError(
        `did not answer within ${Math.round(timeoutMs / 1000)} s`,
        await options.readLog(),
      );
    }
    if (await answersOnSocket(options.socket)) {
      return;
    }
    await sleep(POLL_MS);
  }
}

export async function readPidFile(file: string): Promise<number | undefined> {
  const text = await fs.readFile(file, 'utf8').catch(() => '');
  const pid = Number(text.trim());
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}

async function waitForNoProcesses(
  rootDir: string,
  pid: number | undefined,
  timeoutMs: number,
): Promise<number[]> {
  const since = performance.now();
  let left = await processesOfInstance(rootDir, pid);
  while (left.length > 0 && performance.now() - since < timeoutMs) {
    await sleep(POLL_MS);
    left = await processesOfInstance(rootDir, pid);
  }
  return left;
}

function signalIfOurs(pids: number[], dataDir: string, name: NodeJS.Signals) {
  return Promise.all(
    pids.map(async pid => {
      // A reused pid from a stale pid file is somebody else's process.
      if (await isPostmasterOf(pid, dataDir)) {
        try {
          process.kill(pid, name);
        } catch {
          // Already gone.
        }
      }
    }),
  );
}

/**
 * Stops the server of the instance: `mariadb-admin shutdown`, then SIGTERM,
 * then SIGKILL to what is still running from the directory after each
 * timeout. Never throws; says what it did in `notes`. Returns the processes
 * still running at the end.
 */
export async function stopServer(options: {
  rootDir: string;
  dataDir: string;
  pid: number | undefined;
  /** `mariadb-admin` with its connection arguments; `shutdown` is added. */
  admin: { file: string; args: string[] };
  notes: string[];
}): Promise<number[]> {
  const { rootDir, dataDir, pid, notes } = options;
  let left = await processesOfInstance(rootDir, pid);
  if (left.length === 0) {
    notes.push('no server was running');
    return left;
  }
  try {
    // Not the drill's signal: cleanup must run to its end even when cancelled.
    await runCommand(
      { ...options.admin, args: [...options.admin.args, 'shutdown'] },
      {
        signal: AbortSignal.timeout(SHUTDOWN_TIMEOUT_MS),
        env: mysqlEnvironment(),
      },
    );
    notes.push(`stopped mariadbd ${left.join(', ')} (mariadb-admin shutdown)`);
    left = await waitForNoProcesses(rootDir, pid, SHUTDOWN_TIMEOUT_MS);
  } catch (error) {
    // A server that cannot take the command will not stop by itself either.
    notes.push(`mariadb-admin shutdown failed (${String(error)})`);
  }
  if (left.length > 0) {
    notes.push(`sent SIGTERM to ${left.join(', ')}`);
    await signalIfOurs(left, dataDir, 'SIGTERM');
    left = await waitForNoProcesses(rootDir, pid, SIGTERM_TIMEOUT_MS);
  }
  if (left.length > 0) {
    notes.push(`sent SIGKILL to ${left.join(', ')}`);
    await signalIfOurs(left, dataDir, 'SIGKILL');
    left = await waitForNoProcesses(rootDir, pid, SIGKILL_TIMEOUT_MS);
  }
  return left;
}
