import { Entity } from '@backstage/catalog-model';
import {
  OPSDECK_ANNOTATIONS,
  parseRunbooksAnnotation,
  runbookForAlert,
  SloDefinition,
} from '@opsdeck/plugin-ops-common';

/**
 * The TechDocs runbook the alerts of an SLO link to (`runbook_url`), from
 * the entity's `opsdeck.dev/runbooks` map of alert names to pages: the page
 * of an alert named after the SLO, else the one about latency (latency SLOs)
 * or errors (the others), else the first listed.
 */
export function runbookUrlFor(
  entity: Entity,
  slo: SloDefinition,
  appBaseUrl: string,
): string | undefined {
  const { runbooks } = parseRunbooksAnnotation(
    entity.metadata.annotations?.[OPSDECK_ANNOTATIONS.runbooks],
  );
  const preferred = slo.indicator.type === 'latency' ? /latency/i : /error/i;
  const chosen =
    runbooks.find(r => r.alert === slo.name) ??
    runbooks.find(r => preferred.test(r.alert)) ??
    runbooks[0];
  return chosen && runbookForAlert(entity, chosen.alert, appBaseUrl)?.url;
}
