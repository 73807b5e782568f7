import {
  CreateDeploymentRequest,
  Deployment,
  DeploymentFilter,
  RecordPage,
} from '@opsdeck/plugin-ops-common';
import { DoraWindowQuery, DoraWindowRows } from './doraWindowRows';

/** Where deployment events are kept. */
export interface DeploymentStore {
  createDeployment(
    fields: CreateDeploymentRequest,
    options: { actor: string },
  ): Promise<Deployment>;

  /** A page of deployments, newest start first. */
  listDeployments(filter: DeploymentFilter): Promise<RecordPage<Deployment>>;

  /**
   * The deployments and incidents the DORA figures of a window count, read
   * with the window in the queries and only the columns the math needs.
   */
  readDoraWindow(query: DoraWindowQuery): Promise<DoraWindowRows>;
}
