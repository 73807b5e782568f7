// OpenAPI paths of on-call and the Alertmanager webhook, spread into
// openapi.ts.

import { dateTime, entityRef, responses, userRef } from './fragments';

const level = {
  type: 'string',
  enum: ['primary', 'secondary', 'engineering-manager'],
} as const;
const query = (name: string, schema: object, required = false) =>
  ({ name, in: 'query', required, allowReserved: true, schema } as const);

const stringMap = {
  type: 'object',
  maxProperties: 128,
  additionalProperties: { type: 'string', maxLength: 10000 },
} as const;

/** Alertmanager's webhook body, version 4. Unknown extra fields are allowed. */
const alertmanagerPayload = {
  type: 'object',
  required: [
    'version',
    'groupKey',
    'status',
    'receiver',
    'groupLabels',
    'commonLabels',
    'commonAnnotations',
    'externalURL',
    'alerts',
  ],
  properties: {
    version: { type: 'string', enum: ['4'] },
    groupKey: { type: 'string', minLength: 1, maxLength: 4096 },
    truncatedAlerts: { type: 'integer', minimum: 0 },
    status: { type: 'string', enum: ['firing', 'resolved'] },
    receiver: { type: 'string', maxLength: 255 },
    groupLabels: stringMap,
    commonLabels: stringMap,
    commonAnnotations: stringMap,
    externalURL: { type: 'string', maxLength: 2048 },
    alerts: {
      type: 'array',
      minItems: 1,
      maxItems: 5000,
      items: {
        type: 'object',
        required: [
          'status',
          'labels',
          'annotations',
          'startsAt',
          'fingerprint',
        ],
        properties: {
          status: { type: 'string', enum: ['firing', 'resolved'] },
          labels: stringMap,
          annotations: stringMap,
          startsAt: { type: 'string', maxLength: 64 },
          endsAt: { type: 'string', maxLength: 64 },
          generatorURL: { type: 'string', maxLength: 4096 },
          fingerprint: {
            type: 'string',
            minLength: 1,
            maxLength: 64,
            pattern: '^[A-Za-z0-9]+$',
          },
        },
      },
    },
  },
} as const;

export const onCallPaths = {
  '/oncall': {
    get: {
      operationId: 'GetOnCall',
      description:
        'Who is on call for an entity now (or at `at`) and next, per escalation level',
      parameters: [query('entityRef', entityRef, true), query('at', dateTime)],
      responses,
    },
  },
  '/oncall/overrides': {
    get: {
      operationId: 'ListOnCallOverrides',
      description: 'Overrides of the entity’s schedule that have not ended',
      parameters: [query('entityRef', entityRef, true)],
      responses,
    },
    post: {
      operationId: 'AddOnCallOverride',
      requestBody: {
        required: true,
        content: {
          'application/json': {
            schema: {
              type: 'object',
              additionalProperties: false,
              required: ['entityRef', 'level', 'userRef', 'start', 'end'],
              properties: {
                entityRef,
                level,
                userRef,
                start: dateTime,
                end: dateTime,
                reason: { type: 'string', maxLength: 1000 },
              },
            },
          },
        },
      },
      responses: { ...responses, '201': { description: 'Created' } },
    },
  },
  '/oncall/overrides/{id}': {
    delete: {
      operationId: 'DeleteOnCallOverride',
      parameters: [
        {
          name: 'id',
          in: 'path',
          required: true,
          schema: { type: 'string', format: 'uuid' },
        },
      ],
      responses,
    },
  },
  '/alerts/alertmanager': {
    post: {
      operationId: 'ReceiveAlertmanagerWebhook',
      description:
        'Alertmanager webhook receiver (payload version 4); needs service credentials (an external access token)',
      requestBody: {
        required: true,
        content: { 'application/json': { schema: alertmanagerPayload } },
      },
      responses: {
        ...responses,
        '503': { description: 'The group is being opened concurrently; retry' },
      },
    },
  },
} as const;
