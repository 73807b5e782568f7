// The OpenAPI document of /api/ops. Requests are validated against it before
// they reach a handler (createValidatedOpenApiRouter), so every limit a
// client must respect is written here once. Served at /api/ops/openapi.json.

const entityRef = {
  type: 'string',
  minLength: 3,
  maxLength: 255,
  // kind:namespace/name or kind:name, with Backstage's allowed characters
  pattern:
    '^[A-Za-z0-9][A-Za-z0-9._-]*:([A-Za-z0-9][A-Za-z0-9._-]*/)?[A-Za-z0-9][A-Za-z0-9._-]*$',
  description: 'An entity reference, e.g. component:default/payments-api',
} as const;

const userRef = {
  type: 'string',
  minLength: 3,
  maxLength: 255,
  pattern: '^user:([A-Za-z0-9][A-Za-z0-9._-]*/)?[A-Za-z0-9][A-Za-z0-9._@-]*$',
  description: 'A user entity reference, e.g. user:default/jane.doe',
} as const;

const dateTime = { type: 'string', format: 'date-time' } as const;
const id = {
  type: 'string',
  format: 'uuid',
} as const;
const title = { type: 'string', minLength: 1, maxLength: 200 } as const;
const longText = { type: 'string', maxLength: 10000 } as const;
const severity = {
  type: 'string',
  pattern: '^[A-Za-z0-9_-]{1,32}$',
  description: 'One of the configured severity ids (GET /severities)',
} as const;
const incidentStatus = {
  type: 'string',
  enum: ['open', 'investigating', 'mitigated', 'resolved'],
} as const;
const drillKind = {
  type: 'string',
  enum: ['backup-restore', 'failover', 'rollback', 'other'],
} as const;
const drillStatus = {
  type: 'string',
  enum: ['running', 'passed', 'failed', 'aborted'],
} as const;
const drillStepStatus = {
  type: 'string',
  enum: ['running', 'succeeded', 'failed', 'skipped'],
} as const;
const labels = {
  type: 'object',
  maxProperties: 32,
  propertyNames: { pattern: '^[A-Za-z0-9_./-]{1,63}$' },
  additionalProperties: { type: 'string', maxLength: 255 },
} as const;
const url = {
  type: 'string',
  maxLength: 2048,
  pattern: '^https?://[^\\s]+$',
} as const;
const seconds = { type: 'number', minimum: 0, maximum: 31536000 } as const;
const objectives = {
  type: 'object',
  additionalProperties: false,
  required: ['rtoSeconds', 'rpoSeconds'],
  properties: { rtoSeconds: seconds, rpoSeconds: seconds },
} as const;
const verification = {
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

const listQuery = (name: string, schema: object) =>
  ({
    name,
    in: 'query',
    required: false,
    // entity refs and times contain ':' and '/'; accept them unencoded too
    allowReserved: true,
    schema,
  } as const);

const pageQuery = [
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

const pathId = { name: 'id', in: 'path', required: true, schema: id } as const;

const jsonBody = (schema: object) =>
  ({
    required: true,
    content: { 'application/json': { schema } },
  } as const);

const ok = { description: 'OK' } as const;
const responses = {
  '200': ok,
  '400': { description: 'Invalid request; the message names the field' },
  '401': { description: 'No valid credentials' },
  '403': { description: 'Not allowed' },
  '404': { description: 'Unknown record, or an entity the caller cannot read' },
} as const;

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
  },
} as const;
