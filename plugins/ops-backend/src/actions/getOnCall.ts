import { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import { InputError } from '@backstage/errors';
import { entityRefInput, record } from './schemas';
import { callerOf, OpsActionDeps } from './types';

/** `get-oncall`: who is on call for a service now and next, per level. */
export function registerGetOnCallAction(
  registry: ActionsRegistryService,
  deps: OpsActionDeps,
) {
  registry.register({
    name: 'get-oncall',
    title: 'Who is on call',
    description:
      'Returns who is on call for a service, per escalation level (primary, secondary, ...): the current shift and the next one, with contact details, from the service\'s on-call provider (OpsDeck schedules with overrides, or PagerDuty/Opsgenie modules). state "unavailable" means the provider could not be reached; messages say why.',
    attributes: { readOnly: true, idempotent: true, destructive: false },
    schema: {
      input: z =>
        z.object({
          entityRef: entityRefInput(z),
          at: z
            .string()
            .datetime({ offset: true })
            .optional()
            .describe(
              'ISO 8601 time to answer for instead of now, e.g. to see who covers tonight',
            ),
        }),
      output: z =>
        z
          .object({
            entityRef: z.string(),
            provider: z.string(),
            state: z.enum(['ok', 'unavailable']),
            messages: z.array(z.string()),
            levels: z
              .array(
                z
                  .object({
                    level: z.string(),
                    current: record(z).optional(),
                    next: record(z).optional(),
                  })
                  .passthrough(),
              )
              .describe('Each level with its current and next shift'),
          })
          .passthrough(),
    },
    examples: [
      {
        title: 'Who to page for payments-api right now',
        input: { entityRef: 'component:default/payments-api' },
      },
    ],
    action: async ({ input, credentials }) => {
      const caller = callerOf(credentials, deps);
      const at = input.at ? new Date(input.at) : undefined;
      if (at && Number.isNaN(at.getTime())) {
        throw new InputError(`Invalid at '${input.at}': not a time`);
      }
      const status = await deps.onCall.getOnCall(input.entityRef, caller, at);
      return {
        output: {
          ...status,
          levels: status.levels.map(({ level, current, next }) => ({
            level,
            current: current && { ...current },
            next: next && { ...next },
          })),
        },
      };
    },
  });
}
