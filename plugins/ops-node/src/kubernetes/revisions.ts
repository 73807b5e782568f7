import {
  V1Deployment,
  V1PodTemplateSpec,
  V1ReplicaSet,
} from '@kubernetes/client-node';
import {
  RolloutState,
  WorkloadHistory,
  WorkloadRevision,
} from '@opsdeck/plugin-ops-common';

/** @public */
export const REVISION_ANNOTATION = 'deployment.kubernetes.io/revision';
/** @public */
export const CHANGE_CAUSE_ANNOTATION = 'kubernetes.io/change-cause';
/** The label the Deployment controller adds to its ReplicaSets' templates. */
const POD_TEMPLATE_HASH_LABEL = 'pod-template-hash';

/**
 * A ReplicaSet's revision, or undefined when it has none (not made by a
 * Deployment controller).
 *
 * @public
 */
export function revisionOf(replicaSet: V1ReplicaSet): number | undefined {
  const value = replicaSet.metadata?.annotations?.[REVISION_ANNOTATION];
  if (value === undefined || !/^\d+$/.test(value)) return undefined;
  return Number(value);
}

/**
 * Whether the ReplicaSet belongs to the Deployment (its controller owner).
 *
 * @public
 */
export function isOwnedBy(
  replicaSet: V1ReplicaSet,
  deployment: V1Deployment,
): boolean {
  return (replicaSet.metadata?.ownerReferences ?? []).some(
    owner =>
      owner.controller &&
      owner.kind === 'Deployment' &&
      owner.uid === deployment.metadata?.uid,
  );
}

/**
 * The images of a pod template's containers (init containers first).
 *
 * @public
 */
export function imagesOf(template: V1PodTemplateSpec | undefined): string[] {
  return [
    ...(template?.spec?.initContainers ?? []),
    ...(template?.spec?.containers ?? []),
  ].map(container => container.image ?? '');
}

/**
 * A pod template as plain JSON, without the controller's
 * `pod-template-hash` label: what the Deployment controller compares when
 * it looks for a ReplicaSet matching a template.
 *
 * @public
 */
export function plainTemplate(
  template: V1PodTemplateSpec | undefined,
): Record<string, unknown> {
  const plain = JSON.parse(JSON.stringify(template ?? {}));
  const labels = plain.metadata?.labels;
  if (labels) {
    delete labels[POD_TEMPLATE_HASH_LABEL];
    if (Object.keys(labels).length === 0) delete plain.metadata.labels;
  }
  if (plain.metadata && Object.keys(plain.metadata).length === 0) {
    delete plain.metadata;
  }
  return plain;
}

function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.keys(v)
            .sort()
            .map(k => [k, v[k]]),
        )
      : v,
  );
}

/**
 * kubectl's `EqualIgnoreHash`: whether two pod templates are the same but
 * for the `pod-template-hash` label.
 *
 * @public
 */
export function templatesEqual(
  a: V1PodTemplateSpec | undefined,
  b: V1PodTemplateSpec | undefined,
): boolean {
  return canonical(plainTemplate(a)) === canonical(plainTemplate(b));
}

/**
 * The rollout state as `kubectl rollout status` judges it.
 *
 * @public
 */
export function rolloutStateOf(deployment: V1Deployment): {
  state: RolloutState;
  message: string;
} {
  const name = deployment.metadata?.name;
  const desired = deployment.spec?.replicas ?? 1;
  const status = deployment.status ?? {};
  const updated = status.updatedReplicas ?? 0;
  const available = status.availableReplicas ?? 0;
  const total = status.replicas ?? 0;
  if (deployment.spec?.paused) {
    return { state: 'paused', message: `deployment "${name}" is paused` };
  }
  const progressing = status.conditions?.find(c => c.type === 'Progressing');
  if (progressing?.reason === 'ProgressDeadlineExceeded') {
    return {
      state: 'failed',
      message: `deployment "${name}" exceeded its progress deadline`,
    };
  }
  if (
    (status.observedGeneration ?? 0) < (deployment.metadata?.generation ?? 0)
  ) {
    return {
      state: 'progressing',
      message: 'Waiting for deployment spec update to be observed',
    };
  }
  if (updated < desired) {
    return {
      state: 'progressing',
      message: `Waiting for deployment "${name}" rollout to finish: ${updated} out of ${desired} new replicas have been updated`,
    };
  }
  if (total > updated) {
    return {
      state: 'progressing',
      message: `Waiting for deployment "${name}" rollout to finish: ${
        total - updated
      } old replicas are pending termination`,
    };
  }
  if (available < updated) {
    return {
      state: 'progressing',
      message: `Waiting for deployment "${name}" rollout to finish: ${available} of ${updated} updated replicas are available`,
    };
  }
  return {
    state: 'complete',
    message: `deployment "${name}" successfully rolled out`,
  };
}

/**
 * The revisions of a Deployment, newest first, from its ReplicaSets (those
 * of `replicaSets` it owns).
 *
 * @public
 */
export function revisionsOf(
  deployment: V1Deployment,
  replicaSets: V1ReplicaSet[],
): Array<WorkloadRevision & { replicaSet: V1ReplicaSet }> {
  return replicaSets
    .filter(rs => isOwnedBy(rs, deployment) && revisionOf(rs) !== undefined)
    .map(rs => {
      const changeCause = rs.metadata?.annotations?.[CHANGE_CAUSE_ANNOTATION];
      return {
        revision: revisionOf(rs)!,
        name: rs.metadata?.name ?? '',
        ...(changeCause ? { changeCause } : {}),
        images: imagesOf(rs.spec?.template),
        createdAt: new Date(rs.metadata?.creationTimestamp ?? 0).toISOString(),
        replicas: rs.status?.replicas ?? 0,
        readyReplicas: rs.status?.readyReplicas ?? 0,
        current: templatesEqual(rs.spec?.template, deployment.spec?.template),
        replicaSet: rs,
      };
    })
    .sort((a, b) => b.revision - a.revision);
}

/**
 * A Deployment's history in one cluster.
 *
 * @public
 */
export function workloadHistoryOf(
  cluster: string,
  deployment: V1Deployment,
  replicaSets: V1ReplicaSet[],
): WorkloadHistory {
  const { state, message } = rolloutStateOf(deployment);
  const status = deployment.status ?? {};
  return {
    source: 'kubernetes',
    cluster,
    namespace: deployment.metadata?.namespace ?? 'default',
    name: deployment.metadata?.name ?? '',
    rollout: {
      state,
      message,
      replicas: deployment.spec?.replicas ?? 1,
      updatedReplicas: status.updatedReplicas ?? 0,
      readyReplicas: status.readyReplicas ?? 0,
      availableReplicas: status.availableReplicas ?? 0,
    },
    revisions: revisionsOf(deployment, replicaSets).map(
      ({ replicaSet: _replicaSet, ...revision }) => revision,
    ),
  };
}
