import fs from 'node:fs/promises';
import path from 'node:path';
import {
  BackstageCredentials,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { DATABASES_CONFIG_KEY, DrillStatus } from '@opsdeck/plugin-ops-common';
import {
  comparisonSource,
  DatabaseTarget,
  endpointPassword,
} from '../postgres/config';
import { Checkpoint, DrillRecordClient, RecordedDrill } from './recordedDrill';
import { DrillOutcome, judgeDrill } from './judgement';
import { renderDrillReport } from './report';
import { runBackupDrill } from './backupDrillRun';
import { backupSourceFor } from '../postgres/backup/sources';
import { pgBackRestEnvironment } from '../postgres/backupConfig';

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

/**
 * Refuses a drill that cannot work on this backend before anything is
 * recorded or started: missing binaries, a root backend without an
 * unprivileged user for the server, an unset password variable.
 */
export async function checkPrerequisites(
  target: DatabaseTarget,
  takeBackupFirst: boolean,
  targetTime?: Date,
): Promise<void> {
  const key = `${DATABASES_CONFIG_KEY}.${target.name}`;
  const source = backupSourceFor(target);
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
    programs.push(path.join(target.scratch.binDir, 'pg_dump'));
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
 * `ops:postgres:backup-drill` action, shared with the scheduled drills.
 * Never throws for a failed drill (that is in the outcome), only when the
 * record cannot be written.
 *
 * @public
 */
export async function executeBackupDrill(options: {
  target: DatabaseTarget;
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
