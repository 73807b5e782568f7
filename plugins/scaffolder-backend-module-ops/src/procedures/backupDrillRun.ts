import { performance } from 'node:perf_hooks';
import { LoggerService } from '@backstage/backend-plugin-api';
import { Client } from 'pg';
import { backupSourceFor } from '../postgres/backup/sources';
import {
  BackupSource,
  FoundBackup,
  rpoExposureSeconds,
} from '../postgres/backup/source';
import {
  comparisonSource,
  DatabaseTarget,
  scratchServerUser,
} from '../postgres/config';
import {
  closeQuietly,
  connectReadOnly,
  connectToEndpoint,
} from '../postgres/connections';
import { DrillSteps } from './drillSteps';
import { formatDuration } from './judgement';
import { classifyDrillFailure, DrillFailureKind } from './failureKind';
import {
  CleanupProof,
  ScratchInstance,
  scratchPrefix,
} from '../postgres/scratch/scratchInstance';
import { takeBackup } from '../postgres/backup/take';
import {
  SourceOutline,
  Verification,
  verifyRestoredCopy,
} from '../postgres/verification/verification';
import { readComparisonMeanwhile } from './drillComparison';
import { recordedSeconds } from './recordedDrill';
import { withoutServerPaths } from './serverPaths';
import {
  amcheckVerifications,
  runAmcheck,
} from '../postgres/verification/amcheck';

/** Names of the drill's steps, as recorded. */
export const DRILL_STEPS = {
  takeBackup: 'Take backup',
  findBackup: 'Find latest backup',
  verifyRepository: 'Verify repository',
  createInstance: 'Create scratch instance',
  restore: 'Restore',
  verify: 'Verify',
  amcheck: 'Check integrity (pg_amcheck)',
  cleanUp: 'Clean up',
} as const;

