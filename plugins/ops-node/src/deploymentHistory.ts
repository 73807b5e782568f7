import {
  BackstageCredentials,
  createExtensionPoint,
} from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import { DeploymentHistoryResponse } from '@opsdeck/plugin-ops-common';

/**
 * A place the deployment history of an entity comes from: a Kubernetes
 * cluster set, Argo CD, a PaaS.
 *
 * @public
 */
export interface DeploymentHistorySource {
  /** Stable identifier, shown with each workload and each error. */
  id: string;
  /**
   * The workloads of an entity the caller can read, with their revisions.
   * An entity without the annotations the source needs has no workloads.
   * Errors of one cluster are reported in `errors`, not thrown, so that the
   * others still show.
   */
  getHistory(
    entity: Entity,
    options: { credentials: BackstageCredentials },
  ): Promise<DeploymentHistoryResponse>;
}

/**
 * Lets backend modules add deployment history sources to the ops backend.
 *
 * @public
 */
export interface OpsDeploymentHistoryExtensionPoint {
  addSources(...sources: DeploymentHistorySource[]): void;
}

/**
 * Extension point for deployment history sources.
 *
 * @public
 */
export const opsDeploymentHistoryExtensionPoint =
  createExtensionPoint<OpsDeploymentHistoryExtensionPoint>({
    id: 'ops.deploymentHistory',
  });
