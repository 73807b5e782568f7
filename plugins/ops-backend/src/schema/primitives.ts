// Schema pieces shared by the OpenAPI paths of every feature.

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
export const ok = { description: 'OK' } as const;
export const responses = {
  '200': ok,
  '400': { description: 'Invalid request; the message names the field' },
  '401': { description: 'No valid credentials' },
  '403': { description: 'Not allowed' },
  '404': { description: 'Unknown record, or an entity the caller cannot read' },
} as const;
