import { KubernetesObject } from './types';

// A Deployment's status as its controller writes it: replica counts summed
// from its ReplicaSets and the conditions kubectl rollout status reads.

/**
 * Sets a condition of a Deployment's status as the real controller does:
 * `lastTransitionTime` moves only when the status changes.
 */
export function setCondition(
  deployment: KubernetesObject,
  type: string,
  conditionStatus: string,
  reason: string,
  message: string,
  time: string,
) {
  const conditions: KubernetesObject[] = deployment.status.conditions ?? [];
  const existing = conditions.find(c => c.type === type);
  if (
    existing?.status === conditionStatus &&
    existing.reason === reason &&
    existing.message === message
  ) {
    return; // unchanged conditions keep their times, as on a real server
  }
  if (existing) {
    if (existing.status !== conditionStatus) existing.lastTransitionTime = time;
    Object.assign(existing, {
      status: conditionStatus,
      reason,
      message,
      lastUpdateTime: time,
    });
  } else {
    conditions.push({
      type,
      status: conditionStatus,
      reason,
      message,
      lastUpdateTime: time,
      lastTransitionTime: time,
    });
  }
  deployment.status.conditions = conditions;
}

/**
 * Sums the Deployment's ReplicaSets into its status and sets its
 * `Available` and `Progressing` conditions, as the real controller does.
 */
export function updateDeploymentStatus(
  deployment: KubernetesObject,
  {
    owned,
    current,
    now,
    lastProgressAt,
    time,
  }: {
    /** The ReplicaSets the Deployment controls. */
    owned: KubernetesObject[];
    /** The one of them with the Deployment's template, if any. */
    current: KubernetesObject | undefined;
    /** Cluster time in seconds. */
    now: number;
    /** When the Deployment last made progress, in cluster seconds. */
    lastProgressAt: number;
    /** `now` as a condition's timestamp. */
    time: string;
  },
) {
  const sum = (field: string) =>
    owned.reduce((total, rs) => total + (rs.status[field] ?? 0), 0);
  const desired = deployment.spec.replicas;
  deployment.status = {
    ...deployment.status,
    replicas: sum('replicas'),
    updatedReplicas: current?.status.replicas ?? 0,
    readyReplicas: sum('readyReplicas'),
    availableReplicas: sum('availableReplicas'),
    unavailableReplicas: Math.max(0, desired - sum('availableReplicas')),
  };
  const complete =
    current &&
    deployment.status.updatedReplicas === desired &&
    deployment.status.replicas === desired &&
    deployment.status.availableReplicas === desired;
  setCondition(
    deployment,
    'Available',
    deployment.status.availableReplicas >= desired ? 'True' : 'False',
    deployment.status.availableReplicas >= desired
      ? 'MinimumReplicasAvailable'
      : 'MinimumReplicasUnavailable',
    deployment.status.availableReplicas >= desired
      ? 'Deployment has minimum availability.'
      : 'Deployment does not have minimum availability.',
    time,
  );
  const progressing = deployment.status.conditions.find(
    (c: KubernetesObject) => c.type === 'Progressing',
  );
  if (!deployment.spec.paused && current) {
    if (complete && progressing?.reason !== 'NewReplicaSetAvailable') {
      setCondition(
        deployment,
        'Progressing',
        'True',
        'NewReplicaSetAvailable',
        `ReplicaSet "${current.metadata.name}" has successfully progressed.`,
        time,
      );
    } else if (
      !complete &&
      progressing?.reason !== 'ProgressDeadlineExceeded' &&
      now - lastProgressAt > deployment.spec.progressDeadlineSeconds
    ) {
      setCondition(
        deployment,
        'Progressing',
        'False',
        'ProgressDeadlineExceeded',
        `ReplicaSet "${current.metadata.name}" has timed out progressing.`,
        time,
      );
    }
  }
}
