import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Connection } from 'mysql2/promise';
import { runCommand } from '../../postgres/processes';
import {
  CleanupProof,
  proveCleanup,
} from '../../postgres/scratch/cleanupProof';
import { findFreeLoopbackPort } from '../../postgres/scratch/network';
import {
  isPostmasterOf,
  lookupUserIds,
} from '../../postgres/scratch/serverProcesses';
import { connectToSocket } from '../connections';
import { mysqlEnvironment } from './programEnvironment';
import {
  readPidFile,
  ServerStartError,
  startServer,
  stopServer,
} from './serverProcess';
import {
  MYSQL_DATA_DIR_SETTINGS,
  MysqlServerPaths,
  scratchServerArgs,
} from './serverSettings';

export type { CleanupProof } from '../../postgres/scratch/cleanupProof';
export { scratchPrefix } from '../../postgres/scratch/scratchInstance';
export { mysqlEnvironment } from './programEnvironment';
export {
  MYSQL_SCRATCH_SERVER_SETTINGS,
  scratchServerArgs,
} from './serverSettings';

// A Unix socket path is at most 107 bytes on Linux.
const MAX_SOCKET_PATH = 107;
const START_ATTEMPTS = 3;

/** @public */
export interface MysqlScratchInstanceOptions {
  /** Where mariadb, mariadb-admin and mariadb-install-db are. */
  binDir: string;
  /** The server program, e.g. /usr/sbin/mariadbd. */
  server: string;
  workDir: string;
  /** The unprivileged user the server runs as (needed when the backend is root). */
  runAsUser?: string;
  /** Directory name prefix, see `scratchPrefix`. */
  prefix: string;
  signal?: AbortSignal;
  /** How long start waits for the server to answer (default 120 s). */
  startTimeoutMs?: number;
}

/**
 * The account this backend uses in its scratch servers: the one named after
 * the operating system user it runs as, which mariadb-install-db's socket
 * authentication lets in over the socket only. TCP has no account without
 * a password, so the loopback port lets nobody in.
 */
export function scratchClientUser(): string {
  return process.getuid?.() === 0 ? 'root' : os.userInfo().username;
}

/**
 * A throwaway MariaDB server in a fresh directory: its own data directory,
 * socket, free loopback port and error log, run as an unprivileged user.
 * {@link MysqlScratchInstance.destroy} stops it, removes the directory and
 * proves both.
 *
 * @public
 */
export class MysqlScratchInstance {
  readonly rootDir: string;
  readonly paths: MysqlServerPaths;
  readonly #options: MysqlScratchInstanceOptions;
  #port?: number;
  #pid?: number;
  #owner?: { uid: number; gid: number };

  /** Removes the instances a crashed earlier attempt of the same drill left. */
  static async removeLeftovers(
    options: Omit<MysqlScratchInstanceOptions, 'signal'>,
  ): Promise<CleanupProof[]> {
    const names = await fs.readdir(options.workDir).catch(() => []);
    const proofs: CleanupProof[] = [];
    for (const name of names.filter(n => n.startsWith(options.prefix))) {
      const instance = new MysqlScratchInstance(
        path.join(options.workDir, name),
        options,
      );
      instance.#pid = await readPidFile(instance.paths.pidFile);
      const port = Number(
        await fs.readFile(instance.#portFile, 'utf8').catch(() => ''),
      );
      instance.#port = port > 0 ? port : undefined;
      proofs.push(await instance.destroy());
    }
    return proofs;
  }

  /** Creates the instance's directories, owned by the user that runs the server. */
  static async create(
    options: MysqlScratchInstanceOptions,
  ): Promise<MysqlScratchInstance> {
    const rootDir = await fs.mkdtemp(
      path.join(options.workDir, options.prefix),
    );
    const instance = new MysqlScratchInstance(rootDir, options);
    const socketDir = path.dirname(instance.paths.socket);
    if (Buffer.byteLength(instance.paths.socket) > MAX_SOCKET_PATH) {
      await fs.rm(rootDir, { recursive: true, force: true });
      throw new Error(
        `The scratch socket path ${instance.paths.socket} is longer than ${MAX_SOCKET_PATH} bytes; configure a shorter scratch.workDir`,
      );
    }
    if (options.runAsUser) {
      instance.#owner = await lookupUserIds(options.runAsUser);
    }
    // The server must be able to write there, and nobody else to read it.
    for (const dir of [socketDir, instance.paths.tmpDir]) {
      await fs.mkdir(dir, { mode: 0o700 });
    }
    for (const dir of [rootDir, socketDir, instance.paths.tmpDir]) {
      await instance.handToServer(dir, 0o700);
    }
    return instance;
  }

  private constructor(rootDir: string, options: MysqlScratchInstanceOptions) {
    this.rootDir = rootDir;
    this.paths = {
      dataDir: path.join(rootDir, 'data'),
      socket: path.join(rootDir, 's', 'mysqld.sock'),
      pidFile: path.join(rootDir, 'mysqld.pid'),
      errorLog: path.join(rootDir, 'error.log'),
      tmpDir: path.join(rootDir, 'tmp'),
    };
    this.#options = options;
  }

  get #portFile(): string {
    return path.join(this.rootDir, 'port');
  }

  get dataDir(): string {
    return this.paths.dataDir;
  }

  get port(): number | undefined {
    return this.#port;
  }

