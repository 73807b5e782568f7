import { readdirSync, readFileSync } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Command, postgresEnvironment, runCommand } from '../processes';

// How often start looks whether the server is ready and cleanup whether the
// stopped server's processes are gone; when cleanup sends SIGQUIT to a
// postmaster still there, and when it gives up.
export const POLL_MS = 10;
const STOP_SIGQUIT_AFTER_MS = 2000;
const STOP_GIVE_UP_AFTER_MS = 5000;

/**
 * Ids of the processes that run from the directory or descend from the
 * postmaster: their command line names the directory (the postmaster's `-D`)
 * or their parent is the postmaster (backends, checkpointer, walwriter...).
 * Reads /proc; elsewhere only the postmaster itself can be checked.
 */
export async function processesOfInstance(
  directory: string,
  postmasterPid: number | undefined,
): Promise<number[]> {
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter(name => /^\d+$/.test(name));
  } catch {
    if (postmasterPid === undefined) {
      return [];
    }
    try {
      process.kill(postmasterPid, 0);
      return [postmasterPid];
    } catch {
      return [];
    }
  }
  const found: number[] = [];
  for (const pid of pids) {
    try {
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(
        /\0/g,
        ' ',
      );
      // State and parent pid are the 1st and 2nd fields after the ")" that
      // closes the name.
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const [state, parentField] = stat
        .slice(stat.lastIndexOf(')') + 2)
        .split(' ');
      const parent = Number(parentField);
      // A zombie has exited (no port, no open file): it only waits for
      // whichever process adopted the daemonized postmaster to reap it, which
      // in a container may take seconds. A killed multi-threaded server
      // (mariadbd) shows its main thread as a zombie while other threads
      // still finish their disk I/O and hold its port open: not gone yet.
      if (state === 'Z' && !hasLiveThreads(pid)) {
        continue;
      }
      if (
        cmdline.includes(directory) ||
        (postmasterPid !== undefined &&
          (Number(pid) === postmasterPid || parent === postmasterPid))
      ) {
        found.push(Number(pid));
      }
    } catch {
      // The process ended while we looked.
    }
  }
  return found;
}

/** Whether a thread of the process has not exited yet (Linux /proc). */
function hasLiveThreads(pid: string): boolean {
  try {
    return readdirSync(`/proc/${pid}/task`).some(task => {
      const stat = readFileSync(`/proc/${pid}/task/${task}/stat`, 'utf8');
      const state = stat.slice(
        stat.lastIndexOf(')') + 2,
        stat.lastIndexOf(')') + 3,
      );
      return state !== 'Z' && state !== 'X';
    });
  } catch {
    return false;
  }
}

/**
 * Whether the process is the postmaster of that data directory. A pid file
 * left by a crashed attempt may name a pid the system has since reused:
 * such a process must never be signalled. Without /proc, trusts the pid.
 */
export async function isPostmasterOf(
  pid: number,
  dataDir: string,
): Promise<boolean> {
  try {
    const cmdline = await fs.readFile(`/proc/${pid}/cmdline`, 'utf8');
    return cmdline.replace(/\0/g, ' ').includes(dataDir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      return (await exists('/proc/self')) ? false : isAlive(pid);
    }
    return false;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export async function exists(file: string): Promise<boolean> {
  try {
    await fs.access(file);
    return true;
  } catch {
    return false;
  }
}

export async function readPostmasterPid(
  dataDir: string,
): Promise<number | undefined> {
  try {
    const [pid] = (
      await fs.readFile(path.join(dataDir, 'postmaster.pid'), 'utf8')
    ).split('\n');
    const parsed = Number(pid);
    return Number.isInteger(parsed) && parsed > 0 ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Whether the postmaster says it accepts connections: the 8th line of
 * postmaster.pid, the status pg_ctl waits for.
 */
export async function isReady(dataDir: string): Promise<boolean> {
  const lines = await fs
    .readFile(path.join(dataDir, 'postmaster.pid'), 'utf8')
    .then(text => text.split('\n'))
    .catch(() => []);
  return lines[7]?.trim() === 'ready';
}

export async function lookupUserIds(
  user: string,
): Promise<{ uid: number; gid: number }> {
  const [uid, gid] = await Promise.all(
    ['-u', '-g'].map(async flag =>
      Number((await runCommand({ file: 'id', args: [flag, user] })).stdout),
    ),
  );
  return { uid, gid };
}

export function sleep(ms: number) {
  return new Promise(resolve => setTimeout(resolve, ms));
}

/**
 * Waits for the processes of a stopped instance to end; sends SIGQUIT to a
 * postmaster of its data directory still there after a while, and gives up
 * after a longer while. The processes still there when it gave up.
 */
export async function waitForInstanceToEnd(options: {
  rootDir: string;
  dataDir: string;
  pid: number | undefined;
  notes: string[];
}): Promise<number[]> {
  const { rootDir, dataDir, pid, notes } = options;
  const stopping = performance.now();
  let sentSigquit = false;
  let processesLeft = await processesOfInstance(rootDir, pid);
  while (
    processesLeft.length > 0 &&
    performance.now() - stopping < STOP_GIVE_UP_AFTER_MS
  ) {
    if (!sentSigquit && performance.now() - stopping >= STOP_SIGQUIT_AFTER_MS) {
      sentSigquit = true;
      // A server that pg_ctl could not stop, or that was still starting
      // when a cancelled pg_ctl start died: its command line proves it is
      // ours, and an immediate shutdown is what we want anyway.
      for (const leftover of processesLeft) {
        if (await isPostmasterOf(leftover, dataDir)) {
          notes.push(`sent SIGQUIT to ${leftover}`);
          try {
            process.kill(leftover, 'SIGQUIT');
          } catch {
            // Already gone.
          }
        }
      }
    }
    await sleep(POLL_MS);
    processesLeft = await processesOfInstance(rootDir, pid);
  }
  return processesLeft;
}

/**
 * `pg_ctl start --wait`, going on as soon as postmaster.pid says the
 * server is ready: pg_ctl looks every 100 ms, this every 10 ms, and a
 * fresh cluster starts in about 30 ms. pg_ctl's own result still decides
 * when it finishes first (a server that failed to start); when the server
 * is ready first, pg_ctl sees the same status at its next look and exits.
 */
export async function startServerAndWait(options: {
  /** pg_ctl as the server's user; its arguments are added here. */
  pgCtl: Command;
  dataDir: string;
  logFile: string;
  cwd: string;
  signal?: AbortSignal;
  env?: Record<string, string>;
  timeoutSeconds?: number;
}): Promise<void> {
  let outcome: { failed: boolean; error?: unknown } | undefined;
  // Handled at once, so a failure while we poll is never unhandled.
  void runCommand(
    {
      ...options.pgCtl,
      args: [
        ...options.pgCtl.args,
        'start',
        `--pgdata=${options.dataDir}`,
        '--wait',
        `--timeout=${Math.max(60, Math.ceil(options.timeoutSeconds ?? 60))}`,
        `--log=${options.logFile}`,
      ],
    },
    {
      signal: options.signal,
      cwd: options.cwd,
      env: postgresEnvironment(options.env),
    },
  ).then(
    () => {
      outcome = { failed: false };
    },
    error => {
      outcome = { failed: true, error };
    },
  );
  while (!outcome) {
    if (await isReady(options.dataDir)) {
      return;
    }
    await sleep(POLL_MS);
  }
  if (outcome.failed) {
    throw outcome.error;
  }
}
