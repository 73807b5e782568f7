import fs from 'node:fs/promises';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Client } from 'pg';
import { DATABASES_CONFIG_KEY } from '@opsdeck/plugin-ops-common';
import { DrillEngine, DrillSession } from '../procedures/drillEngine';
import { formatDuration } from '../procedures/judgement';
import { backupSourceFor } from './backup/sources';
import { BackupSource, FoundBackup, RestoredCopy } from './backup/source';
import { takeBackup } from './backup/take';
import { pgBackRestEnvironment } from './backupConfig';
import {
  comparisonSource,
  DatabaseTarget,
  endpointPassword,
  scratchServerUser,
} from './config';
import {
  closeQuietly,
  connectReadOnly,
  connectToEndpoint,
} from './connections';
import { readComparisonMeanwhile } from './drillComparison';
import { ScratchInstance } from './scratch/scratchInstance';
import { amcheckVerifications, runAmcheck } from './verification/amcheck';
import { SourceOutline, verifyRestoredCopy } from './verification/verification';

/** An absolute path as it is; a bare program name looked up in PATH. */
async function resolveProgram(program: string): Promise<string> {
  if (path.isAbsolute(program)) {
    return program;
  }
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const candidate = path.join(dir || '.', program);
    if (
      await fs.access(candidate, fs.constants.X_OK).then(
        () => true,
        () => false,
      )
    ) {
      return candidate;
    }
  }
  return program;
}

/** One drill of a PostgreSQL backup: its scratch instance and what the copy is compared with. */
class PostgresDrillSession implements DrillSession {
  readonly #comparison: ReturnType<typeof readComparisonMeanwhile>;
  /** Where the backup comes from: the engine's, read once from the target. */
  readonly #source: BackupSource;
  #filesInPlace = () => {};
  #instance?: ScratchInstance;
  #restored?: RestoredCopy;

