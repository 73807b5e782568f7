import path from 'node:path';
import { Client } from 'pg';
import {
  pgBackRestEnvironment,
  PgBackRestBackupSettings,
} from '../backupConfig';
import { closeQuietly } from '../connections';
import {
  asUser,
  CommandResult,
  lastLines,
  postgresEnvironment,
  runCommand,
} from '../processes';
import { ScratchInstance } from '../scratch/scratchInstance';
import { sleep } from '../scratch/serverProcesses';
import { parsePgBackRestInfo, pgBackRestTime } from './pgBackRestInfo';
import { newestArchivedCommit } from './pgBackRestWal';
import { BackupSource, FoundBackup, RestoredCopy } from './source';

const PROMOTION_POLL_MS = 50;

/** Where a pgBackRest restore runs and what it verifies. */
export interface PgBackRestSourceOptions {
  binDir: string;
  workDir: string;
  runAsUser?: string;
  /** The database to verify and the role to read it as (the target's own). */
  verifyAs: { database: string; user: string };
  /** How long recovery may take before the drill gives up. */
  recoveryTimeoutSeconds: number;
}

interface PgBackRestBackup extends FoundBackup {
  /** pgBackRest's label, for --set. */
  set: string;
}

/**
 * A pgBackRest repository (`backup.source: pgbackrest`): restores a backup
 * physically with `pgbackrest restore` into an empty scratch data
 * directory, to the backup's end or to a requested time, and starts it
 * until recovery has promoted it. The scratch copy never archives: its WAL
 * would land in the source's repository. pgBackRest runs as the scratch
 * server's user, which must be able to read the repository (and, with a
 * config file, read that file).
 */
export class PgBackRestSource implements BackupSource {
  readonly kind = 'pgbackrest';
  readonly supportsTargetTime = true;
  readonly readsSourceAfterCopy = true;
  readonly #settings: PgBackRestBackupSettings;
  readonly #options: PgBackRestSourceOptions;

  constructor(
    settings: PgBackRestBackupSettings,
    options: PgBackRestSourceOptions,
  ) {
    this.#settings = settings;
    this.#options = options;
    if (settings.verify) {
      this.verifyRepository = verifyOptions => this.#verify(verifyOptions);
    }
  }

  /** `pgbackrest verify`, present when the target asks for it (`backup.verify`). */
  readonly verifyRepository?: (options: {
    signal?: AbortSignal;
  }) => Promise<string>;

  describe(): string {
    const { stanza, configFile, repoPath } = this.#settings;
    return `pgBackRest stanza ${stanza}${
      configFile ? `, config ${configFile}` : ''
    }${repoPath ? `, repository ${repoPath}` : ''}`;
  }

  programs(): string[] {
    return [
      'pgbackrest',
      ...['postgres', 'pg_ctl', 'pg_waldump'].map(program =>
        path.join(this.#options.binDir, program),
      ),
    ];
  }

  /** Options of every pgbackrest command: the stanza, how to reach the repository, no log file. */
  #commonOptions(): string[] {
    const { stanza, configFile, repoPath } = this.#settings;
    return [
      `--stanza=${stanza}`,
      ...(configFile ? [`--config=${configFile}`] : []),
      ...(repoPath ? [`--repo1-path=${repoPath}`] : []),
      // The backend's errors come from stderr; a log file would need a
      // log directory the scratch user can write.
      '--log-level-console=off',
      '--log-level-stderr=warn',
      '--log-level-file=off',
    ];
  }

  #environment(): Record<string, string> {
    return pgBackRestEnvironment(this.#settings);
  }

