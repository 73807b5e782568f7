import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { INCIDENT_STATUSES, RECORD_LIMITS } from '@opsdeck/plugin-ops-common';
import type { z as zod } from 'zod/v3';

// Schema pieces shared by the actions. Records are described by the fields an
// agent reasons with and passed through whole (passthrough), so an action
// returns exactly what the HTTP API does for the same record.

export const entityRefInput = (z: typeof zod) =>
  z
    .string()
    .min(1)
    .max(RECORD_LIMITS.refLength)
    // Agents say "payments-api": a component in the default namespace, as
    // the catalog's own short form means.
    .transform((ref, ctx) => {
      try {
        return stringifyEntityRef(
          parseEntityRef(ref, {
            defaultKind: 'component',
            defaultNamespace: 'default',
          }),
        );
      } catch (error) {
        ctx.addIssue({ code: 'custom', message: String(error) });
        return z.NEVER;
      }
    })
    .describe(
      'The service, as a catalog entity reference, e.g. component:default/payments-api; a bare name (payments-api) means a component in the default namespace',
    );

export const incidentOutput = (z: typeof zod) =>
  z
    .object({
      id: z.string().describe('Incident id (a UUID)'),
      entityRef: z.string(),
      title: z.string(),
      severity: z.string().describe('Severity level id, e.g. SEV1'),
      status: z.enum(INCIDENT_STATUSES),
      commander: z.string().optional(),
      summary: z.string().optional(),
      detectedAt: z.string(),
      mitigatedAt: z.string().optional(),
      resolvedAt: z.string().optional(),
      version: z
        .number()
        .describe('Incremented by every change to the incident'),
    })
    .passthrough();

export const incidentEventOutput = (z: typeof zod) =>
  z
    .object({
      id: z.string(),
      type: z
        .string()
        .describe('created, status-changed, updated, note or action'),
      message: z.string(),
      author: z.string().describe('Who wrote it: a user or a service'),
      createdAt: z.string(),
    })
    .passthrough();

export const drillOutput = (z: typeof zod) =>
  z
    .object({
      id: z.string(),
      entityRef: z.string(),
      kind: z.string().describe('backup-restore, failover, rollback or other'),
      target: z.string().describe('What was drilled, e.g. a database target'),
      status: z.string().describe('running, passed, failed or aborted'),
      startedAt: z.string(),
      finishedAt: z.string().optional(),
      rtoSeconds: z.number().optional().describe('Measured recovery time'),
      rpoSeconds: z
        .number()
        .optional()
        .describe('Measured data-loss exposure (age of the restored data)'),
      objectives: z
        .object({ rtoSeconds: z.number(), rpoSeconds: z.number() })
        .describe('The recovery objectives the drill was held to'),
    })
    .passthrough();

/** Any JSON object, as the HTTP API returns it. */
export const record = (z: typeof zod) => z.object({}).passthrough();
