// Schema fragments shared by the paths of the OpenAPI document of /api/ops.

export const entityRef = {
  type: 'string',
  minLength: 3,
  maxLength: 255,
  // kind:namespace/name or kind:name, with Backstage's allowed characters
  pattern:
    '^[A-Za-z0-9][A-Za-z0-9._-]*:([A-Za-z0-9][A-Za-z0-9._-]*/)?[A-Za-z0-9][A-Za-z0-9._-]*$',
  description: 'An entity reference, e.g. component:default/payments-api',
} as const;

export const userRef = {
  type: 'string',
  minLength: 3,
  maxLength: 255,
  pattern: '^user:([A-Za-z0-9][A-Za-z0-9._-]*/)?[A-Za-z0-9][A-Za-z0-9._@-]*$',
  description: 'A user entity reference, e.g. user:default/jane.doe',
} as const;

export const dateTime = { type: 'string', format: 'date-time' } as const;
export const id = {
  type: 'string',
  format: 'uuid',
} as const;
export const title = { type: 'string', minLength: 1, maxLength: 200 } as const;
export const longText = { type: 'string', maxLength: 10000 } as const;
export const severity = {
  type: 'string',
  pattern: '^[A-Za-z0-9_-]{1,32}$',
  description: 'One of the configured severity ids (GET /severities)',
} as const;
export const incidentStatus = {
  type: 'string',
  enum: ['open', 'investigating', 'mitigated', 'resolved'],
} as const;
export const drillKind = {
  type: 'string',
  enum: ['backup-restore', 'failover', 'rollback', 'other'],
} as const;
export const drillStatus = {
  type: 'string',
  enum: ['running', 'passed', 'failed', 'aborted'],
} as const;
export const drillStepStatus = {
  type: 'string',
  enum: ['running', 'succeeded', 'failed', 'skipped'],
} as const;
export const labels = {
  type: 'object',
  maxProperties: 32,
  propertyNames: { pattern: '^[A-Za-z0-9_./-]{1,63}$' },
  additionalProperties: { type: 'string', maxLength: 255 },
} as const;
export const url = {
  type: 'string',
  maxLength: 2048,
  pattern: '^https?://[^\\s]+$',
} as const;
export const seconds = {
  type: 'number',
  minimum: 0,
  maximum: 31536000,
} as const;
export const objectives = {
  type: 'object',
  additionalProperties: false,
  required: ['rtoSeconds', 'rpoSeconds'],
  properties: { rtoSeconds: seconds, rpoSeconds: seconds },
} as const;
export const verification = {
  type: 'array',
  maxItems: 1000,
  items: {
    type: 'object',
    additionalProperties: false,
    required: ['name', 'passed'],
    properties: {
      name: { type: 'string', minLength: 1, maxLength: 200 },
      passed: { type: 'boolean' },
      expected: { type: 'string', maxLength: 1000 },
      actual: { type: 'string', maxLength: 1000 },
    },
  },
} as const;

export const listQuery = (name: string, schema: object) =>
  ({
    name,
    in: 'query',
    required: false,
    // entity refs and times contain ':' and '/'; accept them unencoded too
    allowReserved: true,
    schema,
  } as const);

export const pageQuery = [
  listQuery('entityRef', entityRef),
  listQuery('from', dateTime),
  listQuery('to', dateTime),
  listQuery('cursor', {
    type: 'string',
    maxLength: 512,
    pattern: '^[A-Za-z0-9_-]+$',
  }),
  listQuery('limit', {
    type: 'string',
    pattern: '^(?:[1-9]\\d{0,1}|[1-4]\\d{2}|500)$',
    description: 'Page size, 1 to 500 (default 50)',
  }),
] as const;

export const pathId = {
  name: 'id',
  in: 'path',
  required: true,
  schema: id,
} as const;

export const jsonBody = (schema: object) =>
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