  #run(
    command: string,
    args: string[],
    signal?: AbortSignal,
    /** Arguments after the command, e.g. archive-get's segment and destination. */
    positional: string[] = [],
  ): Promise<CommandResult> {
    return runCommand(
      asUser(
        {
          file: 'pgbackrest',
          args: [...this.#commonOptions(), ...args, command, ...positional],
        },
        this.#options.runAsUser,
      ),
      // PGBACKREST_* of the backend itself are dropped with the PG* variables:
      // only what the target's config names reaches pgBackRest.
      { env: postgresEnvironment(this.#environment()), signal, cwd: '/' },
    );
  }

  async findLatest(options: { signal?: AbortSignal }): Promise<FoundBackup> {
    const { signal } = options;
    const { stdout } = await this.#run('info', ['--output=json'], signal);
    const { backup, newestSegment } = parsePgBackRestInfo(
      stdout,
      this.#settings.stanza,
    );
    const stoppedAt = new Date(backup.timestamp.stop * 1000);
    const walStop = backup.archive?.stop;
    let recoverableUntil = stoppedAt;
    let recoverableUntilSource =
      'the backup stop time (no WAL archived after it)';
    if (newestSegment && walStop && newestSegment > walStop) {
      const newest = await newestArchivedCommit({
        newestSegment,
        notAtOrBefore: walStop,
        binDir: this.#options.binDir,
        workDir: this.#options.workDir,
        runAsUser: this.#options.runAsUser,
        archiveGet: async (segment, destination) => {
          await this.#run('archive-get', [], signal, [segment, destination]);
        },
      });
      if (newest && newest.at > stoppedAt) {
        recoverableUntil = newest.at;
        recoverableUntilSource = `the newest commit in archived WAL ${newest.segment} (pg_waldump)`;
      } else {
        recoverableUntilSource = `the backup stop time (no commit found in the newest archived WAL up to ${newestSegment})`;
      }
    }
    const found: PgBackRestBackup = {
      label: backup.label,
      type: `pgBackRest ${backup.type}`,
      stoppedAt,
      stoppedAtSource: 'pgbackrest info',
      walRange:
        backup.archive?.start && walStop
          ? { start: backup.archive.start, stop: walStop }
          : undefined,
      recoverableUntil,
      recoverableUntilSource,
      database: this.#options.verifyAs.database,
      summary: `${backup.label} (${backup.type}${
        backup.error ? ', pgBackRest flagged page errors' : ''
      }) of stanza ${
        this.#settings.stanza
      }, stopped ${stoppedAt.toISOString()}, WAL ${
        backup.archive?.start ?? '?'
      }..${walStop ?? '?'}; archived WAL up to ${
        newestSegment ?? 'none'
      }, recoverable until ${recoverableUntil.toISOString()} (per ${recoverableUntilSource})`,
      set: backup.label,
    };
    return found;
  }

  async prepareInstance(instance: ScratchInstance): Promise<string> {
    await instance.prepareEmptyDataDir();
    return `Empty data directory ${instance.dataDir} for pgbackrest restore (physical restore: the server starts after it)`;
  }

  #restoreArguments(options: {
    backup: FoundBackup;
    dataDir: string;
    tablespaceDir: string;
    jobs: number;
    targetTime?: Date;
  }): string[] {
    const { backup, dataDir, tablespaceDir, jobs, targetTime } = options;
    return [
      `--pg1-path=${dataDir}`,
      // Written into the copy's postgresql.auto.conf: it never archives.
      '--archive-mode=off',
      // Tablespaces would otherwise be restored to the source's own paths.
      `--tablespace-map-all=${tablespaceDir}`,
      `--process-max=${jobs}`,
      ...(targetTime
        ? // pgBackRest picks the newest backup that ended before the target.
          [`--type=time`, `--target=${pgBackRestTime(targetTime)}`]
        : [
            `--set=${(backup as PgBackRestBackup).set ?? backup.label}`,
            '--type=immediate',
          ]),
      '--target-action=promote',
    ];
  }

  describeRestore(options: {
    backup: FoundBackup;
    jobs: number;
    targetTime?: Date;
  }): string {
    return `pgbackrest ${this.#commonOptions().join(
      ' ',
    )} ${this.#restoreArguments({
      ...options,
      dataDir: '<scratch data dir>',
      tablespaceDir: '<scratch dir>/tablespaces',
    }).join(
      ' ',
    )} restore, then start it on a free loopback port until recovery promotes it`;
  }

  async restore(options: {
    backup: FoundBackup;
    instance: ScratchInstance;
    jobs: number;
    targetTime?: Date;
    signal?: AbortSignal;
    onFilesInPlace?: () => void;
  }): Promise<RestoredCopy> {
    const { backup, instance, jobs, targetTime, signal } = options;
    await this.#run(
      'restore',
      this.#restoreArguments({
        backup,
        dataDir: instance.dataDir,
        tablespaceDir: path.join(instance.rootDir, 'tablespaces'),
        jobs,
        targetTime,
      }),
      signal,
    );
    options.onFilesInPlace?.();
    const { recoveryTimeoutSeconds, verifyAs } = this.#options;
    const deadline = Date.now() + recoveryTimeoutSeconds * 1000;
    // restore_command (pgbackrest archive-get) runs in the server's environment.
    await instance.startRestored({
      env: this.#environment(),
      timeoutSeconds: recoveryTimeoutSeconds,
    });
    await waitForPromotion({
      instance,
      database: verifyAs.database,
      user: verifyAs.user,
      deadline,
      signal,
    });
    return {
      database: verifyAs.database,
      user: verifyAs.user,
      output: `pgbackrest restore ${
        targetTime
          ? `to ${targetTime.toISOString()} (--type=time)`
          : `of ${backup.label} to its end (--type=immediate)`
      } into ${instance.dataDir}, started on 127.0.0.1:${
        instance.port
      } (local trust only, archive_mode off) and recovered until promoted`,
    };
  }

  async #verify(options: { signal?: AbortSignal }): Promise<string> {
    const { stdout, stderr } = await this.#run(
      'verify',
      ['--output=text', '--verbose'],
      options.signal,
    );
    // pgBackRest 2.45 exits 0 whatever it found: its status line says.
    if (!/^status: ok\s*$/m.test(stdout)) {
      const findings = `${stdout}\n${stderr}`
        .split('\n')
        .map(line => line.trim())
        .filter(
          line =>
            /^status: |status: invalid|[1-9]\d*(,|$)/.test(line) &&
            !/^archiveId: .*total valid WAL/.test(line),
        );
      throw new Error(
        `pgbackrest verify of stanza ${
          this.#settings.stanza
        } found a damaged repository: ${
          findings.join('; ') || lastLines(stderr, 3)
        }`,
      );
    }
    return `pgbackrest verify of stanza ${this.#settings.stanza}: ${stdout
      .split('\n')
      .map(line => line.trim())
      .filter(line => line && !line.startsWith('stanza:'))
      .join('; ')}`;
  }
}

