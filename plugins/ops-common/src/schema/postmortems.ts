// The post-mortem paths of the OpenAPI document of /api/ops: post-mortems of
// incidents, their review, their markdown export and their action items.

import { RECORD_LIMITS } from '../limits';
import {
  ACTION_ITEM_STATUSES,
  POSTMORTEM_LIMITS,
  POSTMORTEM_STATUSES,
} from '../postmortems';
import {
  createdWith,
  entityRef,
  id,
  itemsOf,
  jsonBody,
  listQuery,
  okWith,
  pathId,
  responses,
  title,
  url,
  userRef,
} from './fragments';

const postmortemStatus = { type: 'string', enum: POSTMORTEM_STATUSES } as const;
const actionItemStatus = {
  type: 'string',
  enum: ACTION_ITEM_STATUSES,
} as const;
const version = { type: 'integer', minimum: 1 } as const;
const people = {
  type: 'array',
  maxItems: POSTMORTEM_LIMITS.people,
  uniqueItems: true,
  items: userRef,
} as const;
const body = {
  type: 'string',
  maxLength: POSTMORTEM_LIMITS.bodyLength,
} as const;
/** The owner of an action item: a user or a group of the catalog. */
const ownerRef = {
  type: 'string',
  minLength: 3,
  maxLength: RECORD_LIMITS.refLength,
  pattern:
    '^(user|group):([A-Za-z0-9][A-Za-z0-9._-]*/)?[A-Za-z0-9][A-Za-z0-9._@-]*$',
  description: 'A user or group entity reference, e.g. group:default/payments',
} as const;
const dueDate = {
  type: 'string',
  format: 'date',
  description: 'A calendar day, YYYY-MM-DD',
} as const;

const postmortem = {
  type: 'object',
  additionalProperties: false,
  required: [
    'id',
    'incidentId',
    'entityRef',
    'severity',
    'status',
    'title',
    'body',
    'version',
    'authors',
    'reviewers',
    'overdue',
    'createdBy',
    'createdAt',
    'updatedBy',
    'updatedAt',
  ],
  properties: {
    id: { type: 'string' },
    incidentId: { type: 'string' },
    entityRef: { type: 'string' },
    severity: { type: 'string' },
    status: postmortemStatus,
    title: { type: 'string' },
    body: { type: 'string' },
    version: { type: 'integer' },
    authors: { type: 'array', items: { type: 'string' } },
    reviewers: { type: 'array', items: { type: 'string' } },
    dueAt: { type: 'string' },
    overdue: { type: 'boolean' },
    createdBy: { type: 'string' },
    createdAt: { type: 'string' },
    updatedBy: { type: 'string' },
    updatedAt: { type: 'string' },
    publishedBy: { type: 'string' },
    publishedAt: { type: 'string' },
  },
} as const;

const actionItem = {
  type: 'object',
  additionalProperties: false,
  required: [
    'id',
    'postmortemId',
    'incidentId',
    'entityRef',
    'title',
    'ownerRef',
    'dueDate',
    'status',
    'overdue',
    'version',
    'createdBy',
    'createdAt',
    'updatedBy',
    'updatedAt',
  ],
  properties: {
    id: { type: 'string' },
    postmortemId: { type: 'string' },
    incidentId: { type: 'string' },
    entityRef: { type: 'string' },
    title: { type: 'string' },
    ownerRef: { type: 'string' },
    dueDate: { type: 'string' },
    status: actionItemStatus,
    link: { type: 'string' },
    overdue: { type: 'boolean' },
    version: { type: 'integer' },
    createdBy: { type: 'string' },
    createdAt: { type: 'string' },
    updatedBy: { type: 'string' },
    updatedAt: { type: 'string' },
    completedAt: { type: 'string' },
  },
} as const;

const stale = (record: string) => ({
  '409': { description: `The ${record} changed since that version` },
});

export const postmortemPaths = {
  '/incidents/{id}/postmortem': {
    get: {
      operationId: 'GetIncidentPostmortem',
      parameters: [pathId],
      responses: okWith(postmortem),
    },
    post: {
      operationId: 'CreatePostmortem',
      description:
        'Starts the post-mortem of a mitigated or resolved incident with a draft written from its facts',
      parameters: [pathId],
      responses: {
        ...createdWith(postmortem),
        '409': {
          description:
            'The incident has a post-mortem already, or is neither mitigated nor resolved',
        },
      },
    },
  },
  '/postmortems': {
    get: {
      operationId: 'ListPostmortems',
      parameters: [
        listQuery('entityRef', entityRef),
        listQuery('status', postmortemStatus),
        listQuery('overdue', { type: 'string', pattern: '^(true|false)$' }),
      ],
      responses: okWith(itemsOf(postmortem)),
    },
  },
  '/postmortems/{id}': {
    get: {
      operationId: 'GetPostmortem',
      parameters: [pathId],
      responses: okWith(postmortem),
    },
    put: {
      operationId: 'UpdatePostmortem',
      parameters: [pathId],
      requestBody: jsonBody({
        type: 'object',
        additionalProperties: false,
        required: ['body', 'version'],
        properties: {
          version,
          body,
          title,
          authors: people,
          reviewers: people,
        },
      }),
      responses: { ...okWith(postmortem), ...stale('post-mortem') },
    },
  },
  '/postmortems/{id}/status': {
    post: {
      operationId: 'ChangePostmortemStatus',
      description:
        'draft → in-review → published; in-review → draft. Anything else is a 409 naming the transition',
      parameters: [pathId],
      requestBody: jsonBody({
        type: 'object',
        additionalProperties: false,
        required: ['status', 'version'],
        properties: { status: postmortemStatus, version },
      }),
      responses: { ...okWith(postmortem), ...stale('post-mortem') },
    },
  },
  '/postmortems/{id}/markdown': {
    get: {
      operationId: 'ExportPostmortem',
      description:
        'The post-mortem as a markdown file with a YAML front matter, to commit to TechDocs',
      parameters: [pathId],
      responses: {
        ...responses,
        '200': {
          description: 'OK',
          content: { 'text/markdown': { schema: { type: 'string' } } },
        },
      },
    },
  },
  '/postmortems/{id}/action-items': {
    post: {
      operationId: 'CreateActionItem',
      parameters: [pathId],
      requestBody: jsonBody({
        type: 'object',
        additionalProperties: false,
        required: ['title', 'ownerRef', 'dueDate'],
        properties: { title, ownerRef, dueDate, link: url },
      }),
      responses: createdWith(actionItem),
    },
  },
  '/action-items': {
    get: {
      operationId: 'ListActionItems',
      description: 'The overdue ones first, then by due date',
      parameters: [
        listQuery('entityRef', entityRef),
        listQuery('postmortemId', id),
        listQuery('status', actionItemStatus),
      ],
      responses: okWith(itemsOf(actionItem)),
    },
  },
  '/action-items/{id}': {
    patch: {
      operationId: 'UpdateActionItem',
      parameters: [pathId],
      requestBody: jsonBody({
        type: 'object',
        additionalProperties: false,
        required: ['version'],
        properties: {
          version,
          status: actionItemStatus,
          title,
          ownerRef,
          dueDate,
          link: url,
        },
      }),
      responses: { ...okWith(actionItem), ...stale('action item') },
    },
  },
} as const;
