// The drill paths of the OpenAPI document of /api/ops: drills and their steps.

import { RECORD_LIMITS } from '../limits';
import {
  createdWith,
  dateTime,
  drillKind,
  drillStatus,
  drillStepStatus,
  entityRef,
  externalId,
  jsonBody,
  longText,
  listQuery,
  objectives,
  okWith,
  oneOrMany,
  pageOf,
  pageQuery,
  pathId,
  seconds,
  title,
  verification,
} from './fragments';

const drillStep = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'status', 'startedAt'],
  properties: {
    name: { type: 'string' },
    status: drillStepStatus,
    startedAt: { type: 'string' },
    finishedAt: { type: 'string' },
    output: { type: 'string' },
  },
} as const;

const drill = {
  type: 'object',
  additionalProperties: false,
  required: [
    'id',
    'entityRef',
    'kind',
    'target',
    'status',
    'startedAt',
    'objectives',
    'verification',
    'triggeredBy',
    'steps',
    'version',
    'createdAt',
    'updatedAt',
  ],
  properties: {
    id: { type: 'string' },
    entityRef: { type: 'string' },
    kind: drillKind,
    target: { type: 'string' },
    status: drillStatus,
    startedAt: { type: 'string' },
    finishedAt: { type: 'string' },
    rtoSeconds: { type: 'number' },
    rpoSeconds: { type: 'number' },
    objectives,
    verification,
    report: { type: 'string' },
    triggeredBy: { type: 'string' },
    taskId: { type: 'string' },
    exclusive: { type: 'boolean' },
    steps: { type: 'array', items: drillStep },
    version: { type: 'integer' },
    createdAt: { type: 'string' },
    updatedAt: { type: 'string' },
  },
} as const;

// Step names are shown as they are written; the failover's are e.g. "Switch over (Patroni)"
// and, retried, "Promote (attempt 2)". No '/' or '%': the name is a path segment.
const stepName = {
  type: 'string',
  minLength: 1,
  maxLength: RECORD_LIMITS.stepNameLength,
  pattern: '^[A-Za-z0-9][A-Za-z0-9 ._:()-]*$',
} as const;

export const drillPaths = {
  '/drills': {
    get: {
      operationId: 'ListDrills',
      parameters: [
        ...pageQuery,
        listQuery(
          'kind',
          oneOrMany(drillKind, RECORD_LIMITS.statusFilterValues),
        ),
        listQuery(
          'status',
          oneOrMany(drillStatus, RECORD_LIMITS.statusFilterValues),
        ),
      ],
      responses: okWith(pageOf(drill)),
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
          target: title,
          startedAt: dateTime,
          objectives,
          taskId: externalId,
          exclusive: {
            type: 'boolean',
            description:
              'Hold the target while running: 409 when another exclusive drill of it runs',
          },
        },
      }),
      responses: {
        ...createdWith(drill),
        '409': {
          description:
            'An exclusive drill of the same target is running (exclusive requests only)',
        },
      },
    },
  },
  '/drills/{id}': {
    get: {
      operationId: 'GetDrill',
      parameters: [pathId],
      responses: okWith(drill),
    },
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
          report: { type: 'string', maxLength: RECORD_LIMITS.reportLength },
        },
      }),
      responses: {
        ...okWith(drill),
        '409': { description: 'The drill changed since that version' },
      },
    },
  },
  '/drills/{id}/steps/{name}': {
    put: {
      operationId: 'UpsertDrillStep',
      parameters: [
        pathId,
        { name: 'name', in: 'path', required: true, schema: stepName },
      ],
      requestBody: jsonBody({
        type: 'object',
        additionalProperties: false,
        required: ['status'],
        properties: {
          status: drillStepStatus,
          startedAt: dateTime,
          finishedAt: dateTime,
          output: longText,
        },
      }),
      responses: okWith(drill),
    },
  },
} as const;
