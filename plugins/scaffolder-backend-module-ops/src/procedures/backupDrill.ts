import {
  BackstageCredentials,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { DrillStatus } from '@opsdeck/plugin-ops-common';
import { Checkpoint, DrillRecordClient, RecordedDrill } from './recordedDrill';
import { DrillOutcome, judgeDrill } from './judgement';
import { renderDrillReport } from './report';
import { runBackupDrill } from './backupDrillRun';
import { drillEngineFor, DrillTarget } from './drillEngines';

/**
 * Refuses a drill that cannot work on this backend before anything is
 * recorded or started: missing binaries, a root backend without an
 * unprivileged user for the server, an unset password variable.
 */
export async function checkPrerequisites(
  target: DrillTarget,
  takeBackupFirst: boolean,
  targetTime?: Date,
): Promise<void> {
  await drillEngineFor(target).checkPrerequisites({
    takeBackupFirst,
    targetTime,
  });
}

/**
 * What a recorded drill came to.
 *
 * @public
 */
export interface ExecutedDrill {
  drillId: string;
  status: DrillStatus;
  outcome: DrillOutcome;
  /** Recorded RTO, whole seconds rounded up. */
  rtoSeconds?: number;
  rpoSeconds?: number;
  /** How many verifications ran. */
  verifications: number;
}

/**
 * Runs a backup-restore drill of the target and records it, with its steps,
 * verification and report, for the entity: the body of the
 * `ops:postgres:backup-drill` and `ops:mysql:backup-drill` actions, shared with the scheduled drills.
 * Never throws for a failed drill (that is in the outcome), only when the
 * record cannot be written.
 *
 * @public
 */
export async function executeBackupDrill(options: {
  target: DrillTarget;
  entityRef: string;
  jobs: number;
  takeBackupFirst: boolean;
  /** Restore to this time instead of the backup's end (sources with archived WAL). */
  targetTime?: Date;
  /**
   * Identifies the run: its scratch directories are named after it, so a
   * retry of the same run finds what a crashed attempt left.
   */
  runId: string;
  /** The scaffolder task that runs the drill, recorded with it. */
  taskId?: string;
  credentials: BackstageCredentials;
  opsClient: DrillRecordClient;
  logger: LoggerService;
  signal?: AbortSignal;
  /** Runs a side effect at most once across retries (the task's checkpoint). */
  checkpoint: Checkpoint;
}): Promise<ExecutedDrill> {
  const {
    target,
    entityRef,
    jobs,
    takeBackupFirst,
    targetTime,
    runId,
    taskId,
    credentials,
    opsClient,
    logger,
    signal,
    checkpoint,
  } = options;
  const startedAt = new Date();
  // A retried task continues the same drill record instead of adding one.
  // The running drill record holds the target: the ops backend refuses a
  // second drill or failover of it meanwhile, on any backend instance.
  const drill = await RecordedDrill.start({
    opsClient,
    credentials,
    logger,
    request: {
      entityRef,
      kind: 'backup-restore',
      target: target.name,
      startedAt: startedAt.toISOString(),
      objectives: target.objectives,
      taskId,
    },
    refusing: `Refusing to drill ${target.name}`,
    checkpoint,
    checkpointKey: `create-drill-${target.name}`,
  });
  const drillId = drill.id;
  logger.info(`Recording drill ${drillId} of ${target.name}`);

  const run = await drill.keptAlive(() =>
    runBackupDrill({
      engine: drillEngineFor(target),
      target,
      jobs,
      takeBackupFirst,
      targetTime,
      taskId: runId,
      steps: drill.steps,
      logger,
      signal,
      once: (key, fn) => checkpoint({ key, fn }),
    }),
  );

  const outcome = judgeDrill({
    failure: run.failure,
    verification: run.verification,
    rtoSeconds: run.rtoSeconds,
    rpoSeconds: run.rpoSeconds,
    objectives: target.objectives,
    leftovers:
      run.cleanup && !run.cleanup.clean ? run.cleanup.summary : undefined,
  });
  let status: DrillStatus = outcome.passed ? 'passed' : 'failed';
  if (signal?.aborted) {
    status = 'aborted';
  }
  const finishedAt = new Date();
  const { rtoSeconds, rpoSeconds } = await drill.finish({
    status,
    finishedAt,
    rtoSeconds: run.rtoSeconds,
    rpoSeconds: run.rpoSeconds,
    verification: run.verification,
    report: renderDrillReport({
      target: target.name,
      entityRef,
      status,
      startedAt,
      finishedAt,
      backup: run.backup && { summary: run.backup.summary },
      steps: drill.steps.records,
      rtoSeconds: run.rtoSeconds,
      rpoSeconds: run.rpoSeconds,
      objectives: target.objectives,
      verification: run.verification,
      outcome,
      failureKind: run.failure?.kind,
    }),
  });

  return {
    drillId,
    status,
    outcome,
    rtoSeconds,
    rpoSeconds,
    verifications: run.verification.length,
  };
}
