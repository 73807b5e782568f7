import { performance } from 'node:perf_hooks';
import { LoggerService } from '@backstage/backend-plugin-api';
import { FoundBackup, rpoExposureSeconds } from '../postgres/backup/source';
import { CleanupProof } from '../postgres/scratch/cleanupProof';
import { scratchPrefix } from '../postgres/scratch/scratchInstance';
import { Verification } from '../postgres/verification/tables';
import { RecoveryObjectives } from '@opsdeck/plugin-ops-common';
import { DrillEngine, DrillSession } from './drillEngine';
import { DrillSteps } from './drillSteps';
import { formatDuration } from './judgement';
import { classifyDrillFailure, DrillFailureKind } from './failureKind';
import { recordedSeconds } from './recordedDrill';
import { withoutServerPaths } from './serverPaths';
import { messageOf } from '../errors';

/** Names of the drill's steps, as recorded; the integrity step is named by the engine. */
export const DRILL_STEPS = {
  takeBackup: 'Take backup',
  findBackup: 'Find latest backup',
  verifyRepository: 'Verify repository',
  createInstance: 'Create scratch instance',
  restore: 'Restore',
  verify: 'Verify',
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

/** A failure whose kind is known where it happens, not guessed from its message. */
class KnownFailure extends Error {
  constructor(message: string, readonly kind: DrillFailureKind) {
    super(message);
  }
}

/**
 * SOP-01, for any engine: restores the latest backup of the target into a
 * scratch instance, times it, verifies the data, and always cleans up,
 * recording every step. Never throws for a failure of the drill itself: that
 * is in the result, for the caller to judge and record.
 */
export async function runBackupDrill(options: {
  engine: DrillEngine;
  target: { name: string; objectives: RecoveryObjectives };
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
  const {
    engine,
    target,
    jobs,
    takeBackupFirst,
    targetTime,
    steps,
    logger,
    signal,
  } = options;
  const run: DrillRun = { verification: [] };
  const planned: string[] = [
    ...(takeBackupFirst ? [DRILL_STEPS.takeBackup] : []),
    DRILL_STEPS.findBackup,
    ...(engine.verifyRepository ? [DRILL_STEPS.verifyRepository] : []),
    DRILL_STEPS.createInstance,
    DRILL_STEPS.restore,
    DRILL_STEPS.verify,
    ...(engine.integrityStep ? [engine.integrityStep] : []),
  ];
  let current: string = planned[0];
  let session: DrillSession | undefined;

  try {
    if (takeBackupFirst) {
      current = DRILL_STEPS.takeBackup;
      await options.once(`take-backup-${target.name}`, () =>
        steps.run(DRILL_STEPS.takeBackup, async () => {
          const taken = await engine.takeBackup({ jobs, signal });
          return { value: taken.path, output: taken.output };
        }),
      );
    }

    current = DRILL_STEPS.findBackup;
    const backup = await steps.run(DRILL_STEPS.findBackup, async () => {
      const found = await engine.findLatest({ signal });
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
    if (engine.verifyRepository) {
      current = DRILL_STEPS.verifyRepository;
      await steps.run(DRILL_STEPS.verifyRepository, async () => ({
        value: undefined,
        output: await engine.verifyRepository!({ backup, signal }),
      }));
    }

    current = DRILL_STEPS.createInstance;
    session = engine.openSession({
      backup,
      prefix: scratchPrefix(options.taskId, target.name),
      signal,
    });
    const leftovers = await session.removeLeftovers();
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
      const prepared = await session!.createInstance();
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
    await steps.run(DRILL_STEPS.restore, async () => {
      const started = performance.now();
      const restored = await session!.restore({ jobs, targetTime });
      const restoreSeconds = (performance.now() - started) / 1000;
      run.rtoSeconds = creationSeconds + restoreSeconds;
      return {
        value: undefined,
        // The RTO as recorded and shown on the Drills card.
        output: `${restored} in ${formatDuration(
          restoreSeconds,
        )}; RTO ${formatDuration(
          recordedSeconds(run.rtoSeconds)!,
        )} with instance creation`,
      };
    });

    current = DRILL_STEPS.verify;
    await steps.run(DRILL_STEPS.verify, async () => {
      const { verification, output } = await session!.verify({ targetTime });
      run.verification = verification;
      return {
        value: undefined,
        output,
        failed: verification.some(item => !item.passed),
      };
    });

    if (engine.integrityStep && session.checkIntegrity) {
      current = engine.integrityStep;
      await steps.run(engine.integrityStep, async () => {
        const { verification, output } = await session!.checkIntegrity!({
          jobs,
        });
        run.verification = [...run.verification, ...verification];
        return {
          value: undefined,
          output,
          failed: verification.some(item => !item.passed),
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
    // Whatever happened above, the scratch instance goes, and the proof is recorded.
    const startedAt = new Date();
    run.cleanup = await session?.close();
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
