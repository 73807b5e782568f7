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
 * "Dashboards": the entity names its Grafana panels. (The other items of the
 * checklist read more than annotations: slos.ts, runbooks.ts, oncall.ts,
 * drills.ts; plugin.ts puts them in order.)
 */
export const dashboardsCheck: ReadinessCheck = annotationCheck({
  id: 'dashboards',
  title: 'Dashboards',
  documentationAnchor: 'grafana-panels',
  annotations: [OPSDECK_ANNOTATIONS.grafanaPanels],
  present: ({ value }) => `Grafana panels ${value}`,
  missing: `Add ${OPSDECK_ANNOTATIONS.grafanaPanels} with the Grafana dashboard and panels of the service.`,
});

/** "Rollback plan": the entity's Kubernetes Deployments can be found. */
export const rollbackCheck: ReadinessCheck = annotationCheck({
  id: 'rollback',
  title: 'Rollback plan (Kubernetes deployment)',
  documentationAnchor: 'kubernetes-id',
  annotations: [ECOSYSTEM_ANNOTATIONS.kubernetesId],
  present: ({ value }) =>
    `Deployments labelled ${ECOSYSTEM_ANNOTATIONS.kubernetesId}=${value} can be rolled back`,
  missing: `Add ${ECOSYSTEM_ANNOTATIONS.kubernetesId} so OpsDeck finds the service's Deployments and can roll them back.`,
});
