import { PermissionsService } from '@backstage/backend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { NotAllowedError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { KubernetesWorkloads, OpsService } from '@opsdeck/plugin-ops-node';
import { authorizeOperation } from '../../catalog/authorizeOperation';
import { readableEntity } from '../../catalog/readableEntity';
import { locate } from '../../kubernetes/locate';
import {
  planRollback,
  RollbackDecision,
  RollbackPlan,
} from '../../kubernetes/plan';
import { applyRollback } from '../../procedures/rollback';
import { checkTypedConfirmation, isDryRun } from '../dryRun';

/**
 * Creates the `ops:kubernetes:rollback` action: `kubectl rollout undo` with
 * guardrails. The patch carries the resourceVersion read, so a deploy that
 * lands in between fails the rollback instead of being overwritten; dry run
 * prints the template difference; the action waits for the rollout; every
 * step is checkpointed, so a retried task never patches twice; the rollback
 * is recorded as a `rolled-back` deployment and on the linked incident.
 *
 * @public
 */
export function createKubernetesRollbackAction(options: {
  workloads: KubernetesWorkloads;
  catalog: CatalogService;
  permissions: PermissionsService;
  opsClient: Pick<OpsService, 'createDeployment' | 'appendIncidentEvent'>;
  /** How often the rollout is read while waiting (default 2 s). */
  pollIntervalMs?: number;
}) {
  const { workloads, catalog, permissions, opsClient } = options;
  return createTemplateAction({
    id: 'ops:kubernetes:rollback',
    description:
      'Rolls a Kubernetes Deployment of an entity back to an earlier revision, as kubectl rollout undo does, with a resourceVersion precondition, a dry run that prints the difference, and a wait for the rollout; records the rollback',
    examples: [
      {
        description: 'Roll payments-api back to the previous revision',
        example: `steps:
  - id: rollback
    name: Roll back
    action: ops:kubernetes:rollback
    input:
      entityRef: component:default/payments-api
      reason: Checkout errors since 1.4.2`,
      },
      {
        description: 'Show what rolling back to revision 3 would change',
        example: `steps:
  - id: rollback
    name: Roll back (dry run)
    action: ops:kubernetes:rollback
    input:
      entityRef: component:default/payments-api
      cluster: production
      namespace: payments
      deployment: payments-api
      toRevision: 3
      reason: Checkout errors since 1.4.2
      dryRun: true`,
      },
    ],
    supportsDryRun: true,
    schema: {
      input: {
        entityRef: z =>
          z.string({ description: 'The service, as an entity reference' }),
        cluster: z =>
          z
            .string({
              description: 'Cluster name, when the entity runs in several',
            })
            .min(1)
            .optional(),
        namespace: z =>
          z
            .string({ description: 'Namespace of the Deployment' })
            .min(1)
            .optional(),
        deployment: z =>
          z
            .string({
              description: 'Deployment name, when the entity has several',
            })
            .min(1)
            .optional(),
        toRevision: z =>
          z
            .number({
              description:
                'Revision to roll back to (deployment.kubernetes.io/revision); default the previous one',
            })
            .int()
            .min(1)
            .optional(),
        reason: z =>
          z
            .string({ description: 'Why: recorded with the rollback' })
            .min(1)
            .max(1000),
        dryRun: z =>
          z
            .boolean({
              description: 'Print the difference and change nothing',
            })
            .optional(),
        confirmation: z =>
          z
            .string({
              description:
                "The service's (or the Deployment's) name, typed by the person who asked for a real rollback (the template asks for it); another name refuses the rollback",
            })
            .max(200)
            .optional(),
        incidentId: z =>
          z
            .string({
              description: 'Incident whose timeline records the rollback',
            })
            .uuid()
            .optional(),
        timeoutSeconds: z =>
          z
            .number({
              description:
                "How long to wait for the rollout (default: the Deployment's progressDeadlineSeconds plus 60 s)",
            })
            .int()
            .min(1)
            .max(3600)
            .optional(),
      },
      output: {
        result: z =>
          z.enum(['rolled-back', 'skipped', 'dry-run'], {
            description: 'What happened',
          }),
        cluster: z => z.string().optional(),
        namespace: z => z.string().optional(),
        deployment: z => z.string().optional(),
        fromRevision: z => z.number().optional(),
        toRevision: z => z.number().optional(),
        diff: z =>
          z.string({ description: 'The pod template difference' }).optional(),
        deploymentEventId: z =>
          z
            .string({
              description: 'Id of the recorded rolled-back deployment',
            })
            .optional(),
      },
    },
    async handler(ctx) {
      const credentials = await ctx.getInitiatorCredentials();
      const dryRun = isDryRun(ctx);

      const entity = await readableEntity(
        catalog,
        ctx.input.entityRef,
        credentials,
      );
      const entityRef = stringifyEntityRef(entity);
      checkTypedConfirmation({
        dryRun,
        confirmation: ctx.input.confirmation,
        names: [
          entity.metadata.name,
          ...(ctx.input.deployment ? [ctx.input.deployment] : []),
        ],
        operation: `roll back ${entityRef}`,
      });
      await authorizeOperation({
        permissions,
        entityRef,
        credentials,
        operation: `roll back ${entityRef}`,
      });

      // Decided once: a retried task reuses the decision (and so the
      // resourceVersion it read) instead of seeing its own rollback.
      const decision = await ctx.checkpoint<RollbackDecision>({
        key: `ops.kubernetes.rollback.plan.v1`,
        fn: async () => {
          const found = await locate(workloads, entity, ctx.input);
          // Before any patch, dry runs included: the label alone never
          // makes a Deployment the entity's.
          const refusal = workloads.actionRefusal(entity, {
            cluster: found.cluster.name,
            namespace: found.deployment.metadata?.namespace ?? '',
            deployment: found.deployment.metadata?.name ?? '',
          });
          if (refusal) {
            throw new NotAllowedError(refusal);
          }
          return planRollback({
            cluster: found.cluster.name,
            deployment: found.deployment,
            replicaSets: found.replicaSets,
            toRevision: ctx.input.toRevision,
          });
        },
      });

      if (decision.kind === 'skipped') {
        ctx.logger.info(decision.message);
        ctx.output('result', 'skipped');
        ctx.output('toRevision', decision.revision);
        return;
      }
      const plan: RollbackPlan = decision.plan;
      const target = `${plan.cluster}/${plan.namespace}/${plan.name}`;
      const diff = plan.diff.join('\n');
      ctx.logger.info(
        `${
          dryRun ? 'Dry run: would roll' : 'Rolling'
        } ${target} back from revision ${
          plan.fromRevision
        } (${plan.fromImages.join(', ')}) to revision ${
          plan.toRevision
        } (${plan.toImages.join(', ')})${
          plan.toChangeCause ? `, change cause: ${plan.toChangeCause}` : ''
        }`,
      );
      ctx.logger.info(`Pod template difference:\n${diff}`);
      ctx.output('cluster', plan.cluster);
      ctx.output('namespace', plan.namespace);
      ctx.output('deployment', plan.name);
      ctx.output('fromRevision', plan.fromRevision);
      ctx.output('toRevision', plan.toRevision);
      ctx.output('diff', diff);
      if (dryRun) {
        ctx.logger.info('Dry run: nothing was changed');
        ctx.output('result', 'dry-run');
        return;
      }

      const { api } = await workloads.inCluster(
        entity,
        workloads.cluster(plan.cluster),
      );
      const { deploymentId, failure } = await applyRollback({
        api,
        plan,
        target,
        entityRef,
        input: ctx.input,
        taskId: ctx.task.id,
        credentials,
        opsClient,
        checkpoint: ctx.checkpoint,
        logger: ctx.logger,
        signal: ctx.signal,
        pollIntervalMs: options.pollIntervalMs ?? 2000,
      });
      ctx.output('deploymentEventId', deploymentId);
      if (failure) throw failure;
      ctx.logger.info(`Rolled ${target} back to revision ${plan.toRevision}`);
      ctx.output('result', 'rolled-back');
    },
  });
}
