import { PermissionsService } from '@backstage/backend-plugin-api';
import { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { NotAllowedError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { KubernetesWorkloads } from '@opsdeck/plugin-ops-node';
import { authorizeOperation } from '../catalog/authorizeOperation';
import { readableEntity } from '../catalog/readableEntity';
import { locate } from '../kubernetes/locate';
import { planRollback } from '../kubernetes/plan';
import { requireUser } from './requireUser';
import { serviceRef } from './serviceRef';

/**
 * `plan-rollback`: the dry run of ops:kubernetes:rollback for an agent. It
 * reads what the scaffolder action's dry run reads, under the same checks
 * (the caller may read the entity, holds ops.operation.execute on it, and
 * the Deployment is bound to it), and patches nothing: rolling back stays a
 * scaffolder task, with its form, confirmation and permission.
 */
export function registerPlanRollbackAction(
  registry: ActionsRegistryService,
  deps: {
    workloads: KubernetesWorkloads;
    catalog: CatalogService;
    permissions: PermissionsService;
  },
) {
  const { workloads, catalog, permissions } = deps;
  registry.register({
    name: 'plan-rollback',
    title: 'Plan a Kubernetes rollback (dry run)',
    description:
      'Shows what rolling a service\'s Kubernetes Deployment back would do, as kubectl rollout undo: the revision it runs now and its images, the revision it would return to and its images, and the pod template difference. Changes nothing. To roll back, a person runs the "Roll back a Kubernetes deployment" template (ops-rollback) in Backstage, which asks for confirmation. Refused unless the caller may operate on the service (its owners and OpsDeck admins).',
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
          cluster: z
            .string()
            .min(1)
            .optional()
            .describe('Cluster name, when the service runs in several'),
          namespace: z
            .string()
            .min(1)
            .optional()
            .describe('Namespace of the Deployment'),
          deployment: z
            .string()
            .min(1)
            .optional()
            .describe('Deployment name, when the service has several'),
          toRevision: z
            .number()
            .int()
            .min(1)
            .optional()
            .describe(
              'Revision to roll back to (deployment.kubernetes.io/revision); default the previous one',
            ),
        }),
      output: z =>
        z.object({
          result: z
            .enum(['plan', 'skipped'])
            .describe(
              'plan: a rollback would change the Deployment; skipped: it already runs that revision',
            ),
          message: z.string().optional(),
          cluster: z.string().optional(),
          namespace: z.string().optional(),
          deployment: z.string().optional(),
          fromRevision: z.number().optional(),
          fromImages: z.array(z.string()).optional(),
          toRevision: z.number().optional(),
          toImages: z.array(z.string()).optional(),
          toChangeCause: z.string().optional(),
          diff: z
            .array(z.string())
            .optional()
            .describe('The pod template difference, one line per field'),
        }),
    },
    examples: [
      {
        title: 'What would rolling payments-api back do',
        input: { entityRef: 'component:default/payments-api' },
      },
    ],
    action: async ({ input, credentials: caller }) => {
      const credentials = requireUser(caller, 'plan-rollback');
      const entity = await readableEntity(
        catalog,
        serviceRef(input.entityRef),
        credentials,
      );
      const entityRef = stringifyEntityRef(entity);
      await authorizeOperation({
        permissions,
        entityRef,
        credentials,
        operation: `roll back ${entityRef}`,
      });
      const found = await locate(workloads, entity, input);
      // As the scaffolder action: the label alone never makes a Deployment
      // the entity's.
      const refusal = workloads.actionRefusal(entity, {
        cluster: found.cluster.name,
        namespace: found.deployment.metadata?.namespace ?? '',
        deployment: found.deployment.metadata?.name ?? '',
      });
      if (refusal) {
        throw new NotAllowedError(refusal);
      }
      const decision = planRollback({
        cluster: found.cluster.name,
        deployment: found.deployment,
        replicaSets: found.replicaSets,
        toRevision: input.toRevision,
      });
      if (decision.kind === 'skipped') {
        return {
          output: {
            result: 'skipped' as const,
            message: decision.message,
            toRevision: decision.revision,
          },
        };
      }
      const { plan } = decision;
      return {
        output: {
          result: 'plan' as const,
          cluster: plan.cluster,
          namespace: plan.namespace,
          deployment: plan.name,
          fromRevision: plan.fromRevision,
          fromImages: plan.fromImages,
          toRevision: plan.toRevision,
          toImages: plan.toImages,
          toChangeCause: plan.toChangeCause,
          diff: plan.diff,
        },
      };
    },
  });
}
