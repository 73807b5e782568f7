// The incident paths of the OpenAPI document of /api/ops: incidents, their
// timelines and the severity levels.

import { RECORD_LIMITS } from '../limits';
import {
  APPENDABLE_INCIDENT_EVENT_TYPES,
  INCIDENT_EVENT_TYPES,
} from '../records';
import {
  createdWith,
  dateTime,
  entityRef,
  externalId,
  incidentStatus,
  itemsOf,
  jsonBody,
  labels,
  listQuery,
  longText,
  okWith,
  oneOrMany,
  pageOf,
  pageParameters,
  pageQuery,
  pathId,
  severity,
  title,
  url,
  userRef,
} from './fragments';

const incident = {
  type: 'object',
  additionalProperties: false,
  required: [
    'id',
    'entityRef',
    'title',
    'severity',
    'status',
    'detectedAt',
    'labels',
    'version',
    'createdBy',
    'createdAt',
    'updatedBy',
    'updatedAt',
  ],
  properties: {
    id: { type: 'string' },
    entityRef: { type: 'string' },
    title: { type: 'string' },
    severity: { type: 'string' },
    status: incidentStatus,
    commander: { type: 'string' },
    summary: { type: 'string' },
    detectedAt: { type: 'string' },
    startedAt: { type: 'string' },
    mitigatedAt: { type: 'string' },
    resolvedAt: { type: 'string' },
    rootCause: { type: 'string' },
    postmortemUrl: { type: 'string' },
    deploymentId: { type: 'string' },
    labels: { type: 'object', additionalProperties: { type: 'string' } },
    version: { type: 'integer' },
    createdBy: { type: 'string' },
    createdAt: { type: 'string' },
    updatedBy: { type: 'string' },
    updatedAt: { type: 'string' },
  },
} as const;

const incidentEvent = {
  type: 'object',
  additionalProperties: false,
  required: ['id', 'incidentId', 'type', 'message', 'author', 'createdAt'],
  properties: {
    id: { type: 'string' },
    incidentId: { type: 'string' },
    type: { type: 'string', enum: INCIDENT_EVENT_TYPES },
    message: { type: 'string' },
    data: { type: 'object' },
    author: { type: 'string' },
    createdAt: { type: 'string' },
  },
} as const;

const severityLevel = {
  type: 'object',
  additionalProperties: false,
  required: [
    'id',
    'title',
    'description',
    'respondWithinMinutes',
    'resolveWithinMinutes',
  ],
  properties: {
    id: { type: 'string' },
    title: { type: 'string' },
    description: { type: 'string' },
    respondWithinMinutes: { type: 'number' },
    resolveWithinMinutes: { type: 'number' },
  },
} as const;

export const incidentPaths = {
  '/severities': {
    get: {
      operationId: 'ListSeverities',
      responses: okWith(itemsOf(severityLevel)),
    },
  },
  '/incidents': {
    get: {
      operationId: 'ListIncidents',
      parameters: [
        ...pageQuery,
        listQuery(
          'status',
          oneOrMany(incidentStatus, RECORD_LIMITS.statusFilterValues),
        ),
        listQuery(
          'severity',
          oneOrMany(severity, RECORD_LIMITS.severityFilterValues),
        ),
      ],
      responses: okWith(pageOf(incident)),
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
          deploymentId: externalId,
          labels,
        },
      }),
      responses: createdWith(incident),
    },
  },
  '/incidents/{id}': {
    get: {
      operationId: 'GetIncident',
      parameters: [pathId],
      responses: okWith(incident),
    },
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
          deploymentId: externalId,
          labels,
        },
      }),
      responses: {
        ...okWith(incident),
        '409': { description: 'The incident changed since that version' },
      },
    },
  },
  '/incidents/{id}/events': {
    get: {
      operationId: 'ListIncidentEvents',
      // The latest events first by page (oldest first within a page);
      // nextCursor leads to the earlier ones.
      parameters: [
        pathId,
        pageParameters.cursor,
        listQuery('limit', {
          ...pageParameters.limit.schema,
          description: `Page size, 1 to ${RECORD_LIMITS.maxPageSize} (default 100)`,
        }),
      ],
      responses: okWith(pageOf(incidentEvent)),
    },
    post: {
      operationId: 'AppendIncidentEvent',
      parameters: [pathId],
      requestBody: jsonBody({
        type: 'object',
        additionalProperties: false,
        required: ['type', 'message'],
        properties: {
          type: { type: 'string', enum: APPENDABLE_INCIDENT_EVENT_TYPES },
          message: {
            type: 'string',
            minLength: 1,
            maxLength: RECORD_LIMITS.textLength,
          },
          data: {
            type: 'object',
            maxProperties: RECORD_LIMITS.eventDataProperties,
          },
        },
      }),
      responses: createdWith(incidentEvent),
    },
  },
} as const;
