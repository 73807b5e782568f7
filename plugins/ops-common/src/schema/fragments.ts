// Schema fragments shared by the paths of the OpenAPI document of /api/ops.
// Every limit comes from RECORD_LIMITS and every enum from the constants of
// ops-common, so the document, the stores and the clients cannot drift apart.

import { RECORD_LIMITS, SEVERITY_ID_PATTERN } from '../limits';
import {
  DRILL_KINDS,
  DRILL_STATUSES,
  DRILL_STEP_STATUSES,
  INCIDENT_STATUSES,
} from '../records';

export const entityRef = {
  type: 'string',
  minLength: 3,
  maxLength: RECORD_LIMITS.refLength,
  // kind:namespace/name or kind:name, with Backstage's allowed characters
  pattern:
    '^[A-Za-z0-9][A-Za-z0-9._-]*:([A-Za-z0-9][A-Za-z0-9._-]*/)?[A-Za-z0-9][A-Za-z0-9._-]*$',
  description: 'An entity reference, e.g. component:default/payments-api',
} as const;

export const userRef = {
  type: 'string',
  minLength: 3,
  maxLength: RECORD_LIMITS.refLength,
  pattern: '^user:([A-Za-z0-9][A-Za-z0-9._-]*/)?[A-Za-z0-9][A-Za-z0-9._@-]*$',
  description: 'A user entity reference, e.g. user:default/jane.doe',
} as const;

export const dateTime = { type: 'string', format: 'date-time' } as const;
export const id = {
  type: 'string',
  format: 'uuid',
} as const;
export const title = {
  type: 'string',
  minLength: 1,
  maxLength: RECORD_LIMITS.titleLength,
} as const;
export const longText = {
  type: 'string',
  maxLength: RECORD_LIMITS.textLength,
} as const;
export const externalId = {
  type: 'string',
  maxLength: RECORD_LIMITS.externalIdLength,
} as const;
export const severity = {
  type: 'string',
  pattern: SEVERITY_ID_PATTERN.source,
  description: 'One of the configured severity ids (GET /severities)',
} as const;
export const incidentStatus = {
  type: 'string',
  enum: INCIDENT_STATUSES,
} as const;
export const drillKind = {
  type: 'string',
  enum: DRILL_KINDS,
} as const;
export const drillStatus = {
  type: 'string',
  enum: DRILL_STATUSES,
} as const;
export const drillStepStatus = {
  type: 'string',
  enum: DRILL_STEP_STATUSES,
} as const;
export const labels = {
  type: 'object',
  maxProperties: RECORD_LIMITS.labels,
  propertyNames: {
    pattern: `^[A-Za-z0-9_./-]{1,${RECORD_LIMITS.labelNameLength}}$`,
  },
  additionalProperties: {
    type: 'string',
    maxLength: RECORD_LIMITS.labelValueLength,
  },
} as const;
export const url = {
  type: 'string',
  maxLength: RECORD_LIMITS.urlLength,
  pattern: '^https?://[^\\s\\u0000]+$',
} as const;
export const seconds = {
  type: 'number',
  minimum: 0,
  maximum: RECORD_LIMITS.maxSeconds,
} as const;
export const objectives = {
  type: 'object',
  additionalProperties: false,
  required: ['rtoSeconds', 'rpoSeconds'],
  properties: { rtoSeconds: seconds, rpoSeconds: seconds },
} as const;
export const verification = {
  type: 'array',
  maxItems: RECORD_LIMITS.verificationItems,
  items: {
    type: 'object',
    additionalProperties: false,
    required: ['name', 'passed'],
    properties: {
      name: title,
      passed: { type: 'boolean' },
      expected: {
        type: 'string',
        maxLength: RECORD_LIMITS.verificationValueLength,
      },
      actual: {
        type: 'string',
        maxLength: RECORD_LIMITS.verificationValueLength,
      },
    },
  },
} as const;

/** A query parameter; `required` for the ones an endpoint cannot do without. */
export const listQuery = <S extends object, R extends boolean = false>(
  name: string,
  schema: S,
  required?: R,
) =>
  ({
    name,
    in: 'query',
    required: (required ?? false) as R,
    // entity refs and times contain ':' and '/'; accept them unencoded too
    allowReserved: true,
    schema,
  } as const);

/** A filter that takes one value or several (repeated parameters). */
export const oneOrMany = <S extends object, N extends number>(
  schema: S,
  maxItems: N,
) =>
  ({
    oneOf: [schema, { type: 'array', maxItems, items: schema }],
  } as const);

/** The page parameters of every list: its time range, cursor and size. */
export const pageParameters = {
  from: listQuery('from', dateTime),
  to: listQuery('to', dateTime),
  cursor: listQuery('cursor', {
    type: 'string',
    maxLength: RECORD_LIMITS.cursorLength,
    pattern: '^[A-Za-z0-9_-]+$',
  }),
  // 1 to maxPageSize; schema.test.ts checks the pattern against the limit
  limit: listQuery('limit', {
    type: 'string',
    pattern: '^(?:[1-9]\\d{0,1}|[1-4]\\d{2}|500)$',
    description: `Page size, 1 to ${RECORD_LIMITS.maxPageSize} (default ${RECORD_LIMITS.defaultPageSize})`,
  }),
} as const;

export const pageQuery = [
  listQuery('entityRef', entityRef),
  pageParameters.from,
  pageParameters.to,
  pageParameters.cursor,
  pageParameters.limit,
] as const;

export const pathId = {
  name: 'id',
  in: 'path',
  required: true,
  schema: id,
} as const;

export const jsonBody = <S extends object>(schema: S) =>
  ({
    required: true,
    content: { 'application/json': { schema } },
  } as const);

export const ok = { description: 'OK' } as const;
export const responses = {
  '200': ok,
  '400': { description: 'Invalid request; the message names the field' },
  '401': { description: 'No valid credentials' },
  '403': { description: 'Not allowed' },
  '404': { description: 'Unknown record, or an entity the caller cannot read' },
} as const;

/** The standard responses, with the JSON body of a success. */
export const okWith = <S extends object>(schema: S) =>
  ({
    ...responses,
    '200': { description: 'OK', content: { 'application/json': { schema } } },
  } as const);

/** The standard responses, with the JSON body of a created record. */
export const createdWith = <S extends object>(schema: S) =>
  ({
    ...responses,
    '201': {
      description: 'Created',
      content: { 'application/json': { schema } },
    },
  } as const);

/** One page of a list (see RecordPage). */
export const pageOf = <S extends object>(items: S) =>
  ({
    type: 'object',
    additionalProperties: false,
    required: ['items'],
    properties: {
      items: { type: 'array', items },
      nextCursor: { type: 'string' },
    },
  } as const);

/** A list that is not paged. */
export const itemsOf = <S extends object>(items: S) =>
  ({
    type: 'object',
    additionalProperties: false,
    required: ['items'],
    properties: { items: { type: 'array', items } },
  } as const);
