import fs from 'node:fs/promises';
import path from 'node:path';
import {
  BackstageCredentials,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { DrillStatus } from '@opsdeck/plugin-ops-common';
import { OpsClient } from '@opsdeck/plugin-ops-node';
import {
  comparisonSource,
  DATABASES_CONFIG_KEY,
  DatabaseTarget,
  endpointPassword,
} from './config';
import {
  createExclusiveDrill,
  KEEP_ALIVE_INTERVAL_MS,
  writeDrillStep,
} from './drillLease';
import { DrillSteps } from './drillSteps';
import { DrillOutcome, judgeDrill } from './judgement';
import { renderDrillReport } from './report';
import { runBackupDrill } from './runDrill';

// The record API's limits (ops-backend's OpenAPI document).
const MAX_RECORDED_SECONDS = 31_536_000;
const MAX_VERIFICATIONS = 1000;

/**
 * Refuses a drill that cannot work on this backend before anything is
 * recorded or started: missing binaries, a root backend without an
 * unprivileged user for the server, an unset password variable.
 */
export async function checkPrerequisites(
  target: DatabaseTarget,
  takeBackupFirst: boolean,
): Promise<void> {
  const key = `${DATABASES_CONFIG_KEY}.${target.name}`;
  const programs = ['initdb', 'postgres', 'pg_ctl', 'pg_restore'];
  if (takeBackupFirst) {
    programs.push('pg_dump');
  }
  for (const program of programs) {
    const file = path.join(target.scratch.binDir, program);
    try {
      await fs.access(file, fs.constants.X_OK);
    } catch {
      throw new Error(
        `${file} is not an executable on the backend: install PostgreSQL's server binaries or set ${key}.scratch.binDir`,
      );
    }
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

/** What a recorded drill came to. */
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
 */
export async function executeBackupDrill(options: {
  target: DatabaseTarget;
  entityRef: string;
  jobs: number;
  takeBackupFirst: boolean;
  /**
   * Identifies the run: its scratch directories are named after it, so a
   * retry of the same run finds what a crashed attempt left.
   */
  runId: string;
  /** The scaffolder task that runs the drill, recorded with it. */
  taskId?: string;
  credentials: BackstageCredentials;
  opsClient: Pick<OpsClient, 'createDrill' | 'upsertDrillStep' | 'updateDrill'>;
  logger: LoggerService;
  signal?: AbortSignal;
  /** Runs a side effect at most once across retries (the task's checkpoint). */
  checkpoint: <T extends string>(options: {
    key: string;
    fn: () => Promise<T>;
  }) => Promise<T>;
}): Promise<ExecutedDrill> {
  const {
    target,
    entityRef,
    jobs,
    takeBackupFirst,
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
  const drillId = await checkpoint({
    key: `create-drill-${target.name}`,
    fn: () =>
      createExclusiveDrill({
        opsClient,
        request: {
          entityRef,
          kind: 'backup-restore',
          target: target.name,
          startedAt: startedAt.toISOString(),
          objectives: target.objectives,
          taskId,
        },
        credentials,
        refusing: `Refusing to drill ${target.name}`,
      }),
  });
  logger.info(`Recording drill ${drillId} of ${target.name}`);

  const steps = new DrillSteps(async step => {
    await writeDrillStep({ opsClient, drillId, credentials, logger }, step);
  });

  const stopKeepAlive = steps.keepAlive(KEEP_ALIVE_INTERVAL_MS, error =>
    logger.warn(`Could not renew the drill record: ${error}`),
  );
  const run = await runBackupDrill({
    target,
    jobs,
    takeBackupFirst,
    taskId: runId,
    steps,
    logger,
    signal,
    once: (key, fn) => checkpoint({ key, fn }),
  }).finally(stopKeepAlive);

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
  // Whole seconds, rounded up: a drill never looks faster than it was.
  const rtoSeconds =
    run.rtoSeconds === undefined
      ? undefined
      : Math.min(Math.ceil(run.rtoSeconds), MAX_RECORDED_SECONDS);
  const rpoSeconds =
    run.rpoSeconds === undefined
      ? undefined
      : Math.min(run.rpoSeconds, MAX_RECORDED_SECONDS);
  const failedFirst = [
    ...run.verification.filter(item => !item.passed),
    ...run.verification.filter(item => item.passed),
  ].slice(0, MAX_VERIFICATIONS);

  await opsClient.updateDrill(
    {
      id: drillId,
      status,
      finishedAt: finishedAt.toISOString(),
      rtoSeconds,
      rpoSeconds,
      verification: failedFirst.map(({ failure: _failure, ...item }) => ({
        ...item,
        name: item.name.slice(0, 200),
        expected: item.expected?.slice(0, 1000),
        actual: item.actual?.slice(0, 1000),
      })),
      report: renderDrillReport({
        target: target.name,
        entityRef,
        status,
        startedAt,
        finishedAt,
        backup: run.backup,
        steps: steps.records,
        rtoSeconds: run.rtoSeconds,
        rpoSeconds: run.rpoSeconds,
        objectives: target.objectives,
        verification: run.verification,
        outcome,
      }).slice(0, 200_000),
    },
    { credentials },
  );

  return {
    drillId,
    status,
    outcome,
    rtoSeconds,
    rpoSeconds,
    verifications: run.verification.length,
  };
}
