import {
  BackstageCredentials,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { ConflictError } from '@backstage/errors';
import {
  clip,
  CreateDrillRequest,
  Drill,
  DrillStatus,
  RECORD_LIMITS,
} from '@opsdeck/plugin-ops-common';
import { OpsService } from '@opsdeck/plugin-ops-node';
import { Verification } from '../postgres/verification/verification';
import { DrillSteps } from './drillSteps';
import { StepRecord } from './report';

/**
 * How often a running drill or failover re-records its running step. The
 * running drill record is the lease on its target (one drill or failover per
 * database target at a time, across backend instances); the ops backend
 * takes a record silent for `ops.drills.abandonAfter` (default 5 minutes) as
 * abandoned.
 */
export const KEEP_ALIVE_INTERVAL_MS = 30_000;

/** The message of a 409 from the ops backend, or undefined for any other error. */
function conflictMessage(error: unknown): string | undefined {
  if (!(error instanceof Error)) {
    return undefined;
  }
  if (error.name === 'ConflictError') {
    return error.message;
  }
  const response = error as Error & {
    response?: { status?: number };
    body?: { error?: { message?: string } };
  };
  if (error.name === 'ResponseError' && response.response?.status === 409) {
    return response.body?.error?.message ?? error.message;
  }
  return undefined;
}

/**
 * Creates the running drill record that holds the target, or refuses with a
 * ConflictError naming the drill that holds it.
 */
export async function createExclusiveDrill(options: {
  opsClient: Pick<OpsService, 'createDrill'>;
  request: Omit<CreateDrillRequest, 'exclusive'>;
  credentials: BackstageCredentials;
  /** The start of the refusal, e.g. `Refusing to fail orders-db over`. */
  refusing: string;
}): Promise<string> {
  try {
    const drill = await options.opsClient.createDrill(
      { ...options.request, exclusive: true },
      { credentials: options.credentials },
    );
    return drill.id;
  } catch (error) {
    const conflict = conflictMessage(error);
    if (conflict !== undefined) {
      throw new ConflictError(
        `${options.refusing}: ${conflict}. Nothing was changed.`,
      );
    }
    throw error;
  }
}

/** Logs a step of a drill and records it on the drill; the drill as the backend has it now. */
export async function writeDrillStep(
  options: {
    opsClient: Pick<OpsService, 'upsertDrillStep'>;
    drillId: string;
    credentials: BackstageCredentials;
    logger: LoggerService;
  },
  step: StepRecord,
): Promise<Drill> {
  options.logger.info(
    `${step.name}: ${step.status}${step.output ? `: ${step.output}` : ''}`,
  );
  return options.opsClient.upsertDrillStep(
    {
      drillId: options.drillId,
      name: step.name,
      status: step.status,
      startedAt: step.startedAt.toISOString(),
      finishedAt: step.finishedAt?.toISOString(),
      output: step.output,
    },
    { credentials: options.credentials },
  );
}

/**
 * What a recorded drill reads and writes through the ops backend.
 *
 * @public
 */
export type DrillRecordClient = Pick<
  OpsService,
  'createDrill' | 'upsertDrillStep' | 'updateDrill'
>;

/**
 * Runs a side effect at most once across retries of a task (its checkpoint).
 *
 * @public
 */
export type Checkpoint = <T extends string>(options: {
  key: string;
  fn: () => Promise<T>;
}) => Promise<T>;

/** How a drill ended, as its procedure measured and judged it. */
export interface DrillEnd {
  status: DrillStatus;
  finishedAt: Date;
  /** Measured, in seconds; recorded whole, rounded up. */
  rtoSeconds?: number;
  rpoSeconds?: number;
  verification: Verification[];
  /** The Markdown report. */
  report: string;
}

/** Seconds as the record holds them: whole, rounded up (a drill never looks faster than it was), at most a year. */
export function recordedSeconds(
  seconds: number | undefined,
): number | undefined {
  return seconds === undefined
    ? undefined
    : Math.min(Math.ceil(seconds), RECORD_LIMITS.maxSeconds);
}

/**
 * The verification items as the record holds them: the failed ones first, so
 * that what is cut beyond the record's limit is only ever passed items, and
 * each value clipped to its limit.
 */
export function recordedVerification(verification: Verification[]) {
  return [
    ...verification.filter(item => !item.passed),
    ...verification.filter(item => item.passed),
  ]
    .slice(0, RECORD_LIMITS.verificationItems)
    .map(({ failure: _failure, ...item }) => ({
      ...item,
      name: clip(item.name, RECORD_LIMITS.titleLength),
      expected:
        item.expected === undefined
          ? undefined
          : clip(item.expected, RECORD_LIMITS.verificationValueLength),
      actual:
        item.actual === undefined
          ? undefined
          : clip(item.actual, RECORD_LIMITS.verificationValueLength),
    }));
}

/**
 * The lifecycle of a drill record, shared by the backup-restore drill, the
 * failover and the scheduled drills: the exclusive create (the running record
 * is the lease on the target), its steps as they run, the keep-alive while
 * they run, and the finish within the record's limits.
 */
export class RecordedDrill {
  /** The drill record's id. */
  readonly id: string;
  /** The drill's steps, recorded as they run. */
  readonly steps: DrillSteps;
  readonly #options: RecordedDrillOptions;
  #holdsTarget = true;

  private constructor(id: string, options: RecordedDrillOptions) {
    this.id = id;
    this.#options = options;
    this.steps = new DrillSteps(async step => {
      const drill = await writeDrillStep(
        {
          opsClient: options.opsClient,
          drillId: id,
          credentials: options.credentials,
          logger: options.logger,
        },
        step,
      );
      if (drill.status !== 'running') {
        this.#holdsTarget = false;
      }
      await options.afterStep?.(step);
    });
  }

  /**
   * Creates the running drill record that holds the target, once per task
   * (a retried task continues the same record), or refuses with a
   * ConflictError naming the drill that holds it.
   */
  static async start(
    options: RecordedDrillOptions & {
      request: Omit<CreateDrillRequest, 'exclusive'>;
      /** The start of the refusal, e.g. `Refusing to fail orders-db over`. */
      refusing: string;
      checkpoint: Checkpoint;
      checkpointKey: string;
    },
  ): Promise<RecordedDrill> {
    const id = await options.checkpoint({
      key: options.checkpointKey,
      fn: () =>
        createExclusiveDrill({
          opsClient: options.opsClient,
          request: options.request,
          credentials: options.credentials,
          refusing: options.refusing,
        }),
    });
    return new RecordedDrill(id, options);
  }

  /**
   * False once the ops backend no longer has the drill running (it took the
   * record as abandoned, and another run may hold the target).
   */
  get holdsTarget(): boolean {
    return this.#holdsTarget;
  }

  /** Runs `fn` with the running steps kept alive on the record. */
  async keptAlive<T>(fn: () => Promise<T>): Promise<T> {
    const stop = this.steps.keepAlive(
      this.#options.keepAliveIntervalMs ?? KEEP_ALIVE_INTERVAL_MS,
      error =>
        this.#options.logger.warn(`Could not renew the drill record: ${error}`),
    );
    try {
      return await fn();
    } finally {
      stop();
    }
  }

  /** Records the end of the drill; the RTO and RPO as recorded. */
  async finish(
    end: DrillEnd,
  ): Promise<{ rtoSeconds?: number; rpoSeconds?: number }> {
    const rtoSeconds = recordedSeconds(end.rtoSeconds);
    const rpoSeconds = recordedSeconds(end.rpoSeconds);
    await this.#options.opsClient.updateDrill(
      {
        id: this.id,
        status: end.status,
        finishedAt: end.finishedAt.toISOString(),
        rtoSeconds,
        rpoSeconds,
        verification: recordedVerification(end.verification),
        report: clip(end.report, RECORD_LIMITS.reportLength),
      },
      { credentials: this.#options.credentials },
    );
    return { rtoSeconds, rpoSeconds };
  }
}

/** What a recorded drill needs besides its request. */
export interface RecordedDrillOptions {
  opsClient: DrillRecordClient;
  credentials: BackstageCredentials;
  logger: LoggerService;
  /** Defaults to {@link KEEP_ALIVE_INTERVAL_MS}. */
  keepAliveIntervalMs?: number;
  /** Runs after each step is recorded, e.g. to add it to an incident's timeline. */
  afterStep?: (step: StepRecord) => Promise<void>;
}
