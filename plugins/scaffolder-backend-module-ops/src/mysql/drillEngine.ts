import fs from 'node:fs/promises';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Connection } from 'mysql2/promise';
import { DATABASES_CONFIG_KEY } from '@opsdeck/plugin-ops-common';
import { DrillEngine, DrillSession } from '../procedures/drillEngine';
import { formatDuration } from '../procedures/judgement';
import { FoundBackup, RestoredCopy } from '../postgres/backup/source';
import { endpointPassword } from '../targets/basics';
import { mysqlBackupSourceFor } from './backup/sources';
import { MysqlBackupSource } from './backup/source';
import { MysqlBackupManifest, readMysqlManifestOf } from './backup/manifest';
import { dumpProgram, takeMysqlDump } from './backup/take';
import { connectToEndpoint } from './connections';
import {
  MysqlScratchInstance,
  scratchClientUser,
} from './scratch/scratchInstance';
import { scratchOptionsFor } from './scratch/targetOptions';
import { MysqlTarget } from './target';
import { verifyRestoredMysqlCopy } from './verification/verification';

/** The dump a manifest path (`<dump>.manifest.json`) belongs to. */
function dumpOf(manifestPath: string): string {
  return manifestPath.replace(/\.manifest\.json$/, '');
}

/** One drill of a MySQL/MariaDB backup: its scratch instance and what the copy is compared with. */
class MysqlDrillSession implements DrillSession {
  readonly #manifest: Promise<MysqlBackupManifest | undefined>;
  #instance?: MysqlScratchInstance;
  #restored?: RestoredCopy;

  constructor(
    private readonly target: MysqlTarget,
    private readonly source: MysqlBackupSource,
    private readonly backup: FoundBackup,
    private readonly run: { prefix: string; signal?: AbortSignal },
  ) {
    // Read while the instance is created and the dump restored; a manifest
    // that exists but cannot be read fails the verification, not the restore.
    this.#manifest = backup.manifestBeside
      ? readMysqlManifestOf(dumpOf(backup.manifestBeside))
      : Promise.resolve(undefined);
    this.#manifest.catch(() => {});
  }

  removeLeftovers() {
    return MysqlScratchInstance.removeLeftovers(
      scratchOptionsFor(this.target, { prefix: this.run.prefix }),
    );
  }

  async createInstance(): Promise<string> {
    this.#instance = await MysqlScratchInstance.create(
      scratchOptionsFor(this.target, this.run),
    );
    return this.source.prepareInstance(this.#instance);
  }

  async restore() {
    this.#restored = await this.source.restore({
      backup: this.backup,
      instance: this.#instance!,
      signal: this.run.signal,
    });
    return this.#restored.output;
  }

  async verify() {
    const { target, backup } = this;
    const manifest = await this.#manifest;
    const restoredCopy = this.#restored!;
    const comparedWith = target.replicas[0] ?? target.primary;
    let source: Connection | undefined;
    let restored: Connection | undefined;
    try {
      restored = await this.#instance!.connection(restoredCopy.database);
      // Without a manifest the source is what the copy is compared with;
      // with one, only the checks without `expect` and the samples need it.
      source = await connectToEndpoint(comparedWith);
      const { verification, summary } = await verifyRestoredMysqlCopy({
        restored,
        restoredDatabase: restoredCopy.database,
        manifest,
        source,
        sourceDatabase: comparedWith.database,
        backupTime: manifest
          ? new Date(manifest.snapshotTime)
          : backup.stoppedAt,
        checks: target.checks,
        samplesPerTable: target.samplesPerTable,
        stableRows: target.verification.stableRows,
        tableCheck: target.verification.check
          ? {
              binDir: target.scratch.binDir,
              socket: this.#instance!.paths.socket,
              user: scratchClientUser(),
            }
          : undefined,
        signal: this.run.signal,
      });
      const failed = verification.filter(item => !item.passed).length;
      const against = `${
        comparedWith === target.primary ? 'the primary' : 'a replica'
      } ${comparedWith.host}:${comparedWith.port}`;
      return {
        verification,
        output: `${
          manifest
            ? `Against the dump's manifest, sampled rows and checks against ${against}`
            : `Against ${against} (the dump has no manifest: differences since the dump are drift)`
        }${
          target.verification.check ? ', and mariadb-check of the copy' : ''
        }: ${summary}${failed ? `; ${failed} failed` : ''}`,
      };
    } finally {
      await restored?.end().catch(() => {});
      await source?.end().catch(() => {});
    }
  }

  async close() {
    return this.#instance ? this.#instance.destroy() : undefined;
  }
}

/**
 * The MySQL/MariaDB drill engine: `mysqldump`/`mariadb-dump` files or
 * `mariadb-backup` directories restored into a scratch MariaDB instance,
 * verified against the dump's manifest or, without one, against the live
 * source with drift tolerated. `mariadb-check` runs within the verification
 * (`verification.check`), so there is no separate integrity step.
 */
export function mysqlDrillEngine(target: MysqlTarget): DrillEngine {
  const key = `${DATABASES_CONFIG_KEY}.${target.name}`;
  const source = mysqlBackupSourceFor(target);

  return {
    displayName: 'MariaDB',
    supportsTargetTime: false,

    async checkPrerequisites({ takeBackupFirst, targetTime }) {
      if (targetTime) {
        throw new Error(
          `targetTime needs a backup source that restores to a point in time; ${
            target.name
          } is backed up by ${source.describe()}, which restores only to the moment of each backup`,
        );
      }
      if (takeBackupFirst && target.backup.source !== 'mysqldump') {
        throw new Error(
          `takeBackup runs mariadb-dump, but ${target.name} is backed up by ${target.backup.source} (${key}.backup.source): drill its latest backup instead`,
        );
      }
      const programs = source.programs();
      if (takeBackupFirst) {
        programs.push(await dumpProgram(target.scratch.binDir));
      }
      for (const program of programs) {
        try {
          await fs.access(program, fs.constants.X_OK);
        } catch {
          throw new Error(
            `${program} is not an executable on the backend: install MariaDB's server and client (Debian: mariadb-server, mariadb-client${
              target.backup.source === 'mariadb-backup'
                ? ', mariadb-backup'
                : ''
            }) or set ${key}.scratch.${
              program === target.scratch.server ? 'server' : 'binDir'
            }`,
          );
        }
      }
      if (process.getuid?.() === 0 && !target.scratch.runAsUser) {
        throw new Error(
          `The backend runs as root and mariadbd refuses to: set ${key}.scratch.runAsUser to an unprivileged user, e.g. mysql`,
        );
      }
      endpointPassword(target.replicas[0] ?? target.primary);
      if (takeBackupFirst) {
        endpointPassword(target.primary);
      }
    },

    async takeBackup({ signal }) {
      const started = performance.now();
      const taken = await takeMysqlDump({ target, now: new Date(), signal });
      return {
        path: taken.path,
        output: `mariadb-dump --single-transaction --routines --triggers --events of ${
          target.primary.database
        } on ${target.primary.host}:${target.primary.port} into ${path.basename(
          taken.path,
        )} in ${formatDuration(
          (performance.now() - started) / 1000,
        )}, with the manifest of its snapshot (${
          taken.manifest.tables.length
        } tables counted and checksummed)`,
      };
    },

    findLatest: options => source.findLatest(options),
    describeBackups: () => source.describe(),
    describeRestore: ({ backup }) => source.describeRestore({ backup }),

    openSession({ backup, prefix, signal }) {
      return new MysqlDrillSession(target, source, backup, { prefix, signal });
    },
  };
}
