import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import fs from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import {
  asUser,
  Command,
  CommandFailedError,
  postgresEnvironment,
  runCommand,
} from '../processes';

/** The bootstrap superuser of a scratch instance. */
export const SCRATCH_SUPERUSER = 'postgres';

// A Unix socket path is at most 107 bytes on Linux.
const MAX_SOCKET_PATH = 107;
const START_ATTEMPTS = 3;

/** Directory name prefix of the template clusters in scratch.workDir. */
export const TEMPLATE_PREFIX = 'opsdeck-template-';
// A template directory holds the cluster in data/ and the list of its files
// in files.json; part of the key, so a template of another layout is replaced.
const TEMPLATE_LAYOUT = 'data/ without the postgres database + files.json';
const TEMPLATE_FILES = 'files.json';
// A template build dead for this long (its drill crashed) is removed.
const STALE_BUILD_MS = 60 * 60_000;

/**
 * initdb's arguments, besides --pgdata: the template cluster that every
 * scratch instance copies is made with them.
 */
const INITDB_ARGUMENTS = [
  `--username=${SCRATCH_SUPERUSER}`,
  '--auth-local=trust',
  '--auth-host=reject',
  '--encoding=UTF8',
  // The restore creates the database with the dump's own locale.
  '--no-locale',
  // 1 MB WAL segments instead of 16: the template's WAL is then 5 MB instead
  // of 16, and every instance copies it. The restore writes little WAL at
  // wal_level = minimal, so smaller segments cost it nothing measurable.
  '--wal-segsize=1',
];

/**
 * Server settings of a bulk load, as PostgreSQL's documentation advises
 * ("Populating a Database"): with `wal_level = minimal` (which needs
 * `max_wal_senders = 0`) the COPY of a table that pg_restore created or
 * truncated in the same transaction writes no WAL, and the data files are
 * synced at commit instead. Nothing but the restore writes to a scratch
 * instance, so autovacuum would only compete with it. `fsync` stays on: the
 * measured RTO is that of a server whose restored data is on disk.
 */
export const SCRATCH_SERVER_SETTINGS = [
  'wal_level = minimal',
  'max_wal_senders = 0',
  'autovacuum = off',
];

