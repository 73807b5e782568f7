import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError, NotFoundError } from '@backstage/errors';
import { KubernetesWorkloads } from '@opsdeck/plugin-ops-node';

/** The one Deployment of the entity the input names, in whichever cluster. */
export async function locate(
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
