import fs from 'node:fs/promises';
import path from 'node:path';
import {
  asUser,
  Command,
  CommandFailedError,
  postgresEnvironment,
  runCommand,
} from '../processes';
import { CleanupProof, proveCleanup } from './cleanupProof';
import { copyCluster } from './copyCluster';
import { findFreeLoopbackPort } from './network';
import {
  isPostmasterOf,
  lookupUserIds,
  readPostmasterPid,
  startServerAndWait,
  waitForInstanceToEnd,
} from './serverProcesses';
import {
  confString,
  PHYSICAL_RESTORE_SETTINGS,
  SCRATCH_HBA,
  SCRATCH_SERVER_SETTINGS,
  scratchServerConf,
} from './serverSettings';
import {
  digest,
  discardTemplate,
  ensureTemplate,
  isTemplateIntact,
  SCRATCH_SUPERUSER,
} from './templateCluster';

// The scratch library's parts, for the drill and its tests.
export type { CleanupProof } from './cleanupProof';
export { findFreeLoopbackPort, isLoopbackPortOpen } from './network';
export { processesOfInstance } from './serverProcesses';
export {
  PHYSICAL_RESTORE_SETTINGS,
  SCRATCH_SERVER_SETTINGS,
} from './serverSettings';
export {
  ensureTemplate,
  SCRATCH_SUPERUSER,
  TEMPLATE_PREFIX,
  templateName,
} from './templateCluster';

// A Unix socket path is at most 107 bytes on Linux.
const MAX_SOCKET_PATH = 107;
const START_ATTEMPTS = 3;

/**
 * The directory name prefix of a drill's scratch instances: the same for
 * every attempt of one task step, so a retry finds what a crashed attempt
 * left behind, and short, so the socket path fits.
 */
export function scratchPrefix(taskId: string, target: string): string {
  return `opsdeck-drill-${digest(`${taskId}\n${target}`, 12)}-`;
}

/** @public */
export interface ScratchInstanceOptions {
  binDir: string;
  workDir: string;
  runAsUser?: string;
  /** Directory name prefix, see `scratchPrefix`. */
  prefix: string;
  signal?: AbortSignal;
}

/**
 * A throwaway PostgreSQL server in a fresh directory: listening on a free
 * loopback port and a private Unix socket, trusting local (socket)
 * connections only and rejecting TCP ones, so only this backend can reach
 * the restored data. {@link ScratchInstance.destroy} stops it, removes the
 * directory and proves both.
 *
 * @public
 */
