// The paths of the deployments API and the DORA figures, spread into the
// OpenAPI document of /api/ops.

import { ROLLOUT_STATES } from '../dora/history';
import {
  CHANGE_FAILURE_RATE_BUCKETS,
  DEPLOYMENT_FREQUENCY_BUCKETS,
  DEPLOYMENT_STATUSES,
  DURATION_BUCKETS,
} from '../dora/types';
import { RECORD_LIMITS } from '../limits';
import {
  createdWith,
  dateTime,
  entityRef,
  jsonBody,
  listQuery,
  okWith,
  oneOrMany,
  pageOf,
  pageParameters,
  url,
} from './fragments';

const environment = {
  type: 'string',
  minLength: 1,
  maxLength: RECORD_LIMITS.environmentLength,
  pattern: '^[A-Za-z0-9][A-Za-z0-9._-]*$',
  description: 'e.g. production; DORA counts the production deployments',
} as const;

const deploymentStatus = {
  type: 'string',
  enum: DEPLOYMENT_STATUSES,
  description: '`rolled-back` records a rollback itself',
} as const;

const groupRef = {
  type: 'string',
  minLength: 1,
  maxLength: RECORD_LIMITS.refLength,
  pattern:
    '^(group:)?([A-Za-z0-9][A-Za-z0-9._-]*/)?[A-Za-z0-9][A-Za-z0-9._-]*$',
  description: 'A group entity reference, e.g. group:default/team-payments',
} as const;

const deployment = {
  type: 'object',
  additionalProperties: false,
  required: [
    'id',
    'entityRef',
    'environment',
    'version',
    'startedAt',
    'status',
    'createdBy',
    'createdAt',
  ],
  properties: {
    id: { type: 'string' },
    entityRef: { type: 'string' },
    environment: { type: 'string' },
    version: { type: 'string' },
    commitSha: { type: 'string' },
    commitTime: { type: 'string' },
    image: { type: 'string' },
    startedAt: { type: 'string' },
    finishedAt: { type: 'string' },
    status: deploymentStatus,
    url: { type: 'string' },
    description: { type: 'string' },
    createdBy: { type: 'string' },
    createdAt: { type: 'string' },
  },
} as const;

const workloadRevision = {
  type: 'object',
  additionalProperties: false,
  required: [
    'revision',
    'name',
    'images',
    'createdAt',
    'replicas',
    'readyReplicas',
    'current',
  ],
  properties: {
    revision: { type: 'integer' },
    name: { type: 'string' },
    changeCause: { type: 'string' },
    images: { type: 'array', items: { type: 'string' } },
    createdAt: { type: 'string' },
    replicas: { type: 'integer' },
    readyReplicas: { type: 'integer' },
    current: { type: 'boolean' },
  },
} as const;

const deploymentHistory = {
  type: 'object',
  additionalProperties: false,
  required: ['items', 'errors'],
  properties: {
    items: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: [
          'source',
          'cluster',
          'namespace',
          'name',
          'rollout',
          'revisions',
        ],
        properties: {
          source: { type: 'string' },
          cluster: { type: 'string' },
          namespace: { type: 'string' },
          name: { type: 'string' },
          rollout: {
            type: 'object',
            additionalProperties: false,
            required: [
              'state',
              'replicas',
              'updatedReplicas',
              'readyReplicas',
              'availableReplicas',
            ],
            properties: {
              state: { type: 'string', enum: ROLLOUT_STATES },
              replicas: { type: 'integer' },
              updatedReplicas: { type: 'integer' },
              readyReplicas: { type: 'integer' },
              availableReplicas: { type: 'integer' },
              message: { type: 'string' },
            },
          },
          revisions: { type: 'array', items: workloadRevision },
        },
      },
    },
    errors: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['source', 'message'],
        properties: {
          source: { type: 'string' },
          cluster: { type: 'string' },
          message: { type: 'string' },
        },
      },
    },
  },
} as const;

const count = { type: 'integer' } as const;
const minutes = { type: 'number' } as const;
const durationBucket = { type: 'string', enum: DURATION_BUCKETS } as const;

