import {
  BackstageCredentials,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { ConflictError } from '@backstage/errors';
import { CreateDrillRequest, Drill } from '@opsdeck/plugin-ops-common';
import { OpsClient } from '@opsdeck/plugin-ops-node';
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
  opsClient: Pick<OpsClient, 'createDrill'>;
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
    opsClient: Pick<OpsClient, 'upsertDrillStep'>;
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
