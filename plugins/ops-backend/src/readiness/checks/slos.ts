import { stringifyEntityRef } from '@backstage/catalog-model';
import { OPSDECK_ANNOTATIONS } from '@opsdeck/plugin-ops-common';
import { ReadinessCheck } from '@opsdeck/plugin-ops-node';
import { SloService } from '../../slo/SloService';

/**
 * "SLOs defined", live: present only when the entity's SLO documents are
 * valid and every SLO evaluates on its Prometheus, so a checklist never
 * calls a service ready whose SLOs nobody can see.
 */
export function createSloCheck(options: { slos: SloService }): ReadinessCheck {
  return {
    id: 'slos',
    title: 'SLOs defined',
    documentationAnchor: 'openslo',
    async evaluate(entity, { credentials }) {
      const target =
        entity.metadata.annotations?.[OPSDECK_ANNOTATIONS.openslo]?.trim();
      if (!target) {
        return {
          status: 'missing',
          detail: `Add ${OPSDECK_ANNOTATIONS.openslo} pointing at the service's OpenSLO documents (availability, latency, error rate).`,
        };
      }
      const report = await options.slos.evaluate(
        stringifyEntityRef(entity),
        credentials,
      );
      if (report.error) {
        return {
          status: 'missing',
          detail: `SLO documents at ${target} are not evaluating: ${report.error}`,
        };
      }
      const problems = [
        ...(report.definitionErrors.length
          ? [`${report.definitionErrors.length} invalid in the documents`]
          : []),
        ...report.slos.filter(s => s.error).map(s => `${s.name}: ${s.error}`),
      ];
      if (report.slos.length === 0 || problems.length > 0) {
        return {
          status: 'missing',
          detail: `SLO documents at ${target} are not all evaluating: ${
            problems.join('; ') || 'no SLO found'
          }`,
        };
      }
      const count = report.slos.length;
      return {
        status: 'present',
        detail: `${count} SLO${
          count === 1 ? '' : 's'
        } defined and evaluating on Prometheus '${report.prometheus}'`,
      };
    },
  };
}