export class ScratchInstance {
  readonly rootDir: string;
  readonly dataDir: string;
  readonly socketDir: string;
  readonly #options: ScratchInstanceOptions;
  #port?: number;
  #postmasterPid?: number;
  #template?: { name: string; built: boolean };
  /** The server user's ids, when the server runs as another user. */
  #owner?: { uid: number; gid: number };

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
    if (options.runAsUser) {
      instance.#owner = await lookupUserIds(options.runAsUser);
    }
    // The server must be able to write there, and nobody else to read it.
    await fs.mkdir(instance.socketDir, { mode: 0o700 });
    for (const dir of [rootDir, instance.socketDir]) {
      await instance.#handToServer(dir, 0o700);
    }
    return instance;
  }

  private constructor(rootDir: string, options: ScratchInstanceOptions) {
    this.rootDir = rootDir;
    this.dataDir = path.join(rootDir, 'data');
    this.socketDir = path.join(rootDir, 's');
    this.#options = options;
  }

  /** Gives a directory the mode and, when it runs as another user, the owner the server needs. */
  async #handToServer(dir: string, mode: number): Promise<void> {
    await fs.chmod(dir, mode);
    if (this.#owner) {
      await fs.chown(dir, this.#owner.uid, this.#owner.gid);
    }
  }

  get port(): number | undefined {
    return this.#port;
  }

  /** The template cluster the instance copied, and whether it built it. */
  get template(): { name: string; built: boolean } | undefined {
    return this.#template;
  }

  #command(program: string, args: string[]): Command {
    return asUser(
      { file: path.join(this.#options.binDir, program), args },
      this.#options.runAsUser,
    );
  }

  /**
   * Copies the template cluster (see `ensureTemplate`), then
   * pg_ctl start on a free loopback port.
   */
  async start(): Promise<void> {
    await this.#copyTemplate();
    await this.#configureAndStart(SCRATCH_SERVER_SETTINGS, {});
  }

  /**
   * Physical-restore mode, first half: an empty data directory owned by the
   * server's user, for a restore program (pgbackrest restore) to fill
   * instead of the template copy.
   */
  async prepareEmptyDataDir(): Promise<void> {
    await fs.mkdir(this.dataDir, { mode: 0o700 });
    await this.#handToServer(this.dataDir, 0o700);
  }

  /**
   * Physical-restore mode, second half: starts the restored cluster on a
   * free loopback port with its own authentication (local trust, TCP
   * rejected, whatever the source's pg_hba.conf said), no WAL archiving (the
   * copy must never push WAL into the source's repository) and no TLS (the
   * source's certificates are not part of a backup). pg_ctl returns once
   * the server accepts connections, during recovery with hot_standby.
   */
  async startRestored(options: {
    /** Extra environment of the server, e.g. what its restore_command needs. */
    env?: Record<string, string>;
    /** How long pg_ctl waits for recovery to reach consistency. */
    timeoutSeconds?: number;
  }): Promise<void> {
    // The restored directory belongs to the server user; we write as ourselves.
    const hba = path.join(this.dataDir, 'pg_hba.conf');
    await fs.writeFile(hba, SCRATCH_HBA, { mode: 0o600 });
    await this.#handToServer(hba, 0o600);
    const conf = path.join(this.dataDir, 'postgresql.conf');
    // A Debian cluster keeps its configuration outside the data directory.
    await fs.appendFile(conf, '', { mode: 0o600 });
    await this.#handToServer(conf, 0o600);
    await this.#configureAndStart(
      [
        `hba_file = ${confString(hba)}`,
        `ident_file = ${confString(path.join(this.dataDir, 'pg_ident.conf'))}`,
        ...PHYSICAL_RESTORE_SETTINGS,
      ],
      options,
    );
  }

  async #configureAndStart(
    settings: string[],
    options: { env?: Record<string, string>; timeoutSeconds?: number },
  ): Promise<void> {
    const { signal } = this.#options;
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
        scratchServerConf({ port, socketDir: this.socketDir, settings }),
      );
      this.#port = port;
      try {
        await startServerAndWait({
          pgCtl: this.#command('pg_ctl', []),
          dataDir: this.dataDir,
          logFile: path.join(this.rootDir, 'server.log'),
          cwd: this.rootDir,
          signal: this.#options.signal,
          ...options,
        });
        this.#postmasterPid = await readPostmasterPid(this.dataDir);
        return;
      } catch (error) {
        this.#postmasterPid = await readPostmasterPid(this.dataDir);
        const log = await this.serverLog();
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

  /** The server's log so far ('' when there is none). */
  async serverLog(): Promise<string> {
    return fs
      .readFile(path.join(this.rootDir, 'server.log'), 'utf8')
      .catch(() => '');
  }

  /** Whether the instance's postmaster is still running. */
  async isRunning(): Promise<boolean> {
    const pid = this.#postmasterPid ?? (await readPostmasterPid(this.dataDir));
    return pid !== undefined && isPostmasterOf(pid, this.dataDir);
  }

  /**
   * Copies the template's cluster into the data directory, checking at the
   * same time (behind the copy) that the template is intact; a damaged one
   * is removed and built anew, once.
   */
  async #copyTemplate(): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      const template = await ensureTemplate(this.#options);
      this.#template = {
        name: path.basename(template.dir),
        built: template.built,
      };
      const [intact, copyFailure] = await Promise.all([
        template.built || isTemplateIntact(template.dir),
        copyCluster({
          from: path.join(template.dir, 'data'),
          dataDir: this.dataDir,
          rootDir: this.rootDir,
          runAsUser: this.#options.runAsUser,
          signal: this.#options.signal,
          handToServer: (dir, mode) => this.#handToServer(dir, mode),
        }).then(
          () => undefined,
          (error: unknown) => ({ error }),
        ),
      ]);
      if (intact) {
        if (copyFailure) {
          throw copyFailure.error;
        }
        return;
      }
      // A copy of a damaged template may also have failed for the damage
      // (a directory gone): build the template anew either way.
      if (attempt > 1) {
        throw new Error(
          `The template cluster ${template.dir} was incomplete again right after it was built`,
        );
      }
      await fs.rm(this.dataDir, { recursive: true, force: true });
      await discardTemplate(template.dir);
    }
  }

  /** Connection settings of a database of the instance, over its socket. */
  connection(database: string, user: string = SCRATCH_SUPERUSER) {
    if (this.#port === undefined) {
      throw new Error('The scratch instance is not started');
    }
    return {
      host: this.socketDir,
      port: this.#port,
      user,
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
        // Not cancellable: cleanup must run to its end. Without --wait: pg_ctl
        // would look every 100 ms whether the server is gone, the loop below
        // looks every 10 ms.
        await runCommand(
          this.#command('pg_ctl', [
            'stop',
            `--pgdata=${this.dataDir}`,
            '--mode=immediate',
            '--no-wait',
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

    const processesLeft = await waitForInstanceToEnd({
      rootDir: this.rootDir,
      dataDir: this.dataDir,
      pid,
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