  constructor(
    private readonly target: DatabaseTarget,
    source: BackupSource,
    private readonly backup: FoundBackup,
    private readonly prefix: string,
    private readonly signal: AbortSignal | undefined,
    private readonly scratch: {
      binDir: string;
      workDir: string;
      runAsUser?: string;
    },
  ) {
    // Read while the instance is created and the backup restored (or, for a
    // physical restore, recovers: see BackupSource.readsSourceAfterCopy).
    const filesInPlace = new Promise<void>(resolve => {
      this.#filesInPlace = resolve;
    });
    this.#source = source;
    this.#comparison = readComparisonMeanwhile(target, backup, {
      startWhen: this.#source.readsSourceAfterCopy ? filesInPlace : undefined,
    });
  }

  removeLeftovers() {
    return ScratchInstance.removeLeftovers({
      ...this.scratch,
      prefix: this.prefix,
    });
  }

  async createInstance(): Promise<string> {
    this.#instance = await ScratchInstance.create({
      ...this.scratch,
      prefix: this.prefix,
      signal: this.signal,
    });
    return this.#source.prepareInstance(this.#instance);
  }

  async restore(options: { jobs: number; targetTime?: Date }) {
    this.#restored = await this.#source.restore({
      backup: this.backup,
      instance: this.#instance!,
      jobs: options.jobs,
      targetTime: options.targetTime,
      signal: this.signal,
      onFilesInPlace: this.#filesInPlace,
    });
    return this.#restored.output;
  }

  async verify({ targetTime }: { targetTime?: Date }) {
    const { target, backup } = this;
    const restoredCopy = this.#restored!;
    const manifest = await this.#comparison.manifest;
    if (manifest && backup.database && manifest.database !== backup.database) {
      throw new Error(
        `The manifest beside ${backup.label} describes database ${manifest.database}, the dump holds ${backup.database}`,
      );
    }
    const sourceEndpoint = comparisonSource(target);
    let source: Client | undefined;
    let restored: Client | undefined;
    try {
      source = await connectToEndpoint(sourceEndpoint);
      restored = await connectReadOnly(
        this.#instance!.connection(restoredCopy.database, restoredCopy.user),
      );
      const { verification, summary } = await verifyRestoredCopy({
        source,
        manifest,
        sourceOutline: manifest
          ? undefined
          : (this.#comparison.outline as Promise<SourceOutline>),
        // The moment the copy restores to: rows older than it must be there.
        backupTime: manifest
          ? new Date(manifest.snapshotTime)
          : targetTime ?? backup.stoppedAt,
        restored,
        checks: target.checks,
        samplesPerTable: target.samplesPerTable,
        stableRows: target.verification.stableRows,
        signal: this.signal,
      });
      const failed = verification.filter(item => !item.passed).length;
      const against = `${
        sourceEndpoint === target.primary ? 'the primary' : 'a replica'
      } ${sourceEndpoint.host}:${sourceEndpoint.port}`;
      return {
        verification,
        output: `${
          manifest
            ? `Against the backup's manifest, sampled rows and checks against ${against}`
            : `Against ${against} (the backup has no manifest: differences since the backup are drift)`
        }: ${summary}${failed ? `; ${failed} failed` : ''}`,
      };
    } finally {
      await closeQuietly(restored);
      await closeQuietly(source);
    }
  }

  async checkIntegrity({ jobs }: { jobs: number }) {
    const restoredCopy = this.#restored!;
    const started = performance.now();
    const findings = await runAmcheck({
      binDir: this.scratch.binDir,
      connection: this.#instance!.connection(
        restoredCopy.database,
        restoredCopy.user,
      ),
      jobs,
      signal: this.signal,
    });
    const verification = amcheckVerifications(findings);
    return {
      verification,
      output: `pg_amcheck --install-missing (heap and btree) of ${
        restoredCopy.database
      } in the scratch copy in ${formatDuration(
        (performance.now() - started) / 1000,
      )}: ${
        findings.length
          ? `${findings.length} finding(s) in ${verification
              .map(item => item.name.replace(/^pg_amcheck of /, ''))
              .join(', ')}`
          : 'no corruption found'
      }`,
    };
  }

  async close() {
    await this.#comparison.stop();
    return this.#instance ? this.#instance.destroy() : undefined;
  }
}

/**
 * The PostgreSQL drill engine: pg_dump or pgBackRest backups restored into a
 * scratch PostgreSQL instance, verified against the backup's manifest or,
 * without one, against the live source with drift tolerated.
 */
export function postgresDrillEngine(target: DatabaseTarget): DrillEngine {
  const key = `${DATABASES_CONFIG_KEY}.${target.name}`;
  const source = backupSourceFor(target);
  const { binDir, workDir } = target.scratch;
  const runAsUser = scratchServerUser(target);

  return {
    displayName: 'PostgreSQL',
    supportsTargetTime: source.supportsTargetTime,
    integrityStep: target.verification.amcheck
      ? 'Check integrity (pg_amcheck)'
      : undefined,

    async checkPrerequisites({ takeBackupFirst, targetTime }) {
      if (takeBackupFirst && target.backup.source !== 'pgdump') {
        throw new Error(
          `takeBackup runs pg_dump, but ${target.name} is backed up by ${target.backup.source} (${key}.backup.source): drill its latest backup instead`,
        );
      }
      if (targetTime && !source.supportsTargetTime) {
        throw new Error(
          `targetTime needs a backup source that restores to a point in time; ${
            target.name
          } is backed up by ${source.describe()}, which restores only to the moment of each backup`,
        );
      }
      const programs = source.programs();
      if (takeBackupFirst) {
        programs.push(path.join(binDir, 'pg_dump'));
      }
      for (const program of programs) {
        const file = await resolveProgram(program);
        try {
          await fs.access(file, fs.constants.X_OK);
        } catch {
          throw new Error(
            path.isAbsolute(program)
              ? `${file} is not an executable on the backend: install PostgreSQL's server binaries or set ${key}.scratch.binDir`
              : `${program} is not installed on the backend (not found in PATH), and ${key}.backup.source needs it`,
          );
        }
      }
      if (target.backup.source === 'pgbackrest') {
        pgBackRestEnvironment(target.backup);
      }
      if (process.getuid?.() === 0 && !target.scratch.runAsUser) {
        throw new Error(
          `The backend runs as root and PostgreSQL refuses to: set ${key}.scratch.runAsUser to an unprivileged user, e.g. postgres`,
        );
      }
      endpointPassword(comparisonSource(target));
      if (takeBackupFirst) {
        endpointPassword(target.primary);
      }
    },

    async takeBackup({ jobs, signal }) {
      const started = performance.now();
      const taken = await takeBackup({ target, jobs, now: new Date(), signal });
      return {
        path: taken.path,
        output: `pg_dump of ${target.primary.database} on ${
          target.primary.host
        }:${target.primary.port} into ${taken.path} in ${formatDuration(
          (performance.now() - started) / 1000,
        )}, with the manifest of its snapshot (${
          taken.manifest.tables.length
        } tables counted and checksummed)`,
      };
    },

    findLatest: options => source.findLatest(options),
    verifyRepository: source.verifyRepository
      ? options => source.verifyRepository!(options)
      : undefined,
    describeBackups: () => source.describe(),
    describeRestore: options => source.describeRestore(options),

    openSession({ backup, prefix, signal }) {
      return new PostgresDrillSession(target, source, backup, prefix, signal, {
        binDir,
        workDir,
        runAsUser,
      });
    },
  };
}
