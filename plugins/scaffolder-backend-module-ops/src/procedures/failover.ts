import {
  BackstageCredentials,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { clip, DrillStatus, RECORD_LIMITS } from '@opsdeck/plugin-ops-common';
import { OpsService } from '@opsdeck/plugin-ops-node';
import { DatabaseTarget } from '../postgres/config';
import { formatBytes } from '../postgres/lsn';
import { addressOf, summarizeChecks } from '../postgres/replication/preflight';
import { FAILOVER_STEPS, FailoverRun, runFailover } from './failoverRun';
import { createClientRouter } from '../postgres/pgbouncer/PgBouncerRouter';
import { ClientRouter, runPatroniSwitchover } from './patroniSwitchover';
import { failoverKey, Once, PreparedFailover } from './failoverPreparation';
import { DrillOutcome, formatDuration, judgeFailover } from './judgement';
import { Checkpoint, RecordedDrill } from './recordedDrill';
import { renderDrillReport } from './report';

/** What a failover reads and writes through the ops backend. */
export type FailoverRecordClient = Pick<
  OpsService,
  | 'createDrill'
  | 'upsertDrillStep'
  | 'updateDrill'
  | 'createIncident'
  | 'appendIncidentEvent'
  | 'getIncident'
  | 'updateIncident'
>;

/** What a failover came to. */
export interface ExecutedFailover {
  run: FailoverRun;
  outcome: DrillOutcome;
  /** `write downtime …, data loss …` */
  figures: string;
}

function attemptOutcome(run: FailoverRun, resumed: boolean): string {
  if (run.failure) {
    return `${run.failure.step} failed: ${run.failure.message}`;
  }
  return resumed
    ? 'Resumed from the task checkpoints and finished'
    : 'Finished';
}

function describeDataLoss(run: FailoverRun): string {
  return run.dataLossBytes === undefined
    ? 'not measurable'
    : formatBytes(run.dataLossBytes);
}

/** The failover's facts, shown under the report's title. */
function reportFacts(
  prepared: PreparedFailover,
  run: FailoverRun,
  forcedReason: string | undefined,
): Array<[string, string]> {
  const facts: Array<[string, string]> = [
    ['Old primary', addressOf(prepared.primary)],
    ['New primary', run.promoted ? addressOf(prepared.candidate!) : 'none'],
    prepared.patroni
      ? ['Switched over by', 'Patroni']
      : ['Fence', prepared.fence.method],
    ['Fenced primary at (LSN)', run.fenceLsn ?? 'unknown'],
    ['Promoted replica at (LSN)', run.replayedLsnAtPromotion ?? 'unknown'],
    ['Data loss', describeDataLoss(run)],
    ['New timeline', String(run.newTimeline ?? 'unknown')],
    ['Attempts', String(prepared.attempt)],
  ];
  if (forcedReason !== undefined) {
    facts.push(['Forced', forcedReason]);
  }
  if (run.unfenced) {
    facts.push(['Writers given back to the old primary', run.unfenced]);
  }
  return facts;
}

/**
 * SOP-02 as recorded: holds the target with a drill record, opens an
 * incident, runs the failover from the fence on (resuming an interrupted
 * attempt), then finishes the drill with its report and brings the incident
 * up to date. Throws only when the records cannot be written or another run
 * holds the target; a failed failover is in the result.
 */
export async function executeFailover(options: {
  target: DatabaseTarget;
  entityRef: string;
  prepared: PreparedFailover;
  /** The reason of a forced failover; undefined when not forced. */
  forcedReason?: string;
  taskId: string;
  credentials: BackstageCredentials;
  opsClient: FailoverRecordClient;
  logger: LoggerService;
  signal?: AbortSignal;
  checkpoint: Checkpoint;
  once: Once;
  keepAliveIntervalMs?: number;
  /** Pauses, repoints and resumes clients around a Patroni switchover (PgBouncer). */
  clientRouter?: ClientRouter;
  /** Called once the drill and the incident are recorded, before anything changes. */
  onRecorded?: (ids: { drillId: string; incidentId: string }) => void;
}): Promise<ExecutedFailover> {
  const { target, entityRef, prepared, forcedReason, taskId } = options;
  const { credentials, opsClient, logger, checkpoint } = options;
  const { attempt, attemptsStartedAt, preflight } = prepared;
  const candidate = prepared.candidate!;
  const force = forcedReason !== undefined;
  const resumed = attempt > 1;
  const startedAt = new Date(attemptsStartedAt[0]);

  let incidentId = '';
  // The running drill record is the lease on the target: the ops backend
  // refuses a second running drill or failover of it (409).
  const drill = await RecordedDrill.start({
    opsClient,
    credentials,
    logger,
    keepAliveIntervalMs: options.keepAliveIntervalMs,
    request: {
      entityRef,
      kind: 'failover',
      target: target.name,
      startedAt: startedAt.toISOString(),
      objectives: target.objectives,
      taskId,
    },
    refusing: `Refusing to fail ${target.name} over`,
    checkpoint,
    checkpointKey: failoverKey(target, 'drill'),
    afterStep: async step => {
      if (step.status === 'running') {
        return;
      }
      await opsClient.appendIncidentEvent(
        {
          incidentId,
          type: 'action',
          message: clip(
            `${step.name}: ${step.status}${
              step.output ? `: ${step.output}` : ''
            }`,
            RECORD_LIMITS.textLength,
          ),
          data: { drillId: drill.id, step: step.name, status: step.status },
        },
        { credentials },
      );
    },
  });
  const drillId = drill.id;

  incidentId = await checkpoint({
    key: failoverKey(target, 'incident'),
    fn: async () =>
      (
        await opsClient.createIncident(
          {
            entityRef,
            title: `Database failover of ${target.name}`,
            severity: target.failover.incidentSeverity,
            status: 'investigating',
            startedAt: startedAt.toISOString(),
            summary: `SOP-02 failover of ${target.name} from ${addressOf(
              prepared.primary,
            )} to ${addressOf(candidate)} by scaffolder task ${taskId}${
              force ? `; forced: ${forcedReason}` : ''
            }`,
            labels: {
              'opsdeck.dev/database': target.name,
              'opsdeck.dev/drill': drillId,
            },
          },
          { credentials },
        )
      ).id,
  });
  options.onRecorded?.({ drillId, incidentId });
  logger.info(
    `Failover of ${target.name}: drill ${drillId}, incident ${incidentId}, attempt ${attempt}`,
  );

  const { steps } = drill;
  const attemptStep = (n: number) => `Attempt ${n}`;
  const run = await drill.keptAlive(async () => {
    for (let n = 1; n < attempt; n++) {
      await steps.complete({
        name: attemptStep(n),
        status: 'failed',
        startedAt: new Date(attemptsStartedAt[n - 1]),
        finishedAt: new Date(attemptsStartedAt[n]),
        output: `Interrupted (the task stopped before it finished); attempt ${
          n + 1
        } resumed it`,
      });
    }
    await steps.complete({
      name: attemptStep(attempt),
      status: 'running',
      startedAt: new Date(attemptsStartedAt[attempt - 1]),
      output: resumed ? 'Resumed from the task checkpoints' : 'First attempt',
    });
    if (!resumed) {
      await steps.complete({
        name: FAILOVER_STEPS.preflight,
        status: 'succeeded',
        startedAt,
        finishedAt: new Date(),
        output: `${
          preflight.passed ? '' : `FAILED, forced (reason: ${forcedReason}): `
        }${summarizeChecks(preflight.checks)}`,
      });
    }
    const patroni = prepared.patroni;
    const result = patroni
      ? await runPatroniSwitchover({
          target,
          client: patroni.client,
          leader: patroni.leader,
          candidate: patroni.candidate!,
          leaderReachable: patroni.leaderReachable,
          force,
          forcedReason,
          drillId,
          attempt,
          steps,
          logger,
          signal: options.signal,
          once: options.once,
          stillHoldsTarget: () => drill.holdsTarget,
          // PgBouncer (failover.repoint) holds the clients around Patroni's switchover too.
          clientRouter:
            options.clientRouter ?? createClientRouter(target.failover.repoint),
        })
      : await runFailover({
          target,
          primary: prepared.primary,
          candidate,
          primaryReachable: preflight.primaryReachable,
          fence: prepared.fence,
          force,
          drillId,
          attempt,
          steps,
          logger,
          signal: options.signal,
          once: options.once,
          stillHoldsTarget: () => drill.holdsTarget,
        });
    await steps.complete({
      name: attemptStep(attempt),
      status: result.failure ? 'failed' : 'succeeded',
      startedAt: new Date(attemptsStartedAt[attempt - 1]),
      finishedAt: new Date(),
      output: attemptOutcome(result, resumed),
    });
    return result;
  });

  const outcome = judgeFailover(run, target.objectives.rtoSeconds);
  let status: DrillStatus = outcome.passed ? 'passed' : 'failed';
  if (options.signal?.aborted && !run.promoted) {
    status = 'aborted';
  }
  const finishedAt = new Date();
  const downtime = run.writeDowntimeSeconds;
  const rpoSeconds = run.dataLossBytes === 0 ? 0 : undefined;
  const figures = `write downtime ${
    downtime === undefined ? 'not measured' : formatDuration(downtime)
  }, data loss ${describeDataLoss(run)}`;
  await drill.finish({
    status,
    finishedAt,
    rtoSeconds: downtime,
    rpoSeconds,
    verification: run.verification,
    report: renderDrillReport({
      target: target.name,
      entityRef,
      status,
      startedAt,
      finishedAt,
      steps: steps.records,
      rtoSeconds: downtime,
      rpoSeconds,
      objectives: target.objectives,
      verification: run.verification,
      outcome,
      kind: 'failover',
      facts: reportFacts(prepared, run, forcedReason),
    }),
  });

  const incident = await opsClient.getIncident(
    { id: incidentId },
    { credentials },
  );
  const previous = incident.summary ?? '';
  await opsClient.updateIncident(
    {
      id: incidentId,
      version: incident.version,
      ...(run.promoted
        ? {
            status: outcome.passed ? 'resolved' : 'mitigated',
            summary: clip(
              `${previous}\nPromoted ${addressOf(candidate)}: ${figures}.${
                outcome.passed
                  ? ''
                  : ` Not clean: ${outcome.reasons.join('; ')}`
              }`,
              RECORD_LIMITS.textLength,
            ),
          }
        : {
            summary: clip(
              `${previous}\nNot promoted: ${outcome.reasons.join('; ')}${
                run.unfenced ? `; ${run.unfenced}` : ''
              }`,
              RECORD_LIMITS.textLength,
            ),
          }),
    },
    { credentials },
  );
  return { run, outcome, figures };
}
