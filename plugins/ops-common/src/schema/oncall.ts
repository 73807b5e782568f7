// OpenAPI paths of on-call and the Alertmanager webhook, spread into the
// OpenAPI document of /api/ops.

import { RECORD_LIMITS } from '../limits';
import { ONCALL_LEVELS, ONCALL_STATES } from '../oncall/types';
import { alertmanagerPayload, alertmanagerResult } from './alertmanager';
import {
  createdWith,
  dateTime,
  entityRef,
  itemsOf,
  jsonBody,
  listQuery,
  okWith,
  pathId,
  userRef,
} from './fragments';

const level = { type: 'string', enum: ONCALL_LEVELS } as const;

const onCallOverride = {
  type: 'object',
  additionalProperties: false,
  required: [
    'id',
    'entityRef',
    'level',
    'userRef',
    'start',
    'end',
    'createdBy',
    'createdAt',
  ],
  properties: {
    id: { type: 'string' },
    entityRef: { type: 'string' },
    level,
    userRef: { type: 'string' },
    start: { type: 'string' },
    end: { type: 'string' },
    reason: { type: 'string' },
    createdBy: { type: 'string' },
    createdAt: { type: 'string' },
  },
} as const;

const shift = {
  userRef: { type: 'string' },
  start: { type: 'string' },
  end: { type: 'string' },
  overrideId: { type: 'string' },
} as const;

const shiftWithContact = {
  type: 'object',
  additionalProperties: false,
  required: ['userRef', 'start'],
  properties: {
    ...shift,
    contact: {
      type: 'object',
      additionalProperties: false,
      required: ['userRef'],
      properties: {
        userRef: { type: 'string' },
        displayName: { type: 'string' },
        email: { type: 'string' },
        chatUrl: { type: 'string' },
        phone: { type: 'string' },
      },
    },
  },
} as const;

const onCallStatus = {
  type: 'object',
  additionalProperties: false,
  required: ['entityRef', 'provider', 'at', 'state', 'messages', 'levels'],
  properties: {
    entityRef: { type: 'string' },
    provider: { type: 'string' },
    schedule: { type: 'string' },
    at: { type: 'string' },
    state: { type: 'string', enum: ONCALL_STATES },
    messages: { type: 'array', items: { type: 'string' } },
    levels: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['level'],
        properties: {
          // a provider's own level names too, not only ONCALL_LEVELS
          level: { type: 'string' },
          current: shiftWithContact,
          next: shiftWithContact,
        },
      },
    },
    url: { type: 'string' },
  },
} as const;

export const onCallPaths = {
  '/oncall': {
    get: {
      operationId: 'GetOnCall',
      description:
        'Who is on call for an entity now (or at `at`) and next, per escalation level',
      parameters: [
        listQuery('entityRef', entityRef, true),
        listQuery('at', dateTime),
      ],
      responses: okWith(onCallStatus),
    },
  },
  '/oncall/overrides': {
    get: {
      operationId: 'ListOnCallOverrides',
      description: 'Overrides of the entity’s schedule that have not ended',
      parameters: [listQuery('entityRef', entityRef, true)],
      responses: okWith(itemsOf(onCallOverride)),
    },
    post: {
      operationId: 'AddOnCallOverride',
      requestBody: jsonBody({
        type: 'object',
        additionalProperties: false,
        required: ['entityRef', 'level', 'userRef', 'start', 'end'],
        properties: {
          entityRef,
          level,
          userRef,
          start: dateTime,
          end: dateTime,
          reason: { type: 'string', maxLength: RECORD_LIMITS.reasonLength },
        },
      }),
      responses: createdWith(onCallOverride),
    },
  },
  '/oncall/overrides/{id}': {
    delete: {
      operationId: 'DeleteOnCallOverride',
      parameters: [pathId],
      responses: okWith(onCallOverride),
    },
  },
  '/alerts/alertmanager': {
    post: {
      operationId: 'ReceiveAlertmanagerWebhook',
      description:
        'Alertmanager webhook receiver (payload version 4); needs service credentials (an external access token)',
      requestBody: jsonBody(alertmanagerPayload),
      responses: {
        ...okWith(alertmanagerResult),
        '503': { description: 'The group is being opened concurrently; retry' },
      },
    },
  },
} as const;
