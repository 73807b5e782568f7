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
export { DEPLOYMENT_STATUSES } from './types';
export type { DoraDeployment, DoraIncident } from './math';
export { computeDoraMetrics } from './math';
export type {
  DeploymentHistoryResponse,
  RolloutState,
  WorkloadHistory,
  WorkloadRevision,
} from './history';
