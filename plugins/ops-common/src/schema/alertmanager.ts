// Alertmanager's webhook body, version 4, as the ops backend accepts it.
// Unknown extra fields are allowed. The TS type of the payload is generated
// from this schema (see ../client/types.ts), so the two cannot disagree.

/** The limits of a delivery: Alertmanager's, not those of OpsDeck records. */
const ALERTMANAGER_LIMITS = {
  mapEntries: 128,
  mapValueLength: 10_000,
  groupKeyLength: 4096,
  receiverLength: 255,
  externalUrlLength: 2048,
  alerts: 5000,
  timeLength: 64,
  generatorUrlLength: 4096,
  fingerprintLength: 64,
} as const;

const ALERT_STATUSES = ['firing', 'resolved'] as const;

const stringMap = {
  type: 'object',
  maxProperties: ALERTMANAGER_LIMITS.mapEntries,
  additionalProperties: {
    type: 'string',
    maxLength: ALERTMANAGER_LIMITS.mapValueLength,
  },
} as const;

const alertStatus = { type: 'string', enum: ALERT_STATUSES } as const;

export const alertmanagerPayload = {
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
    groupKey: {
      type: 'string',
      minLength: 1,
      maxLength: ALERTMANAGER_LIMITS.groupKeyLength,
    },
    truncatedAlerts: { type: 'integer', minimum: 0 },
    status: alertStatus,
    receiver: { type: 'string', maxLength: ALERTMANAGER_LIMITS.receiverLength },
    groupLabels: stringMap,
    commonLabels: stringMap,
    commonAnnotations: stringMap,
    externalURL: {
      type: 'string',
      maxLength: ALERTMANAGER_LIMITS.externalUrlLength,
    },
    alerts: {
      type: 'array',
      minItems: 1,
      maxItems: ALERTMANAGER_LIMITS.alerts,
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
          status: alertStatus,
          labels: stringMap,
          annotations: stringMap,
          startsAt: {
            type: 'string',
            maxLength: ALERTMANAGER_LIMITS.timeLength,
          },
          endsAt: { type: 'string', maxLength: ALERTMANAGER_LIMITS.timeLength },
          generatorURL: {
            type: 'string',
            maxLength: ALERTMANAGER_LIMITS.generatorUrlLength,
          },
          fingerprint: {
            type: 'string',
            minLength: 1,
            maxLength: ALERTMANAGER_LIMITS.fingerprintLength,
            pattern: '^[A-Za-z0-9]+$',
          },
        },
      },
    },
  },
} as const;

const alertmanagerResult = {
  type: 'object',
  additionalProperties: false,
  required: ['incidents', 'ignored'],
  properties: {
    incidents: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['id', 'entityRef', 'action'],
        properties: {
          id: { type: 'string' },
          entityRef: { type: 'string' },
          action: {
            type: 'string',
            enum: ['opened', 'updated', 'mitigated', 'unchanged'],
          },
        },
      },
    },
    ignored: { type: 'integer' },
  },
} as const;

export { alertmanagerResult };
