import { createHash, randomUUID } from 'node:crypto';
import { canonical, clone } from './json';
import { KubernetesObject } from './types';

// The ReplicaSets the fake's Deployment controller makes: named and labelled
// by the hash of their pod template, numbered by a revision annotation, as
// kubectl's rollout history and undo read them.

export const REVISION = 'deployment.kubernetes.io/revision';
const HASH_LABEL = 'pod-template-hash';
/** Deployment annotations the controller does not copy to its ReplicaSets. */
const NOT_COPIED = new Set([
  'kubectl.kubernetes.io/last-applied-configuration',
  REVISION,
  'deployment.kubernetes.io/revision-history',
  'deployment.kubernetes.io/desired-replicas',
  'deployment.kubernetes.io/max-replicas',
]);

export function templateWithoutHash(
  template: KubernetesObject,
): KubernetesObject {
  const copy = clone(template ?? {});
  if (copy.metadata?.labels) delete copy.metadata.labels[HASH_LABEL];
  return copy;
}

/** The controller's pod-template-hash: a short hash of the template. */
function templateHash(template: KubernetesObject): string {
  return createHash('sha256')
    .update(canonical(templateWithoutHash(template)))
    .digest('hex')
    .slice(0, 10);
}

export function revisionOf(rs: KubernetesObject): number {
  return Number(rs.metadata.annotations?.[REVISION] ?? 0);
}

/** The Deployment's annotations its ReplicaSets carry too. */
export function copiedAnnotations(
  deployment: KubernetesObject,
): Record<string, string> {
  return Object.fromEntries(
    Object.entries(deployment.metadata.annotations ?? {}).filter(
      ([key]) => !NOT_COPIED.has(key),
    ),
  ) as Record<string, string>;
}

/** A new ReplicaSet, with no replicas yet, for the Deployment's template. */
export function replicaSetFor(
  deployment: KubernetesObject,
  revision: number,
  creationTimestamp: string,
  resourceVersion: string,
): KubernetesObject {
  const hash = templateHash(deployment.spec.template);
  const template = clone(deployment.spec.template);
  template.metadata = {
    ...template.metadata,
    labels: { ...template.metadata?.labels, [HASH_LABEL]: hash },
  };
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: {
      name: `${deployment.metadata.name}-${hash}`,
      namespace: deployment.metadata.namespace,
      uid: randomUUID(),
      generation: 1,
      creationTimestamp,
      resourceVersion,
      labels: template.metadata.labels,
      annotations: {
        ...copiedAnnotations(deployment),
        'deployment.kubernetes.io/desired-replicas': String(
          deployment.spec.replicas,
        ),
        'deployment.kubernetes.io/max-replicas': String(
          deployment.spec.replicas + 1,
        ),
        [REVISION]: String(revision),
      },
      ownerReferences: [
        {
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          name: deployment.metadata.name,
          uid: deployment.metadata.uid,
          controller: true,
          blockOwnerDeletion: true,
        },
      ],
    },
    spec: {
      replicas: 0,
      selector: {
        matchLabels: {
          ...deployment.spec.selector?.matchLabels,
          [HASH_LABEL]: hash,
        },
      },
      template,
    },
    status: { replicas: 0, readyReplicas: 0, availableReplicas: 0 },
  };
}
