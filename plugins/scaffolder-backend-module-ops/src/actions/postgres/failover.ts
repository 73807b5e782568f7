import { PermissionsService } from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  opsDrillWritePermission,
  opsIncidentWritePermission,
} from '@opsdeck/plugin-ops-common';
import { OpsService } from '@opsdeck/plugin-ops-node';
import { addressOf } from '../../postgres/replication/preflight';
import { resolveEntityTarget } from '../../postgres/target';
import { executeFailover } from '../../procedures/failover';
import { planFailover, refusal } from '../../procedures/failoverPlan';
import {
  checkFailoverPrerequisites,
  prepareFailover,
  resolveRequestedReplica,
} from '../../procedures/failoverPreparation';
import { databaseTargetInput } from './targetInput';
import { checkTypedConfirmation, isDryRun, jsonOnce } from '../dryRun';

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
  /** Decides ops.operation.execute and the drill (and incident) writes for the task's user. */
  permissions: PermissionsService;
  opsClient: Pick<
    OpsService,
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
  const { config, catalog, permissions, opsClient } = options;
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
        ...databaseTargetInput,
        replica: z =>
          z
            .string({
              description:
                'The replica to promote, as host:port of a configured replica (on a Patroni target also a member name); default: the one that received, then replayed, the most WAL (Patroni: the least lag)',
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
        confirmation: z =>
          z
            .string({
              description:
                "The target's name, typed by the person who asked for a real failover (the template asks for it); a different name refuses the failover",
            })
            .max(200)
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
        figures: z =>
          z
            .string({
              description:
                'Write downtime and data loss in words, as the Drills card shows them, e.g. "write downtime 2.4s, data loss 0 B"',
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
      const credentials = await ctx.getInitiatorCredentials();
      checkTypedConfirmation({
        dryRun: isDryRun(ctx),
        confirmation: ctx.input.confirmation,
        names: [ctx.input.target],
        operation: `fail over ${ctx.input.target}`,
      });
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
        permissions,
        entityRef: ctx.input.entityRef,
        target: ctx.input.target,
        credentials,
        operation: 'fail over',
        writes: [opsDrillWritePermission, opsIncidentWritePermission],
      });
      if (target.engine !== 'postgres') {
        throw new InputError(
          `${target.name} is a MySQL/MariaDB target: ops:postgres:failover fails over PostgreSQL targets only, and OpsDeck has no MySQL failover yet`,
        );
      }
      await checkFailoverPrerequisites(target);
      // A template passes an empty form field as ''.
      const requestedReplica = ctx.input.replica?.trim() || undefined;
      // A Patroni target's replicas are whatever Patroni says they are now.
      const requested = target.failover.ha
        ? undefined
        : resolveRequestedReplica(target, requestedReplica);
      const once = jsonOnce(ctx.checkpoint);

      const prepared = await prepareFailover({
        target,
        requested,
        requestedMember: target.failover.ha ? requestedReplica : undefined,
        once,
      });
      const { preflight, candidate } = prepared;
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

      if (isDryRun(ctx)) {
        const plan = planFailover({
          target,
          entityRef,
          preflight,
          force,
          fence: prepared.fence,
          candidate,
          patroni: prepared.patroni,
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

      const { run, outcome, figures } = await executeFailover({
        target,
        entityRef,
        prepared,
        forcedReason: force ? reason : undefined,
        taskId: ctx.task.id,
        credentials,
        opsClient,
        logger: ctx.logger,
        signal: ctx.signal,
        checkpoint: ctx.checkpoint,
        once,
        keepAliveIntervalMs: options.keepAliveIntervalMs,
        onRecorded: ({ drillId, incidentId }) => {
          ctx.output('drillId', drillId);
          ctx.output('incidentId', incidentId);
        },
      });

      if (run.promoted) {
        ctx.output('newPrimary', addressOf(candidate!));
      }
      if (run.writeDowntimeSeconds !== undefined) {
        ctx.output('writeDowntimeSeconds', run.writeDowntimeSeconds);
      }
      if (run.dataLossBytes !== undefined) {
        ctx.output('dataLossBytes', run.dataLossBytes);
      }
      ctx.output('figures', figures);
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
