import { PermissionsService } from '@backstage/backend-plugin-api';
import { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  opsDrillWritePermission,
  opsIncidentWritePermission,
} from '@opsdeck/plugin-ops-common';
import { resolveEntityTarget } from '../postgres/target';
import { planFailover, refusal } from '../procedures/failoverPlan';
import {
  checkFailoverPrerequisites,
  Once,
  prepareFailover,
  resolveRequestedReplica,
} from '../procedures/failoverPreparation';
import { requireUser } from './requireUser';
import { serviceRef } from './serviceRef';

/** A plan is read afresh each time: no task, so no checkpoint to reuse. */
const noCheckpoint: Once = (_key, fn) => fn();

/**
 * `plan-failover`: the dry run of ops:postgres:failover for an agent: the
 * replication preflight and the steps a real failover would take. It runs
 * the scaffolder action's own preparation and plan, under the same checks
 * (the caller may read the entity and holds ops.operation.execute and the
 * drill and incident writes on it), and changes and records nothing: the
 * failover itself stays a scaffolder task, with its form and confirmation.
 */
export function registerPlanFailoverAction(
  registry: ActionsRegistryService,
  deps: {
    config: Config;
    catalog: CatalogService;
    permissions: PermissionsService;
  },
) {
  const { config, catalog, permissions } = deps;
  registry.register({
    name: 'plan-failover',
    title: 'Plan a PostgreSQL failover (dry run)',
    description:
      'Checks whether a service\'s PostgreSQL database target can fail over to a replica now (replication preflight: streaming, lag, replay) and lists what a failover would do (fence writers, wait for zero lag, promote, repoint clients, verify). Changes nothing and records nothing. To fail over, a person runs the "Database failover, primary to replica (PostgreSQL)" template (ops-db-failover) in Backstage, which asks for confirmation. Refused unless the caller may operate on the service (its owners and OpsDeck admins).',
    attributes: { readOnly: true, idempotent: true, destructive: false },
    schema: {
      input: z =>
        z.object({
          entityRef: z
            .string()
            .min(1)
            .describe(
              'The service, as an entity reference, e.g. component:default/payments-api',
            ),
          target: z
            .string()
            .min(1)
            .describe(
              "The database target, one of the names in the service's opsdeck.dev/databases annotation, e.g. payments-db",
            ),
          replica: z
            .string()
            .optional()
            .describe(
              'The replica to promote, as host:port (on a Patroni target also a member name); default the most advanced one',
            ),
          force: z
            .boolean()
            .optional()
            .describe(
              'Plan a forced failover, which goes ahead although the preflight fails (a real one needs a reason)',
            ),
        }),
      output: z =>
        z.object({
          entityRef: z.string(),
          target: z.string(),
          preflightPassed: z.boolean(),
          preflight: z.array(
            z.object({
              name: z.string(),
              passed: z.boolean(),
              detail: z.string(),
            }),
          ),
          refusal: z
            .string()
            .optional()
            .describe('Why a failover would be refused now'),
          plan: z
            .array(z.string())
            .describe('What a failover would do, step by step'),
        }),
    },
    examples: [
      {
        title: 'Could payments-db fail over now',
        input: {
          entityRef: 'component:default/payments-api',
          target: 'payments-db',
        },
      },
    ],
    action: async ({ input, credentials: caller }) => {
      const credentials = requireUser(caller, 'plan-failover');
      const force = input.force ?? false;
      const { entityRef, target } = await resolveEntityTarget({
        catalog,
        config,
        permissions,
        entityRef: serviceRef(input.entityRef),
        target: input.target,
        credentials,
        operation: 'fail over',
        writes: [opsDrillWritePermission, opsIncidentWritePermission],
      });
      if (target.engine !== 'postgres') {
        throw new InputError(
          `${target.name} is a MySQL/MariaDB target: OpsDeck fails over PostgreSQL targets only`,
        );
      }
      await checkFailoverPrerequisites(target);
      const requestedReplica = input.replica?.trim() || undefined;
      const prepared = await prepareFailover({
        target,
        requested: target.failover.ha
          ? undefined
          : resolveRequestedReplica(target, requestedReplica),
        requestedMember: target.failover.ha ? requestedReplica : undefined,
        once: noCheckpoint,
      });
      const { preflight } = prepared;
      return {
        output: {
          entityRef,
          target: target.name,
          preflightPassed: preflight.passed,
          preflight: preflight.checks.map(({ name, passed, detail }) => ({
            name,
            passed,
            detail,
          })),
          refusal: refusal(target.name, preflight, force),
          plan: planFailover({
            target,
            entityRef,
            preflight,
            force,
            fence: prepared.fence,
            candidate: prepared.candidate,
            patroni: prepared.patroni,
          }),
        },
      };
    },
  });
}
