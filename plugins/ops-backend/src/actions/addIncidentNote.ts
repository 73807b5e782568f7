import { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import { RECORD_LIMITS } from '@opsdeck/plugin-ops-common';
import { incidentEventOutput } from './schemas';
import { callerOf, OpsActionDeps } from './types';

/**
 * `add-incident-note`: appends a note (or an action taken) to an incident's
 * timeline as the caller, under the HTTP API's ownership rule; audited.
 */
export function registerAddIncidentNoteAction(
  registry: ActionsRegistryService,
  deps: OpsActionDeps,
) {
  registry.register({
    name: 'add-incident-note',
    title: 'Add a note to an incident',
    description:
      'Appends an entry to an OpsDeck incident\'s timeline as the calling user: a "note" (a finding, a status update for stakeholders) or an "action" (something done, e.g. "rolled back to 1.4.1"). The timeline is append-only. Only the service\'s owners and OpsDeck admins may write; others are refused. Find the incident id with list-incidents.',
    attributes: { readOnly: false, idempotent: false, destructive: false },
    schema: {
      input: z =>
        z.object({
          incidentId: z.string().uuid().describe('The incident id'),
          message: z
            .string()
            .min(1)
            .max(RECORD_LIMITS.textLength)
            .describe('The note, in plain words'),
          type: z
            .enum(['note', 'action'])
            .optional()
            .describe('note (default) or action: something that was done'),
        }),
      output: z => z.object({ event: incidentEventOutput(z) }),
    },
    examples: [
      {
        title: 'Record a finding',
        input: {
          incidentId: '7d9b3c52-4e0a-4f7e-9a59-0f1e2d3c4b5a',
          message:
            'Errors started with deploy 1.4.2; connection pool exhausted',
        },
      },
    ],
    action: async ({ input, credentials }) => {
      const caller = callerOf(credentials, deps);
      const type = input.type ?? 'note';
      const event = await deps.audited(
        {
          eventId: 'incident-event-append',
          meta: { incidentId: input.incidentId, type },
          credentials: caller,
          severityLevel: 'low',
        },
        () =>
          deps.incidents.appendEvent(
            input.incidentId,
            { type, message: input.message },
            caller,
          ),
      );
      return { output: { event: { ...event } } };
    },
  });
}