/**
 * Waits until the restored server has finished recovery and promoted
 * (pg_is_in_recovery() false), failing at once with the server's own last
 * words when it stops (e.g. the recovery target was not reached).
 */
async function waitForPromotion(options: {
  instance: ScratchInstance;
  database: string;
  user: string;
  deadline: number;
  signal?: AbortSignal;
}): Promise<void> {
  const { instance, database, user, deadline, signal } = options;
  let lastError = '';
  while (Date.now() < deadline) {
    if (signal?.aborted) {
      throw new Error('cancelled while waiting for recovery');
    }
    if (!(await instance.isRunning())) {
      throw new Error(
        `The restored server stopped during recovery: ${lastLines(
          await instance.serverLog(),
          3,
        )}`,
      );
    }
    const client = new Client(instance.connection(database, user));
    try {
      await client.connect();
      const { rows } = await client.query<{ recovering: boolean }>(
        'SELECT pg_is_in_recovery() AS recovering',
      );
      if (!rows[0].recovering) {
        return;
      }
    } catch (error) {
      // Not yet consistent, or still starting up.
      lastError = error instanceof Error ? error.message : String(error);
    } finally {
      await closeQuietly(client);
    }
    await sleep(PROMOTION_POLL_MS);
  }
  throw new Error(
    `Recovery did not finish in time${
      lastError ? ` (last: ${lastError})` : ''
    }: ${lastLines(await instance.serverLog(), 2)}`,
  );
}
