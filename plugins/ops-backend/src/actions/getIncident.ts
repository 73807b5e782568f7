import { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import { incidentEventOutput, incidentOutput } from './schemas';
import { callerOf, OpsActionDeps } from './types';

/** The timeline entries one call returns: a page of the HTTP API. */
const TIMELINE_LIMIT = 100;

/** `get-incident`: one incident with its timeline. */
export function registerGetIncidentAction(
  registry: ActionsRegistryService,
  deps: OpsActionDeps,
) {
  registry.register({
    name: 'get-incident',
    title: 'Get an incident with its timeline',
    description:
      'Returns one OpsDeck incident (status, severity, commander, summary, times) and its timeline (declared, status changes, notes, actions taken), oldest entry first. Find ids with list-incidents or get-service-operations.',
    attributes: { readOnly: true, idempotent: true, destructive: false },
    schema: {
      input: z =>
        z.object({
          id: z.string().uuid().describe('The incident id'),
        }),
      output: z =>
        z.object({
          incident: incidentOutput(z),
          timeline: z
            .array(incidentEventOutput(z))
            .describe(`The latest ${TIMELINE_LIMIT} entries, oldest first`),
          timelineTruncated: z
            .boolean()
            .describe('True when older entries were left out'),
        }),
    },
    examples: [
      {
        title: 'An incident and what happened so far',
        input: { id: '7d9b3c52-4e0a-4f7e-9a59-0f1e2d3c4b5a' },
      },
    ],
    action: async ({ input, credentials }) => {
      const caller = callerOf(credentials, deps);
      return deps.audited(
        {
          eventId: 'incident-fetch',
          meta: { queryType: 'by-id', id: input.id },
          credentials: caller,
          severityLevel: 'low',
        },
        async () => {
          const incident = await deps.incidents.get(input.id, caller);
          const events = await deps.incidents.listEvents(
            input.id,
            { limit: TIMELINE_LIMIT },
            caller,
          );
          return {
            output: {
              incident: { ...incident },
              timeline: events.items.map(event => ({ ...event })),
              timelineTruncated: events.nextCursor !== undefined,
            },
          };
        },
      );
    },
  });
}
