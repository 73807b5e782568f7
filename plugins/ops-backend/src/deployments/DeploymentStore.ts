import {
  CreateDeploymentRequest,
  Deployment,
  DeploymentFilter,
  RecordPage,
} from '@opsdeck/plugin-ops-common';

/** Where deployment events are kept. */
export interface DeploymentStore {
  createDeployment(
    fields: CreateDeploymentRequest,
    options: { actor: string },
  ): Promise<Deployment>;

  /** A page of deployments, newest start first. */
  listDeployments(filter: DeploymentFilter): Promise<RecordPage<Deployment>>;

  /**
   * Every deployment of the entities that started at or after `from`, for
   * the DORA figures (one query, no paging: a window of a few months of a
   * team's services is thousands of rows, not millions).
   */
  deploymentsSince(entityRefs: string[], from: string): Promise<Deployment[]>;
}
