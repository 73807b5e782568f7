import { Entity } from '@backstage/catalog-model';
import { OPSDECK_ANNOTATIONS, SloDefinition } from '@opsdeck/plugin-ops-common';

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
  const annotation =
    entity.metadata.annotations?.[OPSDECK_ANNOTATIONS.runbooks]?.trim();
  if (!annotation) return undefined;
  const entries = annotation
    .split(',')
    .map(entry => {
      const colon = entry.indexOf(':');
      return colon < 0
        ? undefined
        : {
            alert: entry.slice(0, colon).trim(),
            page: entry
              .slice(colon + 1)
              .trim()
              .replace(/^\/+/, ''),
          };
    })
    .filter((e): e is { alert: string; page: string } => !!e?.alert && !!e.page)
    // A page is a path inside the docs, never a way out of them.
    .filter(e => /^[A-Za-z0-9._/-]+$/.test(e.page) && !e.page.includes('..'));
  const preferred = slo.indicator.type === 'latency' ? /latency/i : /error/i;
  const chosen =
    entries.find(e => e.alert === slo.name) ??
    entries.find(e => preferred.test(e.alert)) ??
    entries[0];
  if (!chosen) return undefined;
  const namespace = entity.metadata.namespace ?? 'default';
  return `${appBaseUrl.replace(/\/+$/, '')}/docs/${encodeURIComponent(
    namespace,
  )}/${encodeURIComponent(
    entity.kind.toLocaleLowerCase('en-US'),
  )}/${encodeURIComponent(entity.metadata.name)}/${chosen.page}/`;
}
