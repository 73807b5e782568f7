// The OpenAPI document of /api/ops, the one source of the API's shape.
// ops-backend validates every request against it before a handler runs
// (createValidatedOpenApiRouter) and serves it at /api/ops/openapi.json;
// generated/openapi.ts is generated from it (yarn generate:openapi) and types
// the client (../client).

import { deploymentPaths } from './deployments';
import { drillPaths } from './drills';
import { READINESS_STATUSES } from '../readiness';
import { entityRef, listQuery, okWith, responses } from './fragments';
import { incidentPaths } from './incidents';
import { onCallPaths } from './oncall';
import { postmortemPaths } from './postmortems';
import { sloPaths } from './slo';
import { refuseNulBytes } from './text';

const readinessReport = {
  type: 'object',
  additionalProperties: false,
  required: ['entityRef', 'items', 'present', 'total'],
  properties: {
    entityRef: { type: 'string' },
    items: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['id', 'title', 'status', 'detail', 'documentationUrl'],
        properties: {
          id: { type: 'string' },
          title: { type: 'string' },
          status: { type: 'string', enum: READINESS_STATUSES },
          detail: { type: 'string' },
          documentationUrl: { type: 'string' },
          refusedTargets: {
            type: 'array',
            items: {
              type: 'object',
              additionalProperties: false,
              required: ['target', 'reason'],
              properties: {
                target: { type: 'string' },
                reason: { type: 'string' },
              },
            },
          },
        },
      },
    },
    present: { type: 'integer' },
    total: { type: 'integer' },
  },
} as const;

/**
 * The OpenAPI document of the ops backend's HTTP API (`/api/ops`).
 *
 * @public
 */
export const opsApiSpec = refuseNulBytes({
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
        responses: okWith(readinessReport),
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
    ...postmortemPaths,
    ...drillPaths,
    ...sloPaths,
  },
} as const);
