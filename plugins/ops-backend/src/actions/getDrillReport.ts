import { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import { InputError, NotFoundError } from '@backstage/errors';
import { Drill, DRILL_KINDS, RECORD_LIMITS } from '@opsdeck/plugin-ops-common';
import { objectivesVerdict, objectivesVerdictOutput } from './drillObjectives';
import { drillOutput, entityRefInput } from './schemas';
import { callerOf, OpsActionDeps } from './types';

/** `get-drill-report`: a drill by id, or the newest of a service (and target). */
export function registerGetDrillReportAction(
  registry: ActionsRegistryService,
  deps: OpsActionDeps,
) {
  registry.register({
    name: 'get-drill-report',
    title: 'Get a drill report',
    description:
      'Returns an OpsDeck drill (backup-restore drill, failover or rollback) with its steps, verification results, measured RTO/RPO against the objectives and the Markdown report. Give the drill id, or an entityRef (optionally a target and a kind) for the newest drill, e.g. "when was the last restore drill of payments-db and did it pass".',
    attributes: { readOnly: true, idempotent: true, destructive: false },
    schema: {
      input: z =>
        z.object({
          id: z
            .string()
            .uuid()
            .optional()
            .describe('The drill id; or leave out and give entityRef'),
          entityRef: entityRefInput(z)
            .optional()
            .describe(
              'The service whose newest drill to return, when no id is given',
            ),
          target: z
            .string()
            .max(RECORD_LIMITS.titleLength)
            .optional()
            .describe('Only drills of this target, e.g. payments-db'),
          kind: z
            .enum(DRILL_KINDS)
            .optional()
            .describe('Only drills of this kind, e.g. backup-restore'),
        }),
      output: z =>
        z.object({
          drill: drillOutput(z),
          objectives: objectivesVerdictOutput(z),
        }),
    },
    examples: [
      {
        title: 'The newest backup-restore drill of payments-db',
        input: {
          entityRef: 'component:default/payments-api',
          target: 'payments-db',
          kind: 'backup-restore',
        },
      },
      {
        title: 'A drill by id',
        input: { id: '0b6f9a4e-2c1d-4e8f-9a7b-3c5d6e7f8a9b' },
      },
    ],
    action: async ({ input, credentials }) => {
      const caller = callerOf(credentials, deps);
      const drill = await deps.audited(
        {
          eventId: 'drill-fetch',
          meta: {
            queryType: input.id ? 'by-id' : 'newest',
            id: input.id ?? null,
            entityRef: input.entityRef ?? null,
          },
          credentials: caller,
          severityLevel: 'low',
        },
        async (): Promise<Drill> => {
          if (input.id) {
            return deps.drills.get(input.id, caller);
          }
          if (!input.entityRef) {
            throw new InputError(
              'get-drill-report needs either id or entityRef (with an optional target and kind)',
            );
          }
          return newestDrill(deps, caller, {
            entityRef: input.entityRef,
            target: input.target,
            kind: input.kind,
          });
        },
      );
      return {
        output: { drill: { ...drill }, objectives: objectivesVerdict(drill) },
      };
    },
  });
}

const PAGE_SIZE = 100;
/** How far back a target's newest drill is looked for, in pages. */
const MAX_PAGES = 10;

async function newestDrill(
  deps: OpsActionDeps,
  caller: Parameters<OpsActionDeps['drills']['list']>[1],
  query: { entityRef: string; target?: string; kind?: Drill['kind'] },
): Promise<Drill> {
  let cursor: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const found = await deps.drills.list(
      {
        entityRef: query.entityRef,
        kind: query.kind ? [query.kind] : undefined,
        limit: PAGE_SIZE,
        cursor,
      },
      caller,
    );
    const drill = found.items.find(
      d => query.target === undefined || d.target === query.target,
    );
    if (drill) return drill;
    cursor = found.nextCursor;
    if (!cursor) break;
  }
  const what = query.kind ? `${query.kind} drill` : 'drill';
  const on = query.target ? ` on target ${query.target}` : '';
  throw new NotFoundError(`No ${what} of ${query.entityRef}${on} found`);
}
