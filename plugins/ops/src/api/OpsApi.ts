import { createApiRef } from '@backstage/core-plugin-api';
import { ReadinessReport } from '@opsdeck/plugin-ops-common';

/**
 * The OpsDeck backend, as the frontend sees it.
 *
 * @public
 */
export interface OpsApi {
  getReadiness(request: { entityRef: string }): Promise<ReadinessReport>;
}

/**
 * API reference of the {@link OpsApi}.
 *
 * @public
 */
export const opsApiRef = createApiRef<OpsApi>({ id: 'plugin.ops.service' });
