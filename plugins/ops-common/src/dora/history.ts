/**
 * The rollout state of a workload, as `kubectl rollout status` reports it.
 *
 * @public
 */
export const ROLLOUT_STATES = [
  'complete',
  'progressing',
  'failed',
  'paused',
] as const;

/**
 * The rollout state of a workload, as `kubectl rollout status` reports it.
 *
 * @public
 */
export type RolloutState = (typeof ROLLOUT_STATES)[number];

/**
 * One revision of a workload: for Kubernetes, a ReplicaSet of a Deployment.
 *
 * @public
 */
export interface WorkloadRevision {
  /** `deployment.kubernetes.io/revision` */
  revision: number;
  /** The ReplicaSet's name. */
  name: string;
  /** `kubernetes.io/change-cause` */
  changeCause?: string;
  images: string[];
  createdAt: string;
  replicas: number;
  readyReplicas: number;
  /** Whether this is the revision the workload currently runs. */
  current: boolean;
}

/**
 * The history of one workload of an entity in one cluster.
 *
 * @public
 */
export interface WorkloadHistory {
  /** The history source, e.g. `kubernetes`. */
  source: string;
  /** Cluster name, as configured; shown as the environment. */
  cluster: string;
  namespace: string;
  /** The Deployment's name. */
  name: string;
  rollout: {
    state: RolloutState;
    replicas: number;
    updatedReplicas: number;
    readyReplicas: number;
    availableReplicas: number;
    message?: string;
  };
  /** Newest first. */
  revisions: WorkloadRevision[];
}

/**
 * What the history sources answered for an entity; a source that failed is
 * reported in `errors` rather than hiding the others.
 *
 * @public
 */
export interface DeploymentHistoryResponse {
  items: WorkloadHistory[];
  errors: Array<{ source: string; cluster?: string; message: string }>;
}