/** What a drill measured and found; judged and reported by the caller. */
export interface DrillRun {
  backup?: FoundBackup;
  /** Scratch instance creation plus restore, in seconds. */
  rtoSeconds?: number;
  /** Now minus the newest point the source can restore to, in seconds. */
  rpoSeconds?: number;
  verification: Verification[];
  /**
   * The step that failed, why, and whether the backup or the drill's own
   * infrastructure is to blame.
   */
  failure?: { step: string; message: string; kind: DrillFailureKind };
  cleanup?: CleanupProof;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** A failure whose kind is known where it happens, not guessed from its message. */
class KnownFailure extends Error {
  constructor(message: string, readonly kind: DrillFailureKind) {
    super(message);
  }
}

/**
 * SOP-01: restores the latest backup of the target into a scratch instance,
 * times it, verifies the data against the source, and always cleans up,
 * recording every step. Never throws for a failure of the drill itself: that
 * is in the result, for the caller to judge and record.
 */
export async function runBackupDrill(options: {
  target: DatabaseTarget;
  jobs: number;
  takeBackupFirst: boolean;
  /** Restore to this time instead of the backup's end (sources with archived WAL). */
  targetTime?: Date;
  taskId: string;
  steps: DrillSteps;
  logger: LoggerService;
  signal?: AbortSignal;
  /** Runs a side effect at most once across retries of the task. */
  once: (key: string, fn: () => Promise<string>) => Promise<string>;
}): Promise<DrillRun> {
  const { target, jobs, takeBackupFirst, targetTime, steps, logger, signal } =
    options;
  const { binDir, workDir } = target.scratch;
  const runAsUser = scratchServerUser(target);
  const run: DrillRun = { verification: [] };
  const backupSource: BackupSource = backupSourceFor(target);
  const planned: string[] = [
    ...(takeBackupFirst ? [DRILL_STEPS.takeBackup] : []),
    DRILL_STEPS.findBackup,
    ...(backupSource.verifyRepository ? [DRILL_STEPS.verifyRepository] : []),
    DRILL_STEPS.createInstance,
    DRILL_STEPS.restore,
    DRILL_STEPS.verify,
    ...(target.verification.amcheck ? [DRILL_STEPS.amcheck] : []),
  ];
  let current: string = planned[0];
  let instance: ScratchInstance | undefined;
  let comparison: ReturnType<typeof readComparisonMeanwhile> | undefined;

  try {
    if (takeBackupFirst) {
      current = DRILL_STEPS.takeBackup;
      await options.once(`take-backup-${target.name}`, () =>
        steps.run(DRILL_STEPS.takeBackup, async () => {
          const started = performance.now();
          const taken = await takeBackup({
            target,
            jobs,
            now: new Date(),
            signal,
          });
          return {
            value: taken.path,
            output: `pg_dump of ${target.primary.database} on ${
              target.primary.host
            }:${target.primary.port} into ${taken.path} in ${formatDuration(
              (performance.now() - started) / 1000,
            )}, with the manifest of its snapshot (${
              taken.manifest.tables.length
            } tables counted and checksummed)`,
          };
        }),
      );
    }

    current = DRILL_STEPS.findBackup;
    const backup = await steps.run(DRILL_STEPS.findBackup, async () => {
      const found = await backupSource.findLatest({ signal });
      run.rpoSeconds = rpoExposureSeconds(found, new Date());
      run.backup = found;
      // Refused before anything is created: restoring a backup that already
      // misses the objective cannot make the drill pass.
      if (run.rpoSeconds > target.objectives.rpoSeconds) {
        throw new KnownFailure(
          `refused before restoring: the newest restorable point is ${formatDuration(
            run.rpoSeconds,
          )} old (${found.recoverableUntil.toISOString()}, per ${
            found.recoverableUntilSource
          }), more than the RPO objective ${formatDuration(
            target.objectives.rpoSeconds,
          )}`,
          'backup',
        );
      }
      if (targetTime && targetTime > found.recoverableUntil) {
        throw new KnownFailure(
          `refused before restoring: targetTime ${targetTime.toISOString()} is after the newest restorable point ${found.recoverableUntil.toISOString()}`,
          'backup',
        );
      }
      return {
        value: found,
        output: `${found.summary}; RPO exposure ${formatDuration(
          run.rpoSeconds,
        )} (objective ${formatDuration(target.objectives.rpoSeconds)})`,
      };
    });
    if (backupSource.verifyRepository) {
      current = DRILL_STEPS.verifyRepository;
      await steps.run(DRILL_STEPS.verifyRepository, async () => ({
        value: undefined,
        output: await backupSource.verifyRepository!({ backup, signal }),
      }));
    }

    comparison = readComparisonMeanwhile(target, backup);
    current = DRILL_STEPS.createInstance;
    const prefix = scratchPrefix(options.taskId, target.name);
    const leftovers = await ScratchInstance.removeLeftovers({
      binDir,
      workDir,
      runAsUser,
      prefix,
    });
    for (const proof of leftovers) {
      logger.warn(
        `Removed a scratch instance of an earlier attempt: ${withoutServerPaths(
          proof.summary,
        )}`,
      );
    }
    let creationSeconds = 0;
    await steps.run(DRILL_STEPS.createInstance, async () => {
      const started = performance.now();
      instance = await ScratchInstance.create({
        binDir,
        workDir,
        runAsUser,
        prefix,
        signal,
      });
      const prepared = await backupSource.prepareInstance(instance);
      creationSeconds = (performance.now() - started) / 1000;
      return {
        value: undefined,
        output: `${prepared}, in ${formatDuration(creationSeconds)}${
          leftovers.length
            ? `; removed ${leftovers.length} scratch instance(s) of an earlier attempt`
            : ''
        }`,
      };
    });

    current = DRILL_STEPS.restore;
    const restoredCopy = await steps.run(DRILL_STEPS.restore, async () => {
      const started = performance.now();
      const restored = await backupSource.restore({
        backup,
        instance: instance!,
        jobs,
        targetTime,
        signal,
      });
      const restoreSeconds = (performance.now() - started) / 1000;
      run.rtoSeconds = creationSeconds + restoreSeconds;
      return {
        value: restored,
        // The RTO as recorded and shown on the Drills card.
        output: `${restored.output} in ${formatDuration(
          restoreSeconds,
        )}; RTO ${formatDuration(
          recordedSeconds(run.rtoSeconds)!,
        )} with instance creation`,
      };
    });

    current = DRILL_STEPS.verify;
    await steps.run(DRILL_STEPS.verify, async () => {
      const manifest = await comparison!.manifest;
      if (
        manifest &&
        backup.database &&
        manifest.database !== backup.database
      ) {
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
          instance!.connection(restoredCopy.database, restoredCopy.user),
        );
        const { verification, summary } = await verifyRestoredCopy({
          source,
          manifest,
          sourceOutline: manifest
            ? undefined
            : (comparison!.outline as Promise<SourceOutline>),
          // The moment the copy restores to: rows older than it must be there.
          backupTime: manifest
            ? new Date(manifest.snapshotTime)
            : targetTime ?? backup.stoppedAt,
          restored,
          checks: target.checks,
          samplesPerTable: target.samplesPerTable,
          stableRows: target.verification.stableRows,
          signal,
        });
        run.verification = verification;
        const failed = verification.filter(item => !item.passed).length;
        const against = `${
          sourceEndpoint === target.primary ? 'the primary' : 'a replica'
        } ${sourceEndpoint.host}:${sourceEndpoint.port}`;
        return {
          value: undefined,
          output: `${
            manifest
              ? `Against the backup's manifest, sampled rows and checks against ${against}`
              : `Against ${against} (the backup has no manifest: differences since the backup are drift)`
          }: ${summary}${failed ? `; ${failed} failed` : ''}`,
          failed: failed > 0,
        };
      } finally {
        await closeQuietly(restored);
        await closeQuietly(source);
      }
    });

    if (target.verification.amcheck) {
      current = DRILL_STEPS.amcheck;
      await steps.run(DRILL_STEPS.amcheck, async () => {
        const started = performance.now();
        const findings = await runAmcheck({
          binDir,
          connection: instance!.connection(
            restoredCopy.database,
            restoredCopy.user,
          ),
          jobs,
          signal,
        });
        const items = amcheckVerifications(findings);
        run.verification = [...run.verification, ...items];
        return {
          value: undefined,
          output: `pg_amcheck --install-missing (heap and btree) of ${
            restoredCopy.database
          } in the scratch copy in ${formatDuration(
            (performance.now() - started) / 1000,
          )}: ${
            findings.length
              ? `${findings.length} finding(s) in ${items
                  .map(item => item.name.replace(/^pg_amcheck of /, ''))
                  .join(', ')}`
              : 'no corruption found'
          }`,
          failed: findings.length > 0,
        };
      });
    }
  } catch (error) {
    const message = signal?.aborted
      ? `cancelled (${messageOf(error)})`
      : messageOf(error);
    run.failure = {
      step: current,
      message,
      kind:
        error instanceof KnownFailure
          ? error.kind
          : classifyDrillFailure(message),
    };
    logger.error(`${current} failed: ${withoutServerPaths(message)}`);
    for (const name of planned.slice(planned.indexOf(current) + 1)) {
      await steps
        .skip(name, `Not run: ${current} failed`)
        .catch(writeError =>
          logger.warn(`Could not record step ${name}: ${writeError}`),
        );
    }
  } finally {
    await comparison?.stop();
    // Whatever happened above, the scratch instance goes, and the proof is recorded.
    const startedAt = new Date();
    run.cleanup = instance ? await instance.destroy() : undefined;
    const output = run.cleanup?.summary ?? 'No scratch instance was created';
    logger.info(`${DRILL_STEPS.cleanUp}: ${withoutServerPaths(output)}`);
    await steps
      .complete({
        name: DRILL_STEPS.cleanUp,
        status: run.cleanup && !run.cleanup.clean ? 'failed' : 'succeeded',
        startedAt,
        finishedAt: new Date(),
        output,
      })
      .catch(writeError =>
        logger.warn(`Could not record the cleanup step: ${writeError}`),
      );
  }
  return run;
}
