import { Entity } from '@backstage/catalog-model';
import { ReadinessCheck } from '@opsdeck/plugin-ops-node';
import {
  ECOSYSTEM_ANNOTATIONS,
  OPSDECK_ANNOTATIONS,
} from '@opsdeck/plugin-ops-common';

function annotation(entity: Entity, name: string): string | undefined {
  const value = entity.metadata.annotations?.[name]?.trim();
  return value ? value : undefined;
}

function annotationCheck(options: {
  id: string;
  title: string;
  documentationAnchor: string;
  /** Annotations any one of which puts the item in place. */
  annotations: string[];
  present: (found: { annotation: string; value: string }) => string;
  missing: string;
}): ReadinessCheck {
  return {
    id: options.id,
    title: options.title,
    documentationAnchor: options.documentationAnchor,
    async evaluate(entity) {
      for (const name of options.annotations) {
        const value = annotation(entity, name);
        if (value) {
          return {
            status: 'present',
            detail: options.present({ annotation: name, value }),
          };
        }
      }
      return { status: 'missing', detail: options.missing };
    },
  };
}

/**
 * The checklist of the operations manuals (the SLO item, which evaluates
 * the SLOs, is in sloCheck.ts; the database item, which needs the drill
 * records, in drillCheck.ts) (monitoring and alerting
 * configured, runbooks, on-call rotation, dashboards, rollback plan, backup
 * and recovery procedures), read from the entity's annotations.
 */
export const annotationChecks: ReadinessCheck[] = [
  annotationCheck({
    id: 'runbooks',
    title: 'Runbooks linked',
    documentationAnchor: 'runbooks',
    annotations: [OPSDECK_ANNOTATIONS.runbooks],
    present: ({ value }) => {
      const alerts = value.split(',').filter(entry => entry.includes(':'));
      return `${alerts.length} alert${
        alerts.length === 1 ? '' : 's'
      } mapped to TechDocs runbooks`;
    },
    missing: `Add ${OPSDECK_ANNOTATIONS.runbooks} mapping alert names to TechDocs runbook pages.`,
  }),
  annotationCheck({
    id: 'oncall',
    title: 'On-call schedule',
    documentationAnchor: 'oncall-schedule',
    annotations: [
      OPSDECK_ANNOTATIONS.oncallSchedule,
      ECOSYSTEM_ANNOTATIONS.pagerdutyServiceId,
    ],
    present: ({ annotation: name, value }) =>
      name === ECOSYSTEM_ANNOTATIONS.pagerdutyServiceId
        ? `PagerDuty service ${value}`
        : `Schedule ${value}`,
    missing: `Add ${OPSDECK_ANNOTATIONS.oncallSchedule} or ${ECOSYSTEM_ANNOTATIONS.pagerdutyServiceId} so the service has someone on call.`,
  }),
  annotationCheck({
    id: 'dashboards',
    title: 'Dashboards',
    documentationAnchor: 'grafana-panels',
    annotations: [OPSDECK_ANNOTATIONS.grafanaPanels],
    present: ({ value }) => `Grafana panels ${value}`,
    missing: `Add ${OPSDECK_ANNOTATIONS.grafanaPanels} with the Grafana dashboard and panels of the service.`,
  }),
  annotationCheck({
    id: 'rollback',
    title: 'Rollback plan (Kubernetes deployment)',
    documentationAnchor: 'kubernetes-id',
    annotations: [ECOSYSTEM_ANNOTATIONS.kubernetesId],
    present: ({ value }) =>
      `Deployments labelled ${ECOSYSTEM_ANNOTATIONS.kubernetesId}=${value} can be rolled back`,
    missing: `Add ${ECOSYSTEM_ANNOTATIONS.kubernetesId} so OpsDeck finds the service's Deployments and can roll them back.`,
  }),
];
