import { InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { OPSDECK_ANNOTATIONS } from '@opsdeck/plugin-ops-common';
import { OpsService } from '@opsdeck/plugin-ops-node';

/**
 * Creates the `ops:slo:check-budget` action: the error-budget gate. It fails
 * a template (typically a deploy) when an SLO of the service has less error
 * budget left than the threshold, so releases freeze on an exhausted budget
 * as the SRE workbook's error budget policy asks.
 *
 * An SLO that cannot be evaluated (Prometheus down, invalid document) fails
 * the gate too, unless `allowUnknown` is set: a gate that opens whenever
 * monitoring is down would open exactly when it matters.
 *
 * @public
 */
export function createSloCheckBudgetAction(options: {
  opsClient: Pick<OpsService, 'getSlos'>;
}) {
  const { opsClient } = options;
  return createTemplateAction({
    id: 'ops:slo:check-budget',
    description:
      'Fails when an SLO of the service has less remaining error budget than a threshold (error-budget freeze)',
    examples: [
      {
        description:
          'Freeze deploys of payments-api while less than 10 % of its budget is left',
        example: `steps:
  - id: budget
    name: Check the error budget
    action: ops:slo:check-budget
    input:
      entityRef: component:default/payments-api
      minRemainingPercent: 10`,
      },
    ],
    supportsDryRun: true,
    schema: {
      input: {
        entityRef: z =>
          z.string({ description: 'The service, as an entity reference' }),
        minRemainingPercent: z =>
          z
            .number({
              description:
                'Fail when an SLO has less than this percentage of its error budget left (default 0: fail only when exhausted)',
            })
            .min(-1000)
            .max(100)
            .optional(),
        slos: z =>
          z
            .array(z.string(), {
              description:
                'Names of the SLOs to check; all SLOs of the service when omitted or empty',
            })
            .optional(),
        allowUnknown: z =>
          z
            .boolean({
              description:
                'Pass SLOs that cannot be evaluated (Prometheus unavailable, invalid document) instead of failing',
            })
            .optional(),
      },
      output: {
        lowestRemainingPercent: z =>
          z
            .number({
              description:
                'The lowest remaining error budget among the checked SLOs, in percent',
            })
            .optional(),
        remainingPercent: z =>
          z.record(z.string(), z.number(), {
            description: 'Remaining error budget per SLO, in percent',
          }),
      },
    },
    // Read-only, so a dry run checks for real.
    async handler(ctx) {
      const threshold = ctx.input.minRemainingPercent ?? 0;
      const report = await opsClient.getSlos(
        { entityRef: ctx.input.entityRef },
        { credentials: await ctx.getInitiatorCredentials() },
      );
      const wanted = ctx.input.slos?.length
        ? new Set(ctx.input.slos)
        : undefined;
      if (wanted) {
        const known = new Set(report.slos.map(s => s.name));
        const unknown = [...wanted].filter(name => !known.has(name));
        if (unknown.length > 0) {
          throw new InputError(
            `Unknown SLO(s) ${unknown.join(', ')} of ${
              report.entityRef
            }; it has ${[...known].join(', ') || 'none'}`,
          );
        }
      }
      const checked = report.slos.filter(s => !wanted || wanted.has(s.name));

      const problems: string[] = [];
      if (report.error) problems.push(report.error);
      if (!wanted) {
        problems.push(
          ...report.definitionErrors.map(
            e => `${e.file} ${e.path}: ${e.message}`,
          ),
        );
      }
      if (checked.length === 0 && problems.length === 0) {
        throw new InputError(
          `${report.entityRef} has no SLO to check; add the ${OPSDECK_ANNOTATIONS.openslo} annotation`,
        );
      }

      const remainingPercent: Record<string, number> = {};
      const below: string[] = [];
      for (const slo of checked) {
        if (slo.error || !slo.errorBudget) {
          problems.push(`${slo.name}: ${slo.error ?? 'not evaluated'}`);
          continue;
        }
        const percent = slo.errorBudget.remainingRatio * 100;
        remainingPercent[slo.name] = percent;
        const ok = percent >= threshold;
        ctx.logger.info(
          `${ok ? '✔' : '✘'} ${slo.displayName}: ${percent.toFixed(
            1,
          )} % of the error budget left (${slo.errorBudget.remainingMinutes.toFixed(
            1,
          )} min), threshold ${threshold} %`,
        );
        if (!ok) {
          below.push(
            `${slo.name} has ${percent.toFixed(1)} % left (< ${threshold} %)`,
          );
        }
      }
      const values = Object.values(remainingPercent);
      if (values.length > 0) {
        ctx.output('lowestRemainingPercent', Math.min(...values));
      }
      ctx.output('remainingPercent', remainingPercent);

      for (const problem of problems) {
        ctx.logger.warn(`? ${problem}`);
      }
      if (below.length > 0) {
        throw new Error(
          `Error budget of ${
            report.entityRef
          } is below the threshold: ${below.join('; ')}`,
        );
      }
      if (problems.length > 0 && !ctx.input.allowUnknown) {
        throw new Error(
          `Cannot check the error budget of ${
            report.entityRef
          }: ${problems.join('; ')} (set allowUnknown to pass anyway)`,
        );
      }
    },
  });
}