  /** The user the server runs as, when the backend is root. */
  get runAsUser(): string | undefined {
    return this.#options.runAsUser;
  }

  /** Gives a file or directory the mode and, when it runs as another user, the owner the server needs. */
  async handToServer(file: string, mode: number): Promise<void> {
    await fs.chmod(file, mode);
    if (this.#owner) {
      await fs.chown(file, this.#owner.uid, this.#owner.gid);
    }
  }

  #program(name: string): string {
    return path.join(this.#options.binDir, name);
  }

  /**
   * Creates the system tables in an empty data directory; the backend's
   * own operating system user gets an account that logs in over the socket
   * only (see {@link scratchClientUser}).
   */
  async initialize(): Promise<void> {
    const user = this.#options.runAsUser ?? os.userInfo().username;
    await runCommand(
      {
        file: this.#program('mariadb-install-db'),
        args: [
          '--no-defaults',
          '--auth-root-authentication-method=socket',
          `--datadir=${this.paths.dataDir}`,
          // Its bootstrap server's own temporary directory: a MariaDB server
          // starting removes every #sql temporary file of its tmpdir, so
          // two instances created at once in a shared /tmp broke each
          // other's install ("Unknown table 'mysql.tmp_user_sys'").
          `--tmpdir=${this.paths.tmpDir}`,
          `--user=${user}`,
          '--skip-test-db',
          ...MYSQL_DATA_DIR_SETTINGS,
        ],
      },
      {
        signal: this.#options.signal,
        cwd: this.rootDir,
        env: mysqlEnvironment(),
      },
    );
  }

  /**
   * Starts the server on a free loopback port and waits until it answers on
   * its socket; a port another process took in between is retried.
   * `skipGrantTables` is for a physical copy, whose accounts are the
   * source's: it then listens on its socket only (see `scratchServerArgs`).
   */
  async start(options: { skipGrantTables?: boolean } = {}): Promise<void> {
    const { skipGrantTables } = options;
    for (let attempt = 1; ; attempt++) {
      const port = skipGrantTables ? undefined : await findFreeLoopbackPort();
      this.#port = port;
      await fs.writeFile(this.#portFile, String(port ?? ''));
      const logBefore = (await this.errorLog()).length;
      const args = scratchServerArgs({
        paths: this.paths,
        port,
        skipGrantTables,
        // As root, mariadbd switches to --user itself; as anyone else it runs as is.
        runAsUser: this.#options.runAsUser,
      });
      try {
        await startServer({
          file: this.#options.server,
          args,
          cwd: this.rootDir,
          socket: this.paths.socket,
          readLog: async () => (await this.errorLog()).slice(logBefore),
          signal: this.#options.signal,
          timeoutMs: this.#options.startTimeoutMs,
          onSpawn: pid => {
            this.#pid = pid;
          },
        });
        return;
      } catch (error) {
        // Another process may have taken the port since we released it.
        if (
          attempt < START_ATTEMPTS &&
          port !== undefined &&
          error instanceof ServerStartError &&
          /bind on tcp\/ip port|address already in use/i.test(error.log) &&
          !this.#options.signal?.aborted
        ) {
          continue;
        }
        throw error;
      }
    }
  }

  /** The server's error log so far ('' when there is none). */
  errorLog(): Promise<string> {
    return fs.readFile(this.paths.errorLog, 'utf8').catch(() => '');
  }

  /** A session in the instance as its administrator, over the socket. */
  connection(database?: string): Promise<Connection> {
    return connectToSocket({
      socketPath: this.paths.socket,
      user: scratchClientUser(),
      database,
    });
  }

  /** The `mariadb` client's arguments (after the program) to reach the instance. */
  clientArgs(database?: string): string[] {
    return [
      '--no-defaults',
      `--socket=${this.paths.socket}`,
      `--user=${scratchClientUser()}`,
      '--max-allowed-packet=1G',
      ...(database ? [`--database=${database}`] : []),
    ];
  }

  /** The `mariadb` client program to run with {@link MysqlScratchInstance.clientArgs}. */
  get clientProgram(): string {
    return this.#program('mariadb');
  }

  /**
   * Stops the server, removes the directory and checks that no process,
   * port or file is left. Works in every state (never started, failed or
   * cancelled start) and never throws: what is left is in the proof.
   */
  async destroy(): Promise<CleanupProof> {
    const notes: string[] = [];
    const recorded = this.#pid ?? (await readPidFile(this.paths.pidFile));
    // A crashed attempt's pid file may name a pid the system has since reused.
    const pid =
      recorded !== undefined &&
      (await isPostmasterOf(recorded, this.paths.dataDir))
        ? recorded
        : undefined;
    const processesLeft = await stopServer({
      rootDir: this.rootDir,
      dataDir: this.paths.dataDir,
      pid,
      admin: {
        file: this.#program('mariadb-admin'),
        args: [
          '--no-defaults',
          `--socket=${this.paths.socket}`,
          `--user=${scratchClientUser()}`,
          '--connect-timeout=2',
        ],
      },
      notes,
    });
    await fs
      .rm(this.rootDir, { recursive: true, force: true, maxRetries: 3 })
      .catch(error => notes.push(`removing failed: ${String(error)}`));
    return proveCleanup({
      rootDir: this.rootDir,
      port: this.#port,
      processesLeft,
      notes,
    });
  }
}
