import { onCallPaths } from './oncall';
import { createSloPaths } from './slo';

// The OpenAPI document of /api/ops. Requests are validated against it before
// they reach a handler (createValidatedOpenApiRouter), so every limit a
// client must respect is written here once. Served at /api/ops/openapi.json.

import {
  entityRef,
  userRef,
  dateTime,
  title,
  longText,
  severity,
  incidentStatus,
  drillKind,
  drillStatus,
  drillStepStatus,
  labels,
  url,
  seconds,
  objectives,
  verification,
  listQuery,
  pageQuery,
  pathId,
  jsonBody,
  responses,
} from './fragments';
import { deploymentPaths } from './deployments';

export const spec = {
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
        parameters: [{ ...listQuery('entityRef', entityRef), required: true }],
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
    '/severities': {
      get: { operationId: 'ListSeverities', responses },
    },
    '/incidents': {
      get: {
        operationId: 'ListIncidents',
        parameters: [
          ...pageQuery,
          listQuery('status', {
            oneOf: [
              incidentStatus,
              { type: 'array', maxItems: 4, items: incidentStatus },
            ],
          }),
          listQuery('severity', {
            oneOf: [severity, { type: 'array', maxItems: 16, items: severity }],
          }),
        ],
        responses,
      },
      post: {
        operationId: 'CreateIncident',
        requestBody: jsonBody({
          type: 'object',
          additionalProperties: false,
          required: ['entityRef', 'title', 'severity'],
          properties: {
            entityRef,
            title,
            severity,
            status: incidentStatus,
            commander: userRef,
            summary: longText,
            detectedAt: dateTime,
            startedAt: dateTime,
            deploymentId: { type: 'string', maxLength: 255 },
            labels,
          },
        }),
        responses: { ...responses, '201': { description: 'Created' } },
      },
    },
    '/incidents/{id}': {
      get: { operationId: 'GetIncident', parameters: [pathId], responses },
      patch: {
        operationId: 'UpdateIncident',
        parameters: [pathId],
        requestBody: jsonBody({
          type: 'object',
          additionalProperties: false,
          required: ['version'],
          properties: {
            version: { type: 'integer', minimum: 1 },
            title,
            severity,
            status: incidentStatus,
            commander: userRef,
            summary: longText,
            startedAt: dateTime,
            mitigatedAt: dateTime,
            resolvedAt: dateTime,
            rootCause: longText,
            postmortemUrl: url,
            deploymentId: { type: 'string', maxLength: 255 },
            labels,
          },
        }),
        responses: {
          ...responses,
          '409': { description: 'The incident changed since that version' },
        },
      },
    },
    '/incidents/{id}/events': {
      get: {
        operationId: 'ListIncidentEvents',
        parameters: [pathId],
        responses,
      },
      post: {
        operationId: 'AppendIncidentEvent',
        parameters: [pathId],
        requestBody: jsonBody({
          type: 'object',
          additionalProperties: false,
          required: ['type', 'message'],
          properties: {
            type: { type: 'string', enum: ['note', 'action'] },
            message: { type: 'string', minLength: 1, maxLength: 10000 },
            data: { type: 'object', maxProperties: 32 },
          },
        }),
        responses: { ...responses, '201': { description: 'Created' } },
      },
    },
    '/drills': {
      get: {
        operationId: 'ListDrills',
        parameters: [
          ...pageQuery,
          listQuery('kind', {
            oneOf: [
              drillKind,
              { type: 'array', maxItems: 4, items: drillKind },
            ],
          }),
          listQuery('status', {
            oneOf: [
              drillStatus,
              { type: 'array', maxItems: 4, items: drillStatus },
            ],
          }),
        ],
        responses,
      },
      post: {
        operationId: 'CreateDrill',
        requestBody: jsonBody({
          type: 'object',
          additionalProperties: false,
          required: ['entityRef', 'kind', 'target'],
          properties: {
            entityRef,
            kind: drillKind,
            target: { type: 'string', minLength: 1, maxLength: 200 },
            startedAt: dateTime,
            objectives,
            taskId: { type: 'string', maxLength: 255 },
            exclusive: {
              type: 'boolean',
              description:
                'Hold the target while running: 409 when another exclusive drill of it runs',
            },
          },
        }),
        responses: {
          ...responses,
          '201': { description: 'Created' },
          '409': {
            description:
              'An exclusive drill of the same target is running (exclusive requests only)',
          },
        },
      },
    },
    '/drills/{id}': {
      get: { operationId: 'GetDrill', parameters: [pathId], responses },
      patch: {
        operationId: 'UpdateDrill',
        parameters: [pathId],
        requestBody: jsonBody({
          type: 'object',
          additionalProperties: false,
          minProperties: 1,
          properties: {
            version: { type: 'integer', minimum: 1 },
            status: drillStatus,
            finishedAt: dateTime,
            rtoSeconds: seconds,
            rpoSeconds: seconds,
            verification,
            report: { type: 'string', maxLength: 200000 },
          },
        }),
        responses: {
          ...responses,
          '409': { description: 'The drill changed since that version' },
        },
      },
    },
    '/drills/{id}/steps/{name}': {
      put: {
        operationId: 'UpsertDrillStep',
        parameters: [
          pathId,
          {
            name: 'name',
            in: 'path',
            required: true,
            schema: {
              type: 'string',
              minLength: 1,
              maxLength: 100,
              pattern: '^[A-Za-z0-9][A-Za-z0-9 ._:-]*$',
            },
          },
        ],
        requestBody: jsonBody({
          type: 'object',
          additionalProperties: false,
          required: ['status'],
          properties: {
            status: drillStepStatus,
            startedAt: dateTime,
            finishedAt: dateTime,
            output: { type: 'string', maxLength: 10000 },
          },
        }),
        responses,
      },
    },
    ...createSloPaths({ entityRef, responses }),
  },
} as const;
