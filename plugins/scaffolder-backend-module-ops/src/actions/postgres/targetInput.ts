import {
  DATABASES_CONFIG_KEY,
  OPSDECK_ANNOTATIONS,
} from '@opsdeck/plugin-ops-common';
import type { z as zod } from 'zod/v3';

/** The inputs that name the service and its database target, shared by the PostgreSQL actions. */
export const databaseTargetInput = {
  entityRef: (z: typeof zod) =>
    z.string({ description: 'The service, as an entity reference' }),
  target: (z: typeof zod) =>
    z
      .string({
        description: `The database target: one of the names in the entity annotation ${OPSDECK_ANNOTATIONS.databases}, configured under ${DATABASES_CONFIG_KEY}`,
      })
      .min(1),
};
