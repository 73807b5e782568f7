import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import {
  asUser,
  Command,
  CommandFailedError,
  postgresEnvironment,
  runCommand,
} from './processes';

/** The bootstrap superuser of a scratch instance. */
export const SCRATCH_SUPERUSER = 'postgres';

// A Unix socket path is at most 107 bytes on Linux.
const MAX_SOCKET_PATH = 107;
const START_ATTEMPTS = 3;

/** What cleaning up proved. */
export interface CleanupProof {
  /** Processes still running from the instance's data directory. */
  processesLeft: number[];
  /** Whether 127.0.0.1:port still accepts connections. */
  portOpen: boolean;
  directoryExists: boolean;
  /** True when nothing is left. */
  clean: boolean;
  /** One line for the drill step. */
  summary: string;
}

/** Binds 127.0.0.1:0, reads the port the kernel gave and releases it. */
export function findFreeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen({ host: '127.0.0.1', port: 0, exclusive: true }, () => {
      const address = server.address();
      server.close(() => {
        if (address && typeof address === 'object') {
          resolve(address.port);
        } else {
          reject(new Error('Could not find a free loopback port'));
        }
      });
    });
  });
}

/** Whether something accepts TCP connections on 127.0.0.1:port. */
export function isLoopbackPortOpen(
  port: number,
  timeoutMs = 1000,
): Promise<boolean> {
  return new Promise(resolve => {
    const socket = net.connect({ host: '127.0.0.1', port });
    const done = (open: boolean) => {
      socket.destroy();
      resolve(open);
    };
    socket.setTimeout(timeoutMs, () => done(true));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

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
    pids = (await fs.readdir('/proc')).filter(name => /^\d+$/.test(name));
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
      const cmdline = (
        await fs.readFile(`/proc/${pid}/cmdline`, 'utf8')
      ).replace(/\0/g, ' ');
      // The parent pid is the 2nd field after the ")" that closes the name.
      const stat = await fs.readFile(`/proc/${pid}/stat`, 'utf8');
      const parent = Number(
        stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1],
      );
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

/**
 * Whether the process is the postmaster of that data directory. A pid file
 * left by a crashed attempt may name a pid the system has since reused:
 * such a process must never be signalled. Without /proc, trusts the pid.
 */
async function isPostmasterOf(pid: number, dataDir: string): Promise<boolean> {
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

async function exists(file: string): Promise<boolean> {
  try {
    await fs.access(file);
    return true;
  } catch {
    return false;
  }
}

async function readPostmasterPid(dataDir: string): Promise<number | undefined> {
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

async function lookupUserIds(
  user: string,
): Promise<{ uid: number; gid: number }> {
  const [uid, gid] = await Promise.all(
    ['-u', '-g'].map(async flag =>
      Number((await runCommand({ file: 'id', args: [flag, user] })).stdout),
    ),
  );
  return { uid, gid };
}

function sleep(ms: number) {
  return new Promise(resolve => setTimeout(resolve, ms));
}

/** Quotes a value for postgresql.conf. */
function confString(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;
}

/**
 * The directory name prefix of a drill's scratch instances: the same for
 * every attempt of one task step, so a retry finds what a crashed attempt
 * left behind, and short, so the socket path fits.
 */
export function scratchPrefix(taskId: string, target: string): string {
  const digest = createHash('sha256')
    .update(`${taskId}\n${target}`)
    .digest('hex')
    .slice(0, 12);
  return `opsdeck-drill-${digest}-`;
}

export interface ScratchInstanceOptions {
  binDir: string;
  workDir: string;
  runAsUser?: string;
  /** Directory name prefix, see {@link scratchPrefix}. */
  prefix: string;
  signal?: AbortSignal;
}

/**
 * A throwaway PostgreSQL server in a fresh directory: listening on a free
 * loopback port and a private Unix socket, trusting local (socket)
 * connections only and rejecting TCP ones, so only this backend can reach
 * the restored data. {@link ScratchInstance.destroy} stops it, removes the
 * directory and proves both.
 */
export class ScratchInstance {
  readonly rootDir: string;
  readonly dataDir: string;
  readonly socketDir: string;
  readonly #options: ScratchInstanceOptions;
  #port?: number;
  #postmasterPid?: number;

  /** Removes the instances a crashed earlier attempt of the same drill left. */
  static async removeLeftovers(
    options: Omit<ScratchInstanceOptions, 'signal'>,
  ): Promise<CleanupProof[]> {
    const names = await fs.readdir(options.workDir).catch(() => []);
    const proofs: CleanupProof[] = [];
    for (const name of names.filter(n => n.startsWith(options.prefix))) {
      const instance = new ScratchInstance(
        path.join(options.workDir, name),
        options,
      );
      instance.#postmasterPid = await readPostmasterPid(instance.dataDir);
      proofs.push(await instance.destroy());
    }
    return proofs;
  }

  /** Creates the instance's directory, owned by the user that runs the server. */
  static async create(
    options: ScratchInstanceOptions,
  ): Promise<ScratchInstance> {
    const rootDir = await fs.mkdtemp(
      path.join(options.workDir, options.prefix),
    );
    const instance = new ScratchInstance(rootDir, options);
    // The server must be able to write there, and nobody else to read it.
    await fs.mkdir(instance.socketDir, { mode: 0o700 });
    await fs.chmod(rootDir, 0o700);
    if (options.runAsUser) {
      const { uid, gid } = await lookupUserIds(options.runAsUser);
      await fs.chown(rootDir, uid, gid);
      await fs.chown(instance.socketDir, uid, gid);
    }
    return instance;
  }

  private constructor(rootDir: string, options: ScratchInstanceOptions) {
    this.rootDir = rootDir;
    this.dataDir = path.join(rootDir, 'data');
    this.socketDir = path.join(rootDir, 's');
    this.#options = options;
  }

  get port(): number | undefined {
    return this.#port;
  }

  #command(program: string, args: string[]): Command {
    return asUser(
      { file: path.join(this.#options.binDir, program), args },
      this.#options.runAsUser,
    );
  }

  /** initdb, then pg_ctl start on a free loopback port. */
  async start(): Promise<void> {
    const { signal } = this.#options;
    await runCommand(
      this.#command('initdb', [
        `--pgdata=${this.dataDir}`,
        `--username=${SCRATCH_SUPERUSER}`,
        '--auth-local=trust',
        '--auth-host=reject',
        '--encoding=UTF8',
        // The restore creates the database with the dump's own locale.
        '--no-locale',
        // A crash throws the scratch cluster away anyway: syncing its
        // template files to disk is time the drill's RTO should not count.
        '--no-sync',
      ]),
      { signal, cwd: this.rootDir },
    );

    for (let attempt = 1; ; attempt++) {
      const port = await findFreeLoopbackPort();
      const socketPath = path.join(this.socketDir, `.s.PGSQL.${port}`);
      if (Buffer.byteLength(socketPath) > MAX_SOCKET_PATH) {
        throw new Error(
          `The scratch socket path ${socketPath} is longer than ${MAX_SOCKET_PATH} bytes; configure a shorter scratch.workDir`,
        );
      }
      // Later lines win in postgresql.conf, so a retry just appends.
      await fs.appendFile(
        path.join(this.dataDir, 'postgresql.conf'),
        [
          '',
          '# OpsDeck backup drill scratch instance',
          `listen_addresses = '127.0.0.1'`,
          `port = ${port}`,
          `unix_socket_directories = ${confString(this.socketDir)}`,
          'unix_socket_permissions = 0700',
          '',
        ].join('\n'),
      );
      this.#port = port;
      try {
        await runCommand(
          this.#command('pg_ctl', [
            'start',
            `--pgdata=${this.dataDir}`,
            '--wait',
            '--timeout=60',
            `--log=${path.join(this.rootDir, 'server.log')}`,
          ]),
          { signal, cwd: this.rootDir },
        );
        this.#postmasterPid = await readPostmasterPid(this.dataDir);
        return;
      } catch (error) {
        this.#postmasterPid = await readPostmasterPid(this.dataDir);
        const log = await fs
          .readFile(path.join(this.rootDir, 'server.log'), 'utf8')
          .catch(() => '');
        // Another process may have taken the port since we released it.
        if (
          attempt < START_ATTEMPTS &&
          /could not (bind|create listen)/i.test(log) &&
          !signal?.aborted
        ) {
          continue;
        }
        throw error instanceof CommandFailedError
          ? new CommandFailedError(
              { file: 'pg_ctl', args: [] },
              'could not start the scratch server',
              `${error.stderr}\n${log}`,
            )
          : error;
      }
    }
  }

  /** Connection settings of a database of the instance, over its socket. */
  connection(database: string) {
    if (this.#port === undefined) {
      throw new Error('The scratch instance is not started');
    }
    return {
      host: this.socketDir,
      port: this.#port,
      user: SCRATCH_SUPERUSER,
      database,
    };
  }

  /**
   * Stops the server (`pg_ctl stop -m immediate`; its data is thrown away),
   * removes the directory and checks that no process, port or file is left.
   * Never throws: what is left is in the proof.
   */
  async destroy(): Promise<CleanupProof> {
    const notes: string[] = [];
    const pidFromFile =
      this.#postmasterPid ?? (await readPostmasterPid(this.dataDir));
    const pid =
      pidFromFile !== undefined &&
      (await isPostmasterOf(pidFromFile, this.dataDir))
        ? pidFromFile
        : undefined;
    if (pid !== undefined) {
      try {
        // Not cancellable: cleanup must run to its end.
        await runCommand(
          this.#command('pg_ctl', [
            'stop',
            `--pgdata=${this.dataDir}`,
            '--mode=immediate',
            '--wait',
            '--timeout=30',
          ]),
          { env: postgresEnvironment() },
        );
        notes.push(`stopped postmaster ${pid} (pg_ctl stop -m immediate)`);
      } catch (error) {
        notes.push(`pg_ctl stop failed (${String(error)}), killed ${pid}`);
        if (await isPostmasterOf(pid, this.dataDir)) {
          try {
            process.kill(pid, 'SIGKILL');
          } catch {
            // Already gone.
          }
        }
      }
    } else {
      notes.push('no server was running');
    }

    let processesLeft = await processesOfInstance(this.rootDir, pid);
    for (let wait = 0; processesLeft.length > 0 && wait < 50; wait++) {
      if (wait === 20) {
        // A server that pg_ctl could not stop, or that was still starting
        // when a cancelled pg_ctl start died: its command line proves it is
        // ours, and an immediate shutdown is what we want anyway.
        for (const leftover of processesLeft) {
          if (await isPostmasterOf(leftover, this.dataDir)) {
            notes.push(`sent SIGQUIT to ${leftover}`);
            try {
              process.kill(leftover, 'SIGQUIT');
            } catch {
              // Already gone.
            }
          }
        }
      }
      await sleep(100);
      processesLeft = await processesOfInstance(this.rootDir, pid);
    }

    await fs
      .rm(this.rootDir, { recursive: true, force: true, maxRetries: 3 })
      .catch(error => notes.push(`removing failed: ${String(error)}`));

    const portOpen =
      this.#port === undefined ? false : await isLoopbackPortOpen(this.#port);
    const directoryExists = await exists(this.rootDir);
    const clean = processesLeft.length === 0 && !portOpen && !directoryExists;
    const proof = [
      processesLeft.length === 0
        ? `no process runs from ${this.rootDir}`
        : `processes ${processesLeft.join(', ')} still run from ${
            this.rootDir
          }`,
      this.#port === undefined
        ? 'no port was opened'
        : `127.0.0.1:${this.#port} ${
            portOpen ? 'still accepts connections' : 'refuses connections'
          }`,
      directoryExists
        ? `${this.rootDir} still exists`
        : `${this.rootDir} removed`,
    ];
    return {
      processesLeft,
      portOpen,
      directoryExists,
      clean,
      summary: `${clean ? 'Nothing left' : 'LEFT BEHIND'}: ${[
        ...notes,
        ...proof,
      ].join('; ')}`,
    };
  }
}
