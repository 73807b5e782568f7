/**
 * Sloth `prometheus/v1` specs: one {@link SloDefinition} per SLO, counting
 * errors over total events in the window Sloth is run with.
 */
import { z } from 'zod';
import { formatPromDuration } from '../duration';
import type { SloDefinition } from '../model';
import { parsePromCounterQuery, PromCounterQuery } from '../selector';
import { Fail, nameSchema, optional, Path } from './common';
import type { DocumentContext } from './yamlDocuments';

/** Sloth's `--default-slo-period` unless set. */
export const SLOTH_DEFAULT_WINDOW = '30d';

export const slothSpecSchema = z.object({
  version: z.literal('prometheus/v1'),
  service: nameSchema,
  slos: z
    .array(
      z.object({
        name: nameSchema,
        description: z.string().optional(),
        objective: z.number(),
        sli: z.object({
          events: z
            .object({ error_query: z.string(), total_query: z.string() })
            .optional(),
          raw: z.unknown().optional(),
          plugin: z.unknown().optional(),
        }),
      }),
    )
    .min(1),
});

export function slothDefinitions(
  spec: z.infer<typeof slothSpecSchema>,
  context: DocumentContext,
  windowSeconds: number,
): SloDefinition[] {
  const definitions: SloDefinition[] = [];
  spec.slos.forEach((slo, index) => {
    const path: Path = ['slos', index];
    let ok = true;
    const fail = (p: Path, message: string) => {
      context.error(p, message);
      ok = false;
    };
    if (!(slo.objective > 0 && slo.objective < 100)) {
      fail(
        [...path, 'objective'],
        'must be a percentage strictly between 0 and 100, e.g. 99.9',
      );
    }
    if (
      slo.sli.raw !== undefined ||
      slo.sli.plugin !== undefined ||
      !slo.sli.events
    ) {
      fail(
        [...path, 'sli'],
        'OpsDeck reads sli.events (error_query and total_query); raw error ratio queries and plugins are not supported',
      );
    }
    const errors = slo.sli.events
      ? slothQuery(
          slo.sli.events.error_query,
          [...path, 'sli', 'events', 'error_query'],
          fail,
        )
      : undefined;
    const total = slo.sli.events
      ? slothQuery(
          slo.sli.events.total_query,
          [...path, 'sli', 'events', 'total_query'],
          fail,
        )
      : undefined;
    if (!ok || !errors || !total) {
      return;
    }
    definitions.push({
      name: slo.name,
      ...optional('description', slo.description),
      service: spec.service,
      objective: slo.objective / 100,
      window: formatPromDuration(windowSeconds),
      windowSeconds,
      budgetingMethod: 'Occurrences',
      indicator: { type: 'ratio', bad: errors.selector, total: total.selector },
      source: {
        format: 'sloth',
        file: context.file,
        documentIndex: context.documentIndex,
      },
    });
  });
  return definitions;
}

function slothQuery(
  text: string,
  path: Path,
  fail: Fail,
): PromCounterQuery | undefined {
  const parsed = parsePromCounterQuery(text);
  if (!parsed.ok) {
    fail(path, parsed.error);
    return undefined;
  }
  if (parsed.value.range !== '{{.window}}') {
    fail(
      path,
      'expected sum(rate(counter{...}[{{.window}}])): Sloth renders the query for every window through {{.window}}',
    );
    return undefined;
  }
  return parsed.value;
}
