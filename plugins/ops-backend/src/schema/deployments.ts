// The paths of the deployments API and the DORA figures, spread into the
// OpenAPI document of /api/ops.

import {
  dateTime,
  entityRef,
  jsonBody,
  listQuery,
  pageQuery,
  responses,
  url,
} from './fragments';

const environment = {
  type: 'string',
  minLength: 1,
  maxLength: 64,
  pattern: '^[A-Za-z0-9][A-Za-z0-9._-]*$',
  description: 'e.g. production; DORA counts the production deployments',
} as const;

const deploymentStatus = {
  type: 'string',
  enum: ['succeeded', 'failed', 'rolled-back'],
  description: '`rolled-back` records a rollback itself',
} as const;

const groupRef = {
  type: 'string',
  minLength: 1,
  maxLength: 255,
  pattern:
    '^(group:)?([A-Za-z0-9][A-Za-z0-9._-]*/)?[A-Za-z0-9][A-Za-z0-9._-]*$',
  description: 'A group entity reference, e.g. group:default/team-payments',
} as const;

export const deploymentPaths = {
  '/deployments': {
    get: {
      operationId: 'ListDeployments',
      parameters: [
        { ...listQuery('entityRef', entityRef), required: true },
        // from, to, cursor, limit
        pageQuery[1],
        pageQuery[2],
        pageQuery[3],
        pageQuery[4],
        listQuery('environment', environment),
      ],
      responses,
    },
    post: {
      operationId: 'CreateDeployment',
      description:
        'Records a deployment; CI authenticates with an external access token (backend.auth.externalAccess)',
      requestBody: jsonBody({
        type: 'object',
        additionalProperties: false,
        required: [
          'entityRef',
          'environment',
          'version',
          'startedAt',
          'status',
        ],
        properties: {
          entityRef,
          environment,
          version: { type: 'string', minLength: 1, maxLength: 255 },
          commitSha: {
            type: 'string',
            pattern: '^[0-9a-f]{7,64}$',
            description: 'Hexadecimal commit id (git SHA-1 or SHA-256)',
          },
          commitTime: dateTime,
          startedAt: dateTime,
          finishedAt: dateTime,
          status: deploymentStatus,
          url,
          description: { type: 'string', maxLength: 2000 },
        },
      }),
      responses: { ...responses, '201': { description: 'Created' } },
    },
  },
  '/deployments/history': {
    get: {
      operationId: 'GetDeploymentHistory',
      description:
        'Workloads of the entity and their revisions, from every history source (Kubernetes, and those modules add)',
      parameters: [{ ...listQuery('entityRef', entityRef), required: true }],
      responses,
    },
  },
  '/dora': {
    get: {
      operationId: 'GetDoraMetrics',
      description:
        "The four keys of one entity (entityRef) or of a group's entities (group), over [from, to] (default the last 90 days)",
      parameters: [
        listQuery('entityRef', entityRef),
        listQuery('group', groupRef),
        listQuery('from', dateTime),
        listQuery('to', dateTime),
        listQuery('environment', {
          oneOf: [
            environment,
            { type: 'array', maxItems: 8, items: environment },
          ],
        }),
      ],
      responses,
    },
  },
} as const;
