import { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import { INCIDENT_STATUSES, RECORD_LIMITS } from '@opsdeck/plugin-ops-common';
import { entityRefInput, incidentOutput } from './schemas';
import { callerOf, OpsActionDeps } from './types';

/** `list-incidents`: the incidents the caller may read, newest first. */
export function registerListIncidentsAction(
  registry: ActionsRegistryService,
  deps: OpsActionDeps,
) {
  registry.register({
    name: 'list-incidents',
    title: 'List incidents',
    description:
      'Lists OpsDeck incidents, newest detected first, optionally of one service, by status and severity. Use it to answer "what is on fire" (status open, investigating) or to find an incident id for get-incident. Only incidents of services the caller may read in the catalog are returned.',
    attributes: { readOnly: true, idempotent: true, destructive: false },
    schema: {
      input: z =>
        z.object({
          entityRef: entityRefInput(z).optional(),
          status: z
            .array(z.enum(INCIDENT_STATUSES))
            .max(RECORD_LIMITS.statusFilterValues)
            .optional()
            .describe(
              'Only these statuses; open and investigating are the unresolved ones not yet mitigated',
            ),
          severity: z
            .array(z.string().max(RECORD_LIMITS.severityIdLength))
            .max(RECORD_LIMITS.severityFilterValues)
            .optional()
            .describe('Only these severity ids, e.g. ["SEV1", "SEV2"]'),
          limit: z
            .number()
            .int()
            .min(1)
            .max(100)
            .optional()
            .describe('How many incidents to return (default 20)'),
          cursor: z
            .string()
            .max(RECORD_LIMITS.cursorLength)
            .optional()
            .describe('nextCursor of the previous call, for the next page'),
        }),
      output: z =>
        z.object({
          items: z.array(incidentOutput(z)),
          nextCursor: z
            .string()
            .optional()
            .describe('Pass back as cursor for older incidents'),
        }),
    },
    examples: [
      {
        title: 'Unresolved incidents of payments-api',
        input: {
          entityRef: 'component:default/payments-api',
          status: ['open', 'investigating', 'mitigated'],
        },
      },
    ],
    action: async ({ input, credentials }) => {
      const caller = callerOf(credentials, deps);
      const page = await deps.audited(
        {
          eventId: 'incident-fetch',
          meta: { queryType: 'list', entityRef: input.entityRef ?? null },
          credentials: caller,
          severityLevel: 'low',
        },
        () =>
          deps.incidents.list(
            {
              entityRef: input.entityRef,
              status: input.status,
              severity: input.severity,
              limit: input.limit ?? 20,
              cursor: input.cursor,
            },
            caller,
          ),
      );
      return {
        output: {
          items: page.items.map(incident => ({ ...incident })),
          nextCursor: page.nextCursor,
        },
      };
    },
  });
}
