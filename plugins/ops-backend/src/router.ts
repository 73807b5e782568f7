import { HttpAuthService } from '@backstage/backend-plugin-api';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import express from 'express';
import Router from 'express-promise-router';
import { z } from 'zod/v3';
import { ReadinessService } from './services/readiness/ReadinessService';

const entityRefSchema = z
  .string({ required_error: 'entityRef is required' })
  .max(512, 'entityRef must be at most 512 characters')
  .transform((value, ctx) => {
    try {
      return stringifyEntityRef(parseEntityRef(value));
    } catch (error) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        message: `entityRef '${value}' is not a valid entity reference (kind:namespace/name): ${
          (error as Error).message
        }`,
      });
      return z.NEVER;
    }
  });

const readinessQuerySchema = z.object({ entityRef: entityRefSchema }).strict();

function parseInput<T>(
  schema: z.ZodType<T, z.ZodTypeDef, unknown>,
  input: unknown,
): T {
  const parsed = schema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue.path.join('.');
    throw new InputError(
      issue.code === z.ZodIssueCode.unrecognized_keys
        ? `Unknown parameter(s): ${issue.keys.join(', ')}`
        : `Invalid ${field || 'request'}: ${issue.message}`,
    );
  }
  return parsed.data;
}

export async function createRouter(options: {
  httpAuth: HttpAuthService;
  readiness: ReadinessService;
}): Promise<express.Router> {
  const { httpAuth, readiness } = options;
  const router = Router();
  router.use(express.json());

  router.get('/readiness', async (req, res) => {
    const { entityRef } = parseInput(readinessQuerySchema, req.query);
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    res.json(await readiness.getReadiness(entityRef, { credentials }));
  });

  return router;
}
