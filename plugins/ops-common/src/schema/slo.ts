// The OpenAPI paths of the SLO endpoints, spread into the OpenAPI document
// of /api/ops.

import { RECORD_LIMITS } from '../limits';
import {
  entityRef as entityRefSchema,
  listQuery,
  responses,
} from './fragments';

/** An SLO name as ops-common normalizes it: a Prometheus label value. */
const sloName = {
  type: 'string',
  minLength: 1,
  maxLength: RECORD_LIMITS.sloNameLength,
  pattern: '^[A-Za-z0-9][A-Za-z0-9._:-]*$',
} as const;

const entityRef = listQuery('entityRef', entityRefSchema, true);
const at = listQuery('at', {
  type: 'string',
  format: 'date-time',
  description:
    'Evaluate as of this instant instead of now (for a postmortem, or a test)',
} as const);

export const sloPaths = {
  '/slos': {
    get: {
      operationId: 'ListSlos',
      description:
        "The entity's SLOs evaluated on its Prometheus: SLI, error budget, burn rates, alert state. Problems with a document or with Prometheus are returned per SLO, not as an HTTP error.",
      parameters: [entityRef, at],
      responses,
    },
  },
  '/slos/rules': {
    get: {
      operationId: 'GetSloRules',
      description:
        'A Prometheus rule file (recording rules and multi-window multi-burn-rate alerts) for the SLOs of the entity, as YAML',
      parameters: [entityRef],
      responses,
    },
  },
  '/slos/history': {
    get: {
      operationId: 'GetSloHistory',
      description:
        'The remaining error budget of one SLO over its window, from a Prometheus range query',
      parameters: [entityRef, listQuery('slo', sloName, true), at],
      responses,
    },
  },
} as const;
