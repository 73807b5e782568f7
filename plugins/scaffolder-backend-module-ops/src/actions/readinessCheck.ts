import { InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { OpsService } from '@opsdeck/plugin-ops-node';

/**
 * Creates the `ops:readiness:check` action: fails a template when a service
 * lacks items of the operational readiness checklist, so templates that take
 * a service to production can require SLOs, runbooks, on-call and the rest.
 *
 * @public
 */
export function createReadinessCheckAction(options: {
  opsClient: Pick<OpsService, 'getReadiness'>;
}) {
  const { opsClient } = options;
  return createTemplateAction({
    id: 'ops:readiness:check',
    description:
      'Checks the operational readiness of a service and fails when required items are missing',
    examples: [
      {
        description: 'Require SLOs, runbooks and on-call before going live',
        example: `steps:
  - id: readiness
    name: Check operational readiness
    action: ops:readiness:check
    input:
      entityRef: component:default/payments-api
      require: [slos, runbooks, oncall]`,
      },
    ],
    supportsDryRun: true,
    schema: {
      input: {
        entityRef: z =>
          z.string({ description: 'The service, as an entity reference' }),
        require: z =>
          z
            .array(z.string(), {
              description:
                'Ids of the items that must be present (slos, runbooks, oncall, dashboards, rollback, databases); all items when omitted or empty',
            })
            .optional(),
      },
      output: {
        present: z => z.number({ description: 'Items present' }),
        total: z => z.number({ description: 'Items in the checklist' }),
        missing: z =>
          z.array(z.string(), { description: 'Ids of the missing items' }),
      },
    },
    // Read-only, so a dry run checks for real.
    async handler(ctx) {
      const report = await opsClient.getReadiness(
        { entityRef: ctx.input.entityRef },
        { credentials: await ctx.getInitiatorCredentials() },
      );

      const knownIds = new Set(report.items.map(item => item.id));
      const unknown = (ctx.input.require ?? []).filter(id => !knownIds.has(id));
      if (unknown.length > 0) {
        throw new InputError(
          `Unknown readiness item(s) ${unknown.join(
            ', ',
          )}; the checklist has ${[...knownIds].join(', ')}`,
        );
      }

      // An empty list means the same as none: a gate that requires nothing
      // would pass every service, which is never what a template author wants.
      const required = ctx.input.require?.length
        ? new Set(ctx.input.require)
        : knownIds;
      for (const item of report.items) {
        ctx.logger.info(
          `${item.status === 'present' ? '✔' : '✘'} ${item.title}: ${
            item.detail
          }`,
        );
      }
      const missing = report.items.filter(item => item.status === 'missing');
      ctx.output('present', report.present);
      ctx.output('total', report.total);
      ctx.output(
        'missing',
        missing.map(item => item.id),
      );

      const blocking = missing.filter(item => required.has(item.id));
      if (blocking.length > 0) {
        throw new Error(
          `${report.entityRef} is not ready: missing ${blocking
            .map(item => `${item.title} (${item.documentationUrl})`)
            .join('; ')}`,
        );
      }
    },
  });
}
