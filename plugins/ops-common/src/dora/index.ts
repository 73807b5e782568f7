export type {
  ChangeFailureRateBucket,
  CreateDeploymentRequest,
  Deployment,
  DeploymentFilter,
  DeploymentFrequencyBucket,
  DeploymentStatus,
  DoraMetrics,
  DurationBucket,
  DoraTrendPoint,
} from './types';
export {
  CHANGE_FAILURE_RATE_BUCKETS,
  DEPLOYMENT_FREQUENCY_BUCKETS,
  DEPLOYMENT_STATUSES,
  DURATION_BUCKETS,
} from './types';
export type { DoraDeployment, DoraIncident } from './math';
export { computeDoraMetrics } from './math';
export type {
  DeploymentHistoryResponse,
  RolloutState,
  WorkloadHistory,
  WorkloadRevision,
} from './history';
export { ROLLOUT_STATES } from './history';
