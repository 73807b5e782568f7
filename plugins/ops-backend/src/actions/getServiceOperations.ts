import { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import { objectivesVerdictOutput } from './drillObjectives';
import { entityRefInput, incidentOutput, record } from './schemas';
import { readServiceOperations } from './serviceOperations';
import { callerOf, OpsActionDeps } from './types';

/** `get-service-operations`: the operational state of one service at once. */
export function registerGetServiceOperationsAction(
  registry: ActionsRegistryService,
  deps: OpsActionDeps,
) {
  registry.register({
    name: 'get-service-operations',
    title: 'Operational state of a service',
    description:
      'One call for "how is this service doing": production readiness checklist, SLOs with error budget left and burn rates, unresolved incidents, who is on call now and next, the newest backup-restore drill of each database target with measured RTO/RPO against the objectives, the last deployment, and the DORA keys of the last 90 days. The same facts as the service\'s Operations tab in Backstage. Start here, then use get-incident, get-drill-report or get-oncall for details.',
    attributes: { readOnly: true, idempotent: true, destructive: false },
    schema: {
      input: z => z.object({ entityRef: entityRefInput(z) }),
      output: z =>
        z.object({
          entityRef: z.string(),
          readiness: record(z).describe(
            'Readiness checklist: each check present or missing, with what to fix',
          ),
          slos: record(z).describe(
            'Each SLO: objective, SLI, error budget remaining and burn rate per window; errors as data',
          ),
          openIncidents: z
            .array(incidentOutput(z))
            .describe('Incidents open, investigating or mitigated'),
          onCall: record(z).describe(
            'On call per level: current and next shift',
          ),
          lastDrills: z
            .array(
              z.object({
                target: z.string().describe('Database target'),
                drillId: z.string().optional(),
                status: z.string().optional(),
                startedAt: z.string().optional(),
                finishedAt: z.string().optional(),
                rtoSeconds: z.number().optional(),
                rpoSeconds: z.number().optional(),
                objectives: z
                  .object({ rtoSeconds: z.number(), rpoSeconds: z.number() })
                  .optional(),
                verdict: objectivesVerdictOutput(z).optional(),
              }),
            )
            .describe(
              'Newest backup-restore drill per database target; only target when none was found',
            ),
          lastDeployment: record(z).optional(),
          dora: record(z).describe(
            'Deployment frequency, lead time, change failure rate, time to restore',
          ),
        }),
    },
    examples: [
      {
        title: 'Is payments-api healthy, and who is on call',
        input: { entityRef: 'component:default/payments-api' },
      },
    ],
    action: async ({ input, credentials }) => {
      const caller = callerOf(credentials, deps);
      const output = await deps.audited(
        {
          eventId: 'service-operations-fetch',
          meta: { entityRef: input.entityRef },
          credentials: caller,
          severityLevel: 'low',
        },
        () => readServiceOperations(deps, input.entityRef, caller),
      );
      return { output };
    },
  });
}
