import { randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { DrillStatus } from '@opsdeck/plugin-ops-common';
import { OpsClient } from '@opsdeck/plugin-ops-node';
import {
  DATABASES_CONFIG_KEY,
  DatabaseTarget,
  endpointPassword,
  scratchServerUser,
} from '../config';
import { failoverEndpoint } from '../connections';
import { DrillSteps } from '../drillSteps';
import {
  createExclusiveDrill,
  KEEP_ALIVE_INTERVAL_MS,
  writeDrillStep,
} from '../drillLease';
import { formatDuration } from '../judgement';
import { renderDrillReport } from '../report';
import { resolveEntityTarget } from '../target';
import { createWriterFence } from './fencing';
import { planFailover, refusal } from './plan';
import { formatBytes } from './lsn';
import {
  addressOf,
  inspectServer,
  judgePreflight,
  Preflight,
  summarizeChecks,
} from './preflight';
import { FAILOVER_STEPS, FailoverRun, runFailover } from './runFailover';

const MAX_ATTEMPTS = 20;
const MAX_RECORDED_SECONDS = 31_536_000;

/** Refuses a failover that cannot work on this backend before anything is read or recorded. */
async function checkPrerequisites(target: DatabaseTarget): Promise<void> {
  const key = `${DATABASES_CONFIG_KEY}.${target.name}`;
  if (target.replicas.length === 0) {
    throw new InputError(
      `${target.name} has no replicas to fail over to: configure ${key}.replicas`,
    );
  }
  const settings = target.failover;
  endpointPassword(failoverEndpoint(target.primary, settings));
  for (const replica of target.replicas) {
    endpointPassword(failoverEndpoint(replica, settings));
  }
  if (settings.fence.method === 'stop') {
    for (const program of ['pg_ctl', 'pg_controldata']) {
      const file = path.join(target.scratch.binDir, program);
      await fs.access(file, fs.constants.X_OK).catch(() => {
        throw new Error(
          `${file} is not an executable on the backend: the stop fence needs PostgreSQL's server binaries (${key}.scratch.binDir)`,
        );
      });
    }
  }
  if (settings.connectionFile) {
    const directory = path.dirname(settings.connectionFile.path);
    await fs.access(directory, fs.constants.W_OK).catch(() => {
      throw new Error(
        `The backend cannot write ${directory}, where ${key}.failover.connectionFile.path is`,
      );
    });
  }
}

function resolveRequestedReplica(
  target: DatabaseTarget,
  requested: string | undefined,
): number | undefined {
  if (requested === undefined) {
    return undefined;
  }
  const index = target.replicas.findIndex(
    replica => addressOf(replica) === requested,
  );
  if (index < 0) {
    throw new InputError(
      `'${requested}' is not a replica of ${
        target.name
      }; its replicas are ${target.replicas.map(addressOf).join(', ')}`,
    );
  }
  return index;
}

async function runPreflight(
  target: DatabaseTarget,
  requested: number | undefined,
): Promise<Preflight> {
  const settings = target.failover;
  const [primary, ...replicas] = await Promise.all([
    inspectServer(failoverEndpoint(target.primary, settings)),
    ...target.replicas.map(replica =>
      inspectServer(failoverEndpoint(replica, settings)),
    ),
  ]);
  return judgePreflight({ primary, replicas, requested, limits: settings });
}

function attemptOutcome(run: FailoverRun, resumed: boolean): string {
  if (run.failure) {
    return `${run.failure.step} failed: ${run.failure.message}`;
  }
  return resumed
    ? 'Resumed from the task checkpoints and finished'
    : 'Finished';
}

function judgeFailover(run: FailoverRun, objectivesRto: number) {
  const reasons: string[] = [];
  if (run.failure) {
    reasons.push(`${run.failure.step} failed: ${run.failure.message}`);
  }
  for (const item of run.verification.filter(v => !v.passed)) {
    reasons.push(`${item.name}: ${item.actual}`);
  }
  if (
    run.writeDowntimeSeconds !== undefined &&
    run.writeDowntimeSeconds > objectivesRto &&
    !reasons.some(reason => reason.startsWith('write downtime'))
  ) {
    reasons.push(`write downtime ${formatDuration(run.writeDowntimeSeconds)}`);
  }
  return { passed: reasons.length === 0 && run.promoted, reasons };
}

/**
 * Creates the `ops:postgres:failover` action (SOP-02): promotes a streaming
 * replica of a database target to primary, after a preflight of its
 * replication state, with writers fenced and zero data loss when the old
 * primary is reachable; records the failover as a drill and an incident.
 *
 * @public
 */
export function createPostgresFailoverAction(options: {
  config: Config;
  catalog: CatalogService;
  opsClient: Pick<
    OpsClient,
    | 'createDrill'
    | 'upsertDrillStep'
    | 'updateDrill'
    | 'createIncident'
    | 'appendIncidentEvent'
    | 'getIncident'
    | 'updateIncident'
  >;
  /** Defaults to 30 s; the ops backend takes a drill silent for `ops.drills.abandonAfter` as abandoned. */
  keepAliveIntervalMs?: number;
}) {
  const { config, catalog, opsClient } = options;
  return createTemplateAction({
    id: 'ops:postgres:failover',
    description:
      'Primary-replica failover (SOP-02): preflight of the replica, fence writers, wait for zero lag, promote, repoint clients, verify; recorded as a failover drill and an incident',
    examples: [
      {
        description: 'Fail orders-db over to its most advanced replica',
        example: `steps:
  - id: failover
    name: Failover
    action: ops:postgres:failover
    input:
      entityRef: component:default/orders-api
      target: orders-db`,
      },
      {
        description:
          'Fail over to a named replica although the preflight fails, recording why',
        example: `steps:
  - id: failover
    name: Failover
    action: ops:postgres:failover
    input:
      entityRef: component:default/orders-api
      target: orders-db
      replica: orders-db-2.internal:5432
      force: true
      reason: primary host lost, replica lag is known and accepted (INC-42)`,
      },
    ],
    supportsDryRun: true,
    schema: {
      input: {
        entityRef: z =>
          z.string({ description: 'The service, as an entity reference' }),
        target: z =>
          z
            .string({
              description:
                'The database target: one of the names in the entity annotation opsdeck.dev/databases, configured under ops.databases',
            })
            .min(1),
        replica: z =>
          z
            .string({
              description:
                'The replica to promote, as host:port of a configured replica; default: the one that received, then replayed, the most WAL',
            })
            .optional(),
        force: z =>
          z
            .boolean({
              description:
                'Fail over although the preflight fails (lag, replay paused, not streaming); needs a reason',
            })
            .optional(),
        dryRun: z =>
          z
            .boolean({
              description:
                'Only report the plan and the preflight; change and record nothing (the template defaults to it)',
            })
            .optional(),
        reason: z =>
          z
            .string({
              description:
                'Why; required with force, recorded on the drill and the incident',
            })
            .max(1000)
            .optional(),
      },
      output: {
        drillId: z => z.string().optional(),
        incidentId: z => z.string().optional(),
        newPrimary: z =>
          z
            .string({ description: 'host:port of the promoted replica' })
            .optional(),
        writeDowntimeSeconds: z =>
          z
            .number({
              description:
                'From the fence to the first write the new primary accepted',
            })
            .optional(),
        dataLossBytes: z =>
          z
            .number({
              description:
                'WAL the old primary wrote that the new primary did not replay',
            })
            .optional(),
        preflight: z =>
          z
            .array(
              z.object({
                name: z.string(),
                passed: z.boolean(),
                detail: z.string(),
              }),
            )
            .optional(),
        plan: z => z.array(z.string()).optional(),
      },
    },
    async handler(ctx) {
      const credentials: BackstageCredentials =
        await ctx.getInitiatorCredentials();
      const force = ctx.input.force ?? false;
      const reason = ctx.input.reason?.trim();
      if (force && !reason) {
        throw new InputError(
          'reason: a forced failover must say why (it is recorded on the drill and the incident)',
        );
      }
      const { entityRef, target } = await resolveEntityTarget({
        catalog,
        config,
        entityRef: ctx.input.entityRef,
        target: ctx.input.target,
        credentials,
      });
      await checkPrerequisites(target);
      const settings = target.failover;
      // A template passes an empty form field as ''.
      const requested = resolveRequestedReplica(
        target,
        ctx.input.replica?.trim() || undefined,
      );
      const key = (what: string) => `failover-${target.name}-${what}`;
      // Checkpoints hold JSON values; structured results go through text.
      const once = async <T>(
        checkpointKey: string,
        fn: () => Promise<T>,
      ): Promise<T> =>
        JSON.parse(
          (await ctx.checkpoint({
            key: checkpointKey,
            fn: async () => JSON.stringify((await fn()) ?? null),
          })) as string,
        );

      // Which attempt of the task this is: the first attempt checkpoint
      // that holds this run's nonce (earlier attempts stored theirs).
      const nonce = randomUUID();
      const attemptsStartedAt: string[] = [];
      let attempt = 0;
      for (let n = 1; n <= MAX_ATTEMPTS && attempt === 0; n++) {
        const stored = await once(key(`attempt-${n}`), async () => ({
          nonce,
          startedAt: new Date().toISOString(),
        }));
        attemptsStartedAt.push(stored.startedAt);
        if (stored.nonce === nonce) {
          attempt = n;
        }
      }
      if (attempt === 0) {
        throw new Error(
          `The failover of ${target.name} was attempted ${MAX_ATTEMPTS} times; start a new task`,
        );
      }
      const resumed = attempt > 1;

      const preflight = await once(key('preflight'), () =>
        runPreflight(target, requested),
      );
      const candidateIndex = preflight.candidate;
      const preflightSummary = summarizeChecks(preflight.checks);
      ctx.output(
        'preflight',
        preflight.checks.map(({ name, passed, detail }) => ({
          name,
          passed,
          detail,
        })),
      );
      for (const check of preflight.checks) {
        ctx.logger.info(
          `Preflight ${check.passed ? 'ok' : 'FAILED'}: ${check.name}: ${
            check.detail
          }`,
        );
      }

      const candidate =
        candidateIndex === undefined
          ? undefined
          : failoverEndpoint(target.replicas[candidateIndex], settings);
      const primary = failoverEndpoint(target.primary, settings);
      const fence = createWriterFence({
        primary,
        settings,
        binDir: target.scratch.binDir,
        runAsUser: scratchServerUser(target),
      });

      if (ctx.isDryRun || ctx.input.dryRun) {
        const plan = planFailover({
          target,
          entityRef,
          preflight,
          force,
          fence,
          candidate,
        });
        for (const line of plan) {
          ctx.logger.info(`Dry run: ${line}`);
        }
        ctx.output('plan', plan);
        return;
      }

      const refused = refusal(target.name, preflight, force);
      if (refused) {
        throw new Error(refused);
      }

      const startedAt = new Date(attemptsStartedAt[0]);
      // The running drill record is the lease on the target: the ops backend
      // refuses a second running drill or failover of it (409).
      const drillId = await ctx.checkpoint({
        key: key('drill'),
        fn: () =>
          createExclusiveDrill({
            opsClient,
            request: {
              entityRef,
              kind: 'failover',
              target: target.name,
              startedAt: startedAt.toISOString(),
              objectives: target.objectives,
              taskId: ctx.task.id,
            },
            credentials,
            refusing: `Refusing to fail ${target.name} over`,
          }),
      });

      const incidentId = await ctx.checkpoint({
        key: key('incident'),
        fn: async () =>
          (
            await opsClient.createIncident(
              {
                entityRef,
                title: `Database failover of ${target.name}`,
                severity: settings.incidentSeverity,
                status: 'investigating',
                startedAt: startedAt.toISOString(),
                summary: `SOP-02 failover of ${target.name} from ${addressOf(
                  target.primary,
                )} to ${addressOf(candidate!)} by scaffolder task ${
                  ctx.task.id
                }${force ? `; forced: ${reason}` : ''}`,
                labels: {
                  'opsdeck.dev/database': target.name,
                  'opsdeck.dev/drill': drillId,
                },
              },
              { credentials },
            )
          ).id,
      });
      ctx.output('drillId', drillId);
      ctx.output('incidentId', incidentId);
      ctx.logger.info(
        `Failover of ${target.name}: drill ${drillId}, incident ${incidentId}, attempt ${attempt}`,
      );

      let holdsTarget = true;
      const steps = new DrillSteps(async step => {
        const drill = await writeDrillStep(
          { opsClient, drillId, credentials, logger: ctx.logger },
          step,
        );
        if (drill.status !== 'running') {
          holdsTarget = false;
        }
        if (step.status !== 'running') {
          await opsClient.appendIncidentEvent(
            {
              incidentId,
              type: 'action',
              message: `${step.name}: ${step.status}${
                step.output ? `: ${step.output}` : ''
              }`.slice(0, 10_000),
              data: { drillId, step: step.name, status: step.status },
            },
            { credentials },
          );
        }
      });
      const stopKeepAlive = steps.keepAlive(
        options.keepAliveIntervalMs ?? KEEP_ALIVE_INTERVAL_MS,
        error => ctx.logger.warn(`Could not renew the drill record: ${error}`),
      );

      let run: FailoverRun;
      try {
        if (resumed) {
          for (let n = 1; n < attempt; n++) {
            await steps.complete({
              name: `Attempt ${n}`,
              status: 'failed',
              startedAt: new Date(attemptsStartedAt[n - 1]),
              finishedAt: new Date(attemptsStartedAt[n]),
              output: `Interrupted (the task stopped before it finished); attempt ${
                n + 1
              } resumed it`,
            });
          }
        }
        await steps.complete({
          name: `Attempt ${attempt}`,
          status: 'running',
          startedAt: new Date(attemptsStartedAt[attempt - 1]),
          output: resumed
            ? 'Resumed from the task checkpoints'
            : 'First attempt',
        });
        if (!resumed) {
          await steps.complete({
            name: FAILOVER_STEPS.preflight,
            status: 'succeeded',
            startedAt,
            finishedAt: new Date(),
            output: `${
              preflight.passed ? '' : `FAILED, forced (reason: ${reason}): `
            }${preflightSummary}`,
          });
        }
        run = await runFailover({
          target,
          primary,
          candidate: candidate!,
          primaryReachable: preflight.primaryReachable,
          fence,
          force,
          drillId,
          attempt,
          steps,
          logger: ctx.logger,
          signal: ctx.signal,
          once,
          stillHoldsTarget: () => holdsTarget,
        });
        await steps.complete({
          name: `Attempt ${attempt}`,
          status: run.failure ? 'failed' : 'succeeded',
          startedAt: new Date(attemptsStartedAt[attempt - 1]),
          finishedAt: new Date(),
          output: attemptOutcome(run, resumed),
        });
      } finally {
        stopKeepAlive();
      }

      const outcome = judgeFailover(run, target.objectives.rtoSeconds);
      let status: DrillStatus = outcome.passed ? 'passed' : 'failed';
      if (ctx.signal?.aborted && !run.promoted) {
        status = 'aborted';
      }
      const finishedAt = new Date();
      const downtime = run.writeDowntimeSeconds;
      const rtoSeconds =
        downtime === undefined
          ? undefined
          : Math.min(Math.ceil(downtime), MAX_RECORDED_SECONDS);
      let rpoSeconds: number | undefined;
      if (run.dataLossBytes === 0) {
        rpoSeconds = 0;
      }
      const figures = `write downtime ${
        downtime === undefined ? 'not measured' : formatDuration(downtime)
      }, data loss ${
        run.dataLossBytes === undefined
          ? 'not measurable'
          : formatBytes(run.dataLossBytes)
      }`;
      const report = renderDrillReport({
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
        facts: [
          ['Old primary', addressOf(target.primary)],
          ['New primary', run.promoted ? addressOf(candidate!) : 'none'],
          ['Fence', fence.method],
          ['Fenced primary at (LSN)', run.fenceLsn ?? 'unknown'],
          [
            'Promoted replica at (LSN)',
            run.replayedLsnAtPromotion ?? 'unknown',
          ],
          [
            'Data loss',
            run.dataLossBytes === undefined
              ? 'not measurable'
              : formatBytes(run.dataLossBytes),
          ],
          ['New timeline', String(run.newTimeline ?? 'unknown')],
          ['Attempts', String(attempt)],
          ...(force ? [['Forced', reason!] as [string, string]] : []),
          ...(run.unfenced
            ? [
                ['Writers given back to the old primary', run.unfenced] as [
                  string,
                  string,
                ],
              ]
            : []),
        ],
      }).slice(0, 200_000);

      await opsClient.updateDrill(
        {
          id: drillId,
          status,
          finishedAt: finishedAt.toISOString(),
          rtoSeconds,
          rpoSeconds,
          verification: run.verification.map(
            ({ failure: _f, ...item }) => item,
          ),
          report,
        },
        { credentials },
      );

      const incident = await opsClient.getIncident(
        { id: incidentId },
        { credentials },
      );
      await opsClient.updateIncident(
        {
          id: incidentId,
          version: incident.version,
          ...(run.promoted
            ? {
                status: outcome.passed ? 'resolved' : 'mitigated',
                summary: `${incident.summary ?? ''}\nPromoted ${addressOf(
                  candidate!,
                )}: ${figures}.${
                  outcome.passed
                    ? ''
                    : ` Not clean: ${outcome.reasons.join('; ')}`
                }`.slice(0, 10_000),
              }
            : {
                summary: `${
                  incident.summary ?? ''
                }\nNot promoted: ${outcome.reasons.join('; ')}${
                  run.unfenced ? `; ${run.unfenced}` : ''
                }`.slice(0, 10_000),
              }),
        },
        { credentials },
      );

      if (run.promoted) {
        ctx.output('newPrimary', addressOf(candidate!));
      }
      if (downtime !== undefined) {
        ctx.output('writeDowntimeSeconds', downtime);
      }
      if (run.dataLossBytes !== undefined) {
        ctx.output('dataLossBytes', run.dataLossBytes);
      }
      if (!outcome.passed) {
        throw new Error(
          `Failover of ${target.name} ${
            run.promoted ? 'done, but' : 'failed:'
          } ${outcome.reasons.join('; ')}`,
        );
      }
      ctx.logger.info(
        `Failover of ${target.name} to ${addressOf(candidate!)}: ${figures}`,
      );
    },
  });
}
