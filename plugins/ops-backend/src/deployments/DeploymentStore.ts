import {
  CreateDeploymentRequest,
  Deployment,
  DeploymentFilter,
  RecordPage,
} from '@opsdeck/plugin-ops-common';
import { DoraWindowQuery, DoraWindowRows } from './doraWindowRows';

/**
 * Where deployment events are kept. Events are facts: recorded once, never
 * changed or removed (the DORA cache's stamp counts on that).
 */
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

  /**
   * A value that changes with every write to the deployments or incidents
   * of these entities: the key of the DORA figures' cache.
   */
  readDoraStamp(entityRefs: string[]): Promise<string>;
}
