// The OpenAPI document of /api/ops, the one source of the API's shape.
// ops-backend validates every request against it before a handler runs
// (createValidatedOpenApiRouter) and serves it at /api/ops/openapi.json;
// generated/openapi.ts is generated from it (yarn generate:openapi) and types
// the client (../client).

import { deploymentPaths } from './deployments';
import { drillPaths } from './drills';
import { entityRef, listQuery, responses } from './fragments';
import { incidentPaths } from './incidents';
import { onCallPaths } from './oncall';
import { sloPaths } from './slo';

/**
 * The OpenAPI document of the ops backend's HTTP API (`/api/ops`).
 *
 * @public
 */
export const opsApiSpec = {
  openapi: '3.1.0',
  info: {
    title: 'ops',
    version: '1',
    description: 'OpsDeck: operational readiness, incidents and drills',
    license: { name: 'Apache-2.0' },
  },
  servers: [{ url: '/' }],
  paths: {
    ...onCallPaths,
    ...deploymentPaths,
    '/readiness': {
      get: {
        operationId: 'GetReadiness',
        parameters: [listQuery('entityRef', entityRef, true)],
        responses,
      },
    },
    '/metrics': {
      get: {
        operationId: 'GetMetrics',
        description:
          'Prometheus text format; needs credentials unless ops.metrics.allowUnauthenticated',
        responses,
      },
    },
    ...incidentPaths,
    ...drillPaths,
    ...sloPaths,
  },
} as const;
