import { UrlReaderService } from '@backstage/backend-plugin-api';
import { ReadinessCheck } from '@opsdeck/plugin-ops-node';
import {
  OPSDECK_ANNOTATIONS,
  parseRunbooksAnnotation,
} from '@opsdeck/plugin-ops-common';
import { parseAllDocuments } from 'yaml';
import { readEntityFile } from '../../shared/entityFiles';

async function sloAlertNames(
  entity: Parameters<ReadinessCheck['evaluate']>[0],
  urlReader: UrlReaderService,
): Promise<string[] | undefined> {
  const reference =
    entity.metadata.annotations?.[OPSDECK_ANNOTATIONS.openslo]?.trim();
  if (!reference) return undefined;
  const { text } = await readEntityFile(entity, reference, urlReader);
  const names = new Set<string>();
  for (const document of parseAllDocuments(text)) {
    const value = document.toJS() as {
      kind?: string;
      metadata?: { name?: string };
      spec?: { alertPolicies?: unknown[] };
    } | null;
    if (value?.kind === 'AlertPolicy' && value.metadata?.name) {
      names.add(value.metadata.name);
    }
    for (const policy of value?.spec?.alertPolicies ?? []) {
      const name =
        typeof policy === 'string'
          ? policy
          : (policy as { metadata?: { name?: string } })?.metadata?.name;
      if (name) names.add(name);
    }
  }
  return [...names];
}

/**
 * "Runbooks linked", live: the runbooks annotation parses, and every alert
 * of the entity's SLOs (OpenSLO alert policies) maps to a runbook page.
 */
export function createRunbooksCheck(options: {
  urlReader: UrlReaderService;
}): ReadinessCheck {
  return {
    id: 'runbooks',
    title: 'Runbooks linked',
    documentationAnchor: 'runbooks',
    async evaluate(entity) {
      const value = entity.metadata.annotations?.[OPSDECK_ANNOTATIONS.runbooks];
      const { runbooks, invalid } = parseRunbooksAnnotation(value);
      if (runbooks.length === 0 && invalid.length === 0) {
        return {
          status: 'missing',
          detail: `Add ${OPSDECK_ANNOTATIONS.runbooks} mapping alert names to TechDocs runbook pages.`,
        };
      }
      if (invalid.length > 0) {
        return {
          status: 'missing',
          detail: `${
            OPSDECK_ANNOTATIONS.runbooks
          } has entries that are not 'AlertName: page': ${invalid.join(', ')}`,
        };
      }
      const alerts = (await sloAlertNames(entity, options.urlReader)) ?? [];
      const mapped = new Set(runbooks.map(r => r.alert));
      const without = alerts.filter(alert => !mapped.has(alert));
      if (without.length > 0) {
        return {
          status: 'missing',
          detail: `SLO alerts without a runbook: ${without.join(', ')}`,
        };
      }
      return {
        status: 'present',
        detail: `${runbooks.length} alert${
          runbooks.length === 1 ? '' : 's'
        } mapped to TechDocs runbooks${
          alerts.length
            ? `; all ${alerts.length} SLO alert${
                alerts.length === 1 ? ' has' : 's have'
              } one`
            : ''
        }`,
      };
    },
  };
}
