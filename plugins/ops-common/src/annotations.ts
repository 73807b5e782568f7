/**
 * Annotations OpsDeck reads from catalog entities.
 *
 * OpsDeck reuses the ecosystem's annotations where they exist and defines its
 * own under the `opsdeck.dev/` prefix. Every name is defined here, once.
 *
 * @public
 */
export const OPSDECK_ANNOTATIONS = {
  /** Location of the service's OpenSLO documents (relative path or URL). */
  openslo: 'opsdeck.dev/openslo',
  /** Name of the Prometheus server (from `ops.prometheus.servers`) its SLOs are evaluated on. */
  prometheus: 'opsdeck.dev/prometheus',
  /** Alert name to TechDocs page map of the service's runbooks. */
  runbooks: 'opsdeck.dev/runbooks',
  /** Reference to the built-in on-call schedule of the service. */
  oncallSchedule: 'opsdeck.dev/oncall-schedule',
  /** Grafana dashboard uid and panel ids to embed. */
  grafanaPanels: 'opsdeck.dev/grafana-panels',
  /** Names of the database targets (from `ops.databases` config) of the service. */
  databases: 'opsdeck.dev/databases',
} as const;

/**
 * Annotations owned by Backstage or its ecosystem that OpsDeck reads.
 *
 * @public
 */
export const ECOSYSTEM_ANNOTATIONS = {
  kubernetesId: 'backstage.io/kubernetes-id',
  techdocsRef: 'backstage.io/techdocs-ref',
  pagerdutyServiceId: 'pagerduty.com/service-id',
} as const;

/**
 * What an annotation means and how to write it: the reference the portal shows
 * to people annotating their entities, and the target of readiness hints.
 *
 * @public
 */
export interface AnnotationReference {
  annotation: string;
  /** HTML anchor of the annotation on the reference page. */
  anchor: string;
  description: string;
  /** A catalog-info.yaml `metadata.annotations` entry, as YAML. */
  example: string;
}

/**
 * The reference of every annotation OpsDeck reads.
 *
 * @public
 */
export const ANNOTATION_REFERENCE: AnnotationReference[] = [
  {
    annotation: OPSDECK_ANNOTATIONS.openslo,
    anchor: 'openslo',
    description:
      'OpenSLO v1 documents (kind: SLO) of the service, as a path relative to the catalog file or a URL. OpsDeck evaluates them on Prometheus.',
    example: `${OPSDECK_ANNOTATIONS.openslo}: ./slos.yaml`,
  },
  {
    annotation: OPSDECK_ANNOTATIONS.prometheus,
    anchor: 'prometheus',
    description:
      'Name of the Prometheus server, configured by the platform team under ops.prometheus.servers, that holds the metrics of the SLOs. Without it, the default server.',
    example: `${OPSDECK_ANNOTATIONS.prometheus}: default`,
  },
  {
    annotation: OPSDECK_ANNOTATIONS.runbooks,
    anchor: 'runbooks',
    description:
      "Alert names mapped to pages of the service's TechDocs, so the runbook of an alert is one click away.",
    example: `${OPSDECK_ANNOTATIONS.runbooks}: 'HighErrorRate: runbooks/high-error-rate, HighLatency: runbooks/high-latency'`,
  },
  {
    annotation: OPSDECK_ANNOTATIONS.oncallSchedule,
    anchor: 'oncall-schedule',
    description:
      'The on-call schedule of the service: a schedule file (kind OnCallSchedule: rotation, handoff day, time and time zone, escalation levels) as a path relative to the catalog file or a URL, or the name of a schedule in config (ops.oncall.schedules). Services on PagerDuty use pagerduty.com/service-id instead.',
    example: `${OPSDECK_ANNOTATIONS.oncallSchedule}: ./oncall-schedule.yaml`,
  },
  {
    annotation: ECOSYSTEM_ANNOTATIONS.pagerdutyServiceId,
    anchor: 'pagerduty-service-id',
    description:
      'The PagerDuty service of the entity; its escalation policy gives who is on call.',
    example: `${ECOSYSTEM_ANNOTATIONS.pagerdutyServiceId}: P7R2QXK`,
  },
  {
    annotation: OPSDECK_ANNOTATIONS.grafanaPanels,
    anchor: 'grafana-panels',
    description:
      'Grafana dashboards and panels to embed: dashboard uid, a colon, then comma-separated panel ids, optionally followed by dashboard variables as ?var-<name>=<value>&…; several dashboards separated by spaces or new lines. The Grafana base URL is admin config (ops.grafana.baseUrl).',
    example: `${OPSDECK_ANNOTATIONS.grafanaPanels}: payments-overview:2,4?var-service=payments-api`,
  },
  {
    annotation: ECOSYSTEM_ANNOTATIONS.kubernetesId,
    anchor: 'kubernetes-id',
    description:
      'The value of the backstage.io/kubernetes-id label on the Deployments of the service, as for the Backstage Kubernetes plugin. It gives the deployment history and makes a rollback possible.',
    example: `${ECOSYSTEM_ANNOTATIONS.kubernetesId}: payments-api`,
  },
  {
    annotation: OPSDECK_ANNOTATIONS.databases,
    anchor: 'databases',
    description:
      'Names of database targets configured by the platform team under ops.databases, comma separated. Backup-restore drills and failovers run against them.',
    example: `${OPSDECK_ANNOTATIONS.databases}: payments-db`,
  },
  {
    annotation: ECOSYSTEM_ANNOTATIONS.techdocsRef,
    anchor: 'techdocs-ref',
    description:
      'Where the TechDocs of the service are. Runbooks are pages of these docs.',
    example: `${ECOSYSTEM_ANNOTATIONS.techdocsRef}: dir:.`,
  },
];