/** A key measured on samples: lead time for changes, time to restore. */
const medianOfSamples = {
  type: 'object',
  additionalProperties: false,
  required: ['samples'],
  properties: {
    samples: count,
    medianMinutes: minutes,
    bucket: durationBucket,
  },
} as const;

const doraMetrics = {
  type: 'object',
  additionalProperties: false,
  required: [
    'window',
    'environments',
    'deploymentFrequency',
    'leadTimeForChanges',
    'changeFailureRate',
    'timeToRestore',
    'trend',
    'entityRefs',
  ],
  properties: {
    window: {
      type: 'object',
      additionalProperties: false,
      required: ['from', 'to'],
      properties: { from: { type: 'string' }, to: { type: 'string' } },
    },
    environments: { type: 'array', items: { type: 'string' } },
    deploymentFrequency: {
      type: 'object',
      additionalProperties: false,
      required: ['deployments', 'days', 'perDay', 'bucket'],
      properties: {
        deployments: count,
        days: { type: 'number' },
        perDay: { type: 'number' },
        bucket: { type: 'string', enum: DEPLOYMENT_FREQUENCY_BUCKETS },
      },
    },
    leadTimeForChanges: medianOfSamples,
    changeFailureRate: {
      type: 'object',
      additionalProperties: false,
      required: ['deployments', 'failures'],
      properties: {
        deployments: count,
        failures: count,
        rate: { type: 'number' },
        bucket: { type: 'string', enum: CHANGE_FAILURE_RATE_BUCKETS },
      },
    },
    timeToRestore: medianOfSamples,
    trend: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['weekStart', 'deployments', 'changeFailures'],
        properties: {
          weekStart: { type: 'string' },
          deployments: count,
          changeFailures: count,
          changeFailureRate: { type: 'number' },
          medianLeadTimeMinutes: minutes,
          medianTimeToRestoreMinutes: minutes,
        },
      },
    },
    // the entities counted (one, or those the group owns)
    entityRefs: { type: 'array', items: { type: 'string' } },
  },
} as const;

export const deploymentPaths = {
  '/deployments': {
    get: {
      operationId: 'ListDeployments',
      parameters: [
        listQuery('entityRef', entityRef, true),
        pageParameters.from,
        pageParameters.to,
        pageParameters.cursor,
        pageParameters.limit,
        listQuery('environment', environment),
      ],
      responses: okWith(pageOf(deployment)),
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
          version: {
            type: 'string',
            minLength: 1,
            maxLength: RECORD_LIMITS.externalIdLength,
          },
          commitSha: {
            type: 'string',
            pattern: '^[0-9a-f]{7,64}$',
            description: 'Hexadecimal commit id (git SHA-1 or SHA-256)',
          },
          commitTime: dateTime,
          image: {
            type: 'string',
            minLength: 1,
            maxLength: RECORD_LIMITS.imageLength,
            pattern: '^[a-z0-9][A-Za-z0-9._/:@-]*$',
            description:
              'The container image deployed, e.g. registry.example.com/shop/orders-api:2.1.0: links the deployment to the Kubernetes revision running it',
          },
          startedAt: dateTime,
          finishedAt: dateTime,
          status: deploymentStatus,
          url,
          description: {
            type: 'string',
            maxLength: RECORD_LIMITS.deploymentDescriptionLength,
          },
        },
      }),
      responses: createdWith(deployment),
    },
  },
  '/deployments/history': {
    get: {
      operationId: 'GetDeploymentHistory',
      description:
        'Workloads of the entity and their revisions, from every history source (Kubernetes, and those modules add)',
      parameters: [listQuery('entityRef', entityRef, true)],
      responses: okWith(deploymentHistory),
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
        pageParameters.from,
        pageParameters.to,
        listQuery(
          'environment',
          oneOrMany(environment, RECORD_LIMITS.environmentFilterValues),
        ),
      ],
      responses: okWith(doraMetrics),
    },
  },
} as const;
