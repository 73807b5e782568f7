import { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import { RECORD_LIMITS } from '@opsdeck/plugin-ops-common';
import { entityRefInput, incidentOutput } from './schemas';
import { callerOf, OpsActionDeps } from './types';

/**
 * `declare-incident`: opens an incident as the caller, under the HTTP API's
 * rule: the permission policy decides ops.incident.write on the service
 * (its owners and OpsDeck admins), and the declaration is audited.
 */
export function registerDeclareIncidentAction(
  registry: ActionsRegistryService,
  deps: OpsActionDeps,
) {
  const severities = deps.incidents.severities;
  const severityHelp = severities
    .map(level => `${level.id} (${level.title})`)
    .join(', ');
  registry.register({
    name: 'declare-incident',
    title: 'Declare an incident',
    description: `Declares an OpsDeck incident on a service, as the calling user: it appears on the service's Operations tab and notifies its owners and the person on call. Only the service's owners and OpsDeck admins may declare one; others are refused. Check list-incidents first: do not declare a second incident for the same problem, add a note to it with add-incident-note. Severities: ${severityHelp}.`,
    attributes: { readOnly: false, idempotent: false, destructive: false },
    schema: {
      input: z =>
        z.object({
          entityRef: entityRefInput(z),
          title: z
            .string()
            .min(1)
            .max(RECORD_LIMITS.titleLength)
            .describe(
              'What users notice, short, e.g. "Checkout returns 502 for card payments"',
            ),
          severity: z
            .string()
            .max(RECORD_LIMITS.severityIdLength)
            .describe(`One of the severity ids: ${severityHelp}`),
          summary: z
            .string()
            .max(RECORD_LIMITS.textLength)
            .optional()
            .describe('What is known: impact, since when, suspected cause'),
          commander: z
            .string()
            .max(RECORD_LIMITS.refLength)
            .optional()
            .describe(
              'The incident commander, as a user entity reference, e.g. user:default/jane',
            ),
          detectedAt: z
            .string()
            .datetime({ offset: true })
            .optional()
            .describe('When the problem was detected (ISO 8601); default now'),
        }),
      output: z => z.object({ incident: incidentOutput(z) }),
    },
    examples: [
      {
        title: 'Declare a SEV2 on payments-api',
        input: {
          entityRef: 'component:default/payments-api',
          title: 'Checkout returns 502 for card payments',
          severity: severities[1]?.id ?? 'SEV2',
          summary: 'Error rate 12% since 14:05 UTC, after deploy 1.4.2',
        },
      },
    ],
    action: async ({ input, credentials }) => {
      const caller = callerOf(credentials, deps);
      const incident = await deps.audited(
        {
          eventId: 'incident-create',
          meta: { entityRef: input.entityRef, severity: input.severity },
          credentials: caller,
          severityLevel:
            input.severity === severities[0]?.id ? 'high' : 'medium',
        },
        () => deps.incidents.create(input, caller),
      );
      return { output: { incident: { ...incident } } };
    },
  });
}
