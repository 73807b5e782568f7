import {
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import {
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
} from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  ApiException,
  PatchStrategy,
  setHeaderOptions,
} from '@kubernetes/client-node';
import {
  clip,
  opsOperationExecutePermission,
  RECORD_LIMITS,
} from '@opsdeck/plugin-ops-common';
import { KubernetesWorkloads, OpsClient } from '@opsdeck/plugin-ops-node';
import {
  planRollback,
  RollbackDecision,
  RollbackPlan,
} from '../../kubernetes/plan';
import { waitForRollout } from '../../kubernetes/waitForRollout';
import { isDryRun } from '../dryRun';
import { readableEntity } from '../entity';

async function authorize(
  permissions: PermissionsService,
  entityRef: string,
  credentials: BackstageCredentials,
) {
  const [decision] = await permissions.authorize(
    [{ permission: opsOperationExecutePermission, resourceRef: entityRef }],
    { credentials },
  );
  if (decision.result !== AuthorizeResult.ALLOW) {
    throw new NotAllowedError(
      `You are not allowed to roll back ${entityRef}: ${opsOperationExecutePermission.name} is reserved to the members of its owning group and OpsDeck admins`,
    );
  }
}

/** The one Deployment of the entity the input names, in whichever cluster. */
async function locate(
  workloads: KubernetesWorkloads,
  entity: Entity,
  input: { cluster?: string; namespace?: string; deployment?: string },
) {
  const clusters = input.cluster
    ? [workloads.cluster(input.cluster)]
    : workloads.clusters;
  if (clusters.length === 0) {
    throw new InputError(
      'No Kubernetes cluster is configured (kubernetes.clusterLocatorMethods with type config)',
    );
  }
  const found = (
    await Promise.all(clusters.map(c => workloads.inCluster(entity, c)))
  ).flatMap(result =>
    result.deployments
      .filter(
        d =>
          (!input.namespace || d.metadata?.namespace === input.namespace) &&
          (!input.deployment || d.metadata?.name === input.deployment),
      )
      .map(deployment => ({ ...result, deployment })),
  );
  const describe = (f: (typeof found)[number]) =>
    `${f.cluster.name}/${f.deployment.metadata?.namespace}/${f.deployment.metadata?.name}`;
  if (found.length === 0) {
    throw new NotFoundError(
      `No Deployment of ${stringifyEntityRef(entity)}${
        input.deployment ? ` named ${input.deployment}` : ''
      } in ${clusters
        .map(c => c.name)
        .join(
          ', ',
        )}: it must carry the entity's backstage.io/kubernetes-id label`,
    );
  }
  if (found.length > 1) {
    throw new InputError(
      `${stringifyEntityRef(entity)} has several Deployments (${found
        .map(describe)
        .join(', ')}): name the cluster, namespace and deployment`,
    );
  }
  return found[0];
}

function conflictOf(error: unknown): boolean {
  return error instanceof ApiException && error.code === 409;
}

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
  opsClient: Pick<OpsClient, 'createDeployment' | 'appendIncidentEvent'>;
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
      await authorize(permissions, entityRef, credentials);

      // Decided once: a retried task reuses the decision (and so the
      // resourceVersion it read) instead of seeing its own rollback.
      const decision = await ctx.checkpoint<RollbackDecision>({
        key: `ops.kubernetes.rollback.plan.v1`,
        fn: async () => {
          const found = await locate(workloads, entity, ctx.input);
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

      const api = (
        await workloads.inCluster(entity, workloads.cluster(plan.cluster))
      ).api;
      const patched = await ctx.checkpoint({
        key: `ops.kubernetes.rollback.patch.v1`,
        fn: async () => {
          try {
            const result = await api.patchNamespacedDeployment(
              { name: plan.name, namespace: plan.namespace, body: plan.patch },
              setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
            );
            return {
              generation: result.metadata?.generation ?? plan.generation + 1,
              startedAt: new Date().toISOString(),
            };
          } catch (error) {
            if (conflictOf(error)) {
              throw new ConflictError(
                `${target} changed since it was read (resourceVersion ${plan.resourceVersion}): a deploy or another rollback landed in between. Nothing was rolled back; look at its history again and retry`,
              );
            }
            throw error;
          }
        },
      });
      ctx.logger.info(
        `Patched ${target} to the template of revision ${plan.toRevision}; waiting for the rollout`,
      );

      let failure: Error | undefined;
      try {
        await waitForRollout({
          api,
          namespace: plan.namespace,
          name: plan.name,
          generation: patched.generation,
          progressDeadlineSeconds: plan.progressDeadlineSeconds,
          pollIntervalMs: options.pollIntervalMs ?? 2000,
          timeoutMs:
            (ctx.input.timeoutSeconds ?? plan.progressDeadlineSeconds + 60) *
            1000,
          log: message => ctx.logger.info(message),
          signal: ctx.signal,
        });
      } catch (error) {
        failure = error as Error;
      }

      const recorded = await ctx.checkpoint({
        key: `ops.kubernetes.rollback.record.v1`,
        fn: async () => {
          const deployment = await opsClient.createDeployment(
            {
              entityRef,
              environment: plan.cluster,
              version: clip(
                `revision ${plan.toRevision}: ${plan.toImages.join(', ')}`,
                RECORD_LIMITS.externalIdLength,
              ),
              startedAt: patched.startedAt,
              finishedAt: new Date().toISOString(),
              // a rollout that missed its deadline never reached the cluster
              status: failure ? 'failed' : 'rolled-back',
              description:
                `Rollback of ${target} from revision ${plan.fromRevision} to ${plan.toRevision}: ${ctx.input.reason}`.slice(
                  0,
                  2000,
                ),
            },
            { credentials },
          );
          if (ctx.input.incidentId) {
            await opsClient.appendIncidentEvent(
              {
                incidentId: ctx.input.incidentId,
                type: 'action',
                message: `${
                  failure ? 'Rollback failed' : 'Rolled back'
                }: ${target} from revision ${
                  plan.fromRevision
                } (${plan.fromImages.join(', ')}) to revision ${
                  plan.toRevision
                } (${plan.toImages.join(', ')}). Reason: ${ctx.input.reason}`,
                data: {
                  cluster: plan.cluster,
                  namespace: plan.namespace,
                  deployment: plan.name,
                  fromRevision: plan.fromRevision,
                  toRevision: plan.toRevision,
                  deploymentId: deployment.id,
                  taskId: ctx.task.id,
                },
              },
              { credentials },
            );
          }
          return { deploymentId: deployment.id };
        },
      });
      ctx.output('deploymentEventId', recorded.deploymentId);
      if (failure) throw failure;
      ctx.logger.info(`Rolled ${target} back to revision ${plan.toRevision}`);
      ctx.output('result', 'rolled-back');
    },
  });
}