// How often start looks whether the server is ready and cleanup whether the
// stopped server's processes are gone; when cleanup sends SIGQUIT to a
// postmaster still there, and when it gives up.
const POLL_MS = 10;
const STOP_SIGQUIT_AFTER_MS = 2000;
const STOP_GIVE_UP_AFTER_MS = 5000;

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
      // in a container may take seconds.
      if (state === 'Z') {
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

/**
 * Whether the postmaster says it accepts connections: the 8th line of
 * postmaster.pid, the status pg_ctl waits for.
 */
async function isReady(dataDir: string): Promise<boolean> {
  const lines = await fs
    .readFile(path.join(dataDir, 'postmaster.pid'), 'utf8')
    .then(text => text.split('\n'))
    .catch(() => []);
  return lines[7]?.trim() === 'ready';
}

/** The first `length` hex digits of the text's SHA-256. */
function digest(text: string, length: number): string {
  return createHash('sha256').update(text).digest('hex').slice(0, length);
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
  return `opsdeck-drill-${digest(`${taskId}\n${target}`, 12)}-`;
}

/**
 * The name of the template cluster of a PostgreSQL installation and server
 * user: `opsdeck-template-<installation>-<key>`. The installation part
 * hashes binDir and the user; the key also hashes the initdb and postgres
 * binaries (path, size, modification time) and initdb's arguments, so an
 * upgraded PostgreSQL gets a new template and the old one is removed.
 */
export async function templateName(options: {
  binDir: string;
  runAsUser?: string;
}): Promise<{ installation: string; name: string }> {
  const { binDir, runAsUser = '' } = options;
  const binaries = await Promise.all(
    ['initdb', 'postgres'].map(async program => {
      const file = path.join(binDir, program);
      const stat = await fs.stat(file);
      return `${file}\t${stat.size}\t${stat.mtimeMs}`;
    }),
  );
  const installation = digest(`${binDir}\n${runAsUser}`, 8);
  const key = digest(
    [TEMPLATE_LAYOUT, ...binaries, runAsUser, ...INITDB_ARGUMENTS].join('\n'),
    12,
  );
  return { installation, name: `${TEMPLATE_PREFIX}${installation}-${key}` };
}

/**
 * Removes the installation's templates of other keys (an older PostgreSQL)
 * and template builds that died long ago; never another installation's.
 */
async function removeStaleTemplates(
  workDir: string,
  installation: string,
  current: string,
): Promise<void> {
  const ours = `${TEMPLATE_PREFIX}${installation}-`;
  for (const name of await fs.readdir(workDir).catch(() => [])) {
    if (!name.startsWith(ours) || name === current) {
      continue;
    }
    const dir = path.join(workDir, name);
    if (name.startsWith(`${ours}building-`)) {
      const stat = await fs.stat(dir).catch(() => undefined);
      if (!stat || Date.now() - stat.mtimeMs < STALE_BUILD_MS) {
        continue;
      }
    }
    await fs.rm(dir, { recursive: true, force: true }).catch(() => {});
  }
}

/** Every file and directory below the directory, sorted, as relative paths. */
async function listTree(dir: string): Promise<string[]> {
  return (await fs.readdir(dir, { recursive: true })).sort();
}

/**
 * Whether the template still has every file initdb made. A kept template can
 * lose files to a temporary-directory cleaner (systemd-tmpfiles removes files
 * not used for 10 days from /tmp on some distributions, and drills run
 * quarterly); a cluster copied from it would fail in odd ways.
 */
async function isTemplateIntact(templateDir: string): Promise<boolean> {
  try {
    const expected = JSON.parse(
      await fs.readFile(path.join(templateDir, TEMPLATE_FILES), 'utf8'),
    );
    const actual = await listTree(path.join(templateDir, 'data'));
    return JSON.stringify(actual) === JSON.stringify(expected);
  } catch {
    return false;
  }
}

/** Moves the template out of the way at once, then removes it. */
async function discardTemplate(templateDir: string): Promise<void> {
  const away = `${templateDir}.removing-${process.pid}-${Date.now()}`;
  try {
    await fs.rename(templateDir, away);
  } catch {
    // Another drill moved it already.
    return;
  }
  await fs.rm(away, { recursive: true, force: true }).catch(() => {});
}

/**
 * The template cluster every scratch instance copies instead of running
 * initdb (0.4 s, against typically 0.05 to 0.3 s for a copy): made once per
 * installation in workDir, never started, kept. Built under a temporary name
 * and renamed when complete, so a drill never copies a half-made template;
 * when drills build it at the same time, the first rename wins and the
 * others use it. The cluster is in `data/`, the list of its files in
 * `files.json`.
 */
export async function ensureTemplate(options: {
  binDir: string;
  workDir: string;
  runAsUser?: string;
  signal?: AbortSignal;
}): Promise<{ dir: string; built: boolean }> {
  const { binDir, workDir, runAsUser, signal } = options;
  const { installation, name } = await templateName(options);
  const dir = path.join(workDir, name);
  let built = false;
  if (!(await exists(dir))) {
    const building = await fs.mkdtemp(
      path.join(workDir, `${TEMPLATE_PREFIX}${installation}-building-`),
    );
    try {
      await fs.chmod(building, 0o700);
      if (runAsUser) {
        const { uid, gid } = await lookupUserIds(runAsUser);
        await fs.chown(building, uid, gid);
      }
      // Without --no-sync: the template is synced to disk before it is
      // renamed into place, so a crash never leaves a torn one to copy.
      await runCommand(
        asUser(
          {
            file: path.join(binDir, 'initdb'),
            args: [
              `--pgdata=${path.join(building, 'data')}`,
              ...INITDB_ARGUMENTS,
            ],
          },
          runAsUser,
        ),
        { signal, cwd: building },
      );
      // A scratch instance needs template0 (the dump's CREATE DATABASE
      // copies it) and template1 (pg_restore connects there), not the
      // postgres database: without it every instance creates and removes a
      // third fewer files (about 670 instead of 970), which is most of an
      // instance's creation time when the file system is busy. Dropped in
      // single-user mode, which ends with a checkpoint and fsync.
      await runCommand(
        asUser(
          {
            file: path.join(binDir, 'postgres'),
            args: [
              '--single',
              '-D',
              path.join(building, 'data'),
              '-c',
              'exit_on_error=on',
              'template1',
            ],
          },
          runAsUser,
        ),
        { signal, cwd: building, input: 'DROP DATABASE postgres\n' },
      );
      await fs.writeFile(
        path.join(building, TEMPLATE_FILES),
        JSON.stringify(await listTree(path.join(building, 'data'))),
      );
      await fs.rename(building, dir);
      built = true;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      await fs.rm(building, { recursive: true, force: true }).catch(() => {});
      // Another drill renamed its template into place first: use that one.
      if (
        !(code === 'ENOTEMPTY' || code === 'EEXIST') ||
        !(await exists(dir))
      ) {
        throw error;
      }
    }
  }
  await removeStaleTemplates(workDir, installation, name);
  return { dir, built };
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
   * Copies the template cluster (see {@link ensureTemplate}), then
   * pg_ctl start on a free loopback port.
   */
  async start(): Promise<void> {
    const { signal } = this.#options;
    await this.#copyTemplate();

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
          ...SCRATCH_SERVER_SETTINGS,
          '',
        ].join('\n'),
      );
      this.#port = port;
      try {
        await this.#startServer();
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
        this.#copyCluster(path.join(template.dir, 'data')).then(
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

  /**
   * Copies a cluster with one `cp -R -p` per database directory, one for
   * `global` and one for the rest, all at the same time. Creating files is
   * what a copy spends its time on, and on a busy file system each creation
   * waits for the disk (0.3 ms per file measured here, against 0.05 ms when
   * quiet): serially the 670 files took 0.15 to 0.6 s, four copies at once
   * about half. Runs as the server user, keeping the template's modes.
   */
  async #copyCluster(from: string): Promise<void> {
    const { signal, runAsUser } = this.#options;
    // data/ and data/base/ first, as initdb made them, so the copies can
    // fill them side by side.
    for (const dir of ['', 'base']) {
      const target = path.join(this.dataDir, dir);
      await fs.mkdir(target);
      await this.#handToServer(
        target,
        (await fs.stat(path.join(from, dir))).mode & 0o7777,
      );
    }
    const databases = await fs.readdir(path.join(from, 'base'));
    const others = (await fs.readdir(from)).filter(
      name => name !== 'base' && name !== 'global',
    );
    const copies = [
      ...databases.map(oid => ({ into: 'base', names: [`base/${oid}`] })),
      { into: '', names: ['global'] },
      { into: '', names: others },
    ];
    const results = await Promise.allSettled(
      copies
        .filter(({ names }) => names.length > 0)
        .map(({ into, names }) =>
          runCommand(
            asUser(
              {
                file: 'cp',
                args: [
                  '-R',
                  '-p',
                  `--target-directory=${path.join(this.dataDir, into)}`,
                  '--',
                  ...names.map(name => path.join(from, name)),
                ],
              },
              runAsUser,
            ),
            { signal, cwd: this.rootDir },
          ),
        ),
    );
    // Only once every copy has ended, so none still writes into a directory
    // that cleanup removes.
    const failed = results.find(
      (result): result is PromiseRejectedResult => result.status === 'rejected',
    );
    if (failed) {
      throw failed.reason;
    }
  }

  /**
   * `pg_ctl start --wait`, going on as soon as postmaster.pid says the
   * server is ready: pg_ctl looks every 100 ms, this every 10 ms, and a
   * fresh cluster starts in about 30 ms. pg_ctl's own result still decides
   * when it finishes first (a server that failed to start); when the server
   * is ready first, pg_ctl sees the same status at its next look and exits.
   */
  async #startServer(): Promise<void> {
    let outcome: { failed: boolean; error?: unknown } | undefined;
    // Handled at once, so a failure while we poll is never unhandled.
    void runCommand(
      this.#command('pg_ctl', [
        'start',
        `--pgdata=${this.dataDir}`,
        '--wait',
        '--timeout=60',
        `--log=${path.join(this.rootDir, 'server.log')}`,
      ]),
      { signal: this.#options.signal, cwd: this.rootDir },
    ).then(
      () => {
        outcome = { failed: false };
      },
      error => {
        outcome = { failed: true, error };
      },
    );
    while (!outcome) {
      if (await isReady(this.dataDir)) {
        return;
      }
      await sleep(POLL_MS);
    }
    if (outcome.failed) {
      throw outcome.error;
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

    const stopping = performance.now();
    let sentSigquit = false;
    let processesLeft = await processesOfInstance(this.rootDir, pid);
    while (
      processesLeft.length > 0 &&
      performance.now() - stopping < STOP_GIVE_UP_AFTER_MS
    ) {
      if (
        !sentSigquit &&
        performance.now() - stopping >= STOP_SIGQUIT_AFTER_MS
      ) {
        sentSigquit = true;
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
      await sleep(POLL_MS);
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
