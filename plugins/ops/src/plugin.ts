import {
  createApiFactory,
  createComponentExtension,
  createPlugin,
  createRoutableExtension,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import {
  createScaffolderFieldExtension,
  FieldExtensionComponent,
} from '@backstage/plugin-scaffolder-react';
import { opsApiRef, OpsClient } from './api';
import { loadOperationsContent } from './components/OperationsContent/loadOperationsContent';
import {
  DatabaseTargetPicker,
  validateDatabaseTarget,
} from './components/DatabaseTargetPicker/DatabaseTargetPicker';
import { RevisionPicker } from './components/RevisionPicker/RevisionPicker';
import {
  TypedConfirmation,
  TypedConfirmationUiOptions,
  validateTypedConfirmation,
} from './components/TypedConfirmation/TypedConfirmation';
import {
  annotationsRouteRef,
  incidentRouteRef,
  postmortemRouteRef,
  rootRouteRef,
  selectedTemplateRouteRef,
} from './routes';

/**
 * The OpsDeck frontend plugin, for apps on the legacy frontend system. Apps
 * on the new frontend system use the default export of
 * `@opsdeck/plugin-ops/alpha` instead.
 *
 * @public
 */
export const opsPlugin = createPlugin({
  id: 'ops',
  apis: [
    createApiFactory({
      api: opsApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new OpsClient({ discoveryApi, fetchApi }),
    }),
  ],
  routes: {
    root: rootRouteRef,
    incident: incidentRouteRef,
    postmortem: postmortemRouteRef,
    annotations: annotationsRouteRef,
  },
  externalRoutes: {
    selectedTemplate: selectedTemplateRouteRef,
  },
});

/**
 * The Operations tab content, for an `EntityLayout.Route` of the entity page.
 *
 * @public
 */
export const EntityOperationsContent: () => JSX.Element = opsPlugin.provide(
  createComponentExtension({
    name: 'EntityOperationsContent',
    component: {
      lazy: () => loadOperationsContent().then(m => m.OperationsContent),
    },
  }),
);

/**
 * The SLOs tab content: each SLO of the entity (`opsdeck.dev/openslo`) in
 * detail, for an `EntityLayout.Route` of the entity page.
 *
 * @public
 */
export const EntitySlosContent: () => JSX.Element | null = opsPlugin.provide(
  createComponentExtension({
    name: 'EntitySlosContent',
    component: {
      lazy: () => import('./components/SlosContent').then(m => m.SlosContent),
    },
  }),
);

/**
 * The operations of the entity at a glance, for its Overview tab: who is on
 * call now, the open incidents with the most severe one, how the SLOs stand
 * against their objectives and the last recovery drill.
 *
 * @public
 */
export const EntityOpsSummaryCard: () => JSX.Element = opsPlugin.provide(
  createComponentExtension({
    name: 'EntityOpsSummaryCard',
    component: {
      lazy: () =>
        import('./components/OpsSummaryCard').then(m => m.OpsSummaryCard),
    },
  }),
);

/**
 * The SLOs card: per SLO the objective, the SLI, the remaining error budget,
 * the burn rates and the state of the burn-rate alerts.
 *
 * @public
 */
export const EntitySloCard: () => JSX.Element = opsPlugin.provide(
  createComponentExtension({
    name: 'EntitySloCard',
    component: {
      lazy: () => import('./components/SloCard').then(m => m.SloCard),
    },
  }),
);

/**
 * The operational readiness card, for any entity page layout.
 *
 * @public
 */
export const EntityReadinessCard: () => JSX.Element = opsPlugin.provide(
  createComponentExtension({
    name: 'EntityReadinessCard',
    component: {
      lazy: () =>
        import('./components/ReadinessCard').then(m => m.ReadinessCard),
    },
  }),
);

/**
 * The incidents card: the entity's open and recently resolved incidents,
 * with the actions to declare one, change its status and add notes. Its
 * titles link to the {@link OpsIncidentPage}, which the app must mount.
 *
 * @public
 */
export const EntityIncidentsCard: () => JSX.Element = opsPlugin.provide(
  createComponentExtension({
    name: 'EntityIncidentsCard',
    component: {
      lazy: () =>
        import('./components/IncidentsCard').then(m => m.IncidentsCard),
    },
  }),
);

/**
 * The drills card: the entity's recovery drills with measured RTO and RPO
 * against the objectives, and each drill's report.
 *
 * @public
 */
export const EntityDrillsCard: () => JSX.Element = opsPlugin.provide(
  createComponentExtension({
    name: 'EntityDrillsCard',
    component: {
      lazy: () => import('./components/DrillsCard').then(m => m.DrillsCard),
    },
  }),
);

/**
 * Who is on call for the entity now and next, per escalation level, with a
 * shift-swap override for built-in schedules.
 *
 * @public
 */
export const EntityOnCallCard: () => JSX.Element = opsPlugin.provide(
  createComponentExtension({
    name: 'EntityOnCallCard',
    component: {
      lazy: () => import('./components/OnCallCard').then(m => m.OnCallCard),
    },
  }),
);

/**
 * The entity's runbooks (`opsdeck.dev/runbooks`), linked into its TechDocs.
 *
 * @public
 */
export const EntityRunbooksCard: () => JSX.Element = opsPlugin.provide(
  createComponentExtension({
    name: 'EntityRunbooksCard',
    component: {
      lazy: () => import('./components/RunbooksCard').then(m => m.RunbooksCard),
    },
  }),
);

/**
 * The Deployments card: revisions per cluster and the recorded deployments,
 * with a button that opens the rollback template for a revision.
 *
 * @public
 */
export const EntityDeploymentsCard: () => JSX.Element = opsPlugin.provide(
  createComponentExtension({
    name: 'EntityDeploymentsCard',
    component: {
      lazy: () =>
        import('./components/DeploymentsCard').then(m => m.DeploymentsCard),
    },
  }),
);

/**
 * The DORA card: the four keys of the entity and their weekly trend.
 *
 * @public
 */
export const EntityDoraCard: () => JSX.Element = opsPlugin.provide(
  createComponentExtension({
    name: 'EntityDoraCard',
    component: {
      lazy: () => import('./components/DoraCard').then(m => m.DoraCard),
    },
  }),
);

/**
 * The Grafana panels of the entity (`opsdeck.dev/grafana-panels`), embedded
 * from `ops.grafana.baseUrl` with one time range for all of them.
 *
 * @public
 */
export const EntityGrafanaPanelsCard: () => JSX.Element = opsPlugin.provide(
  createComponentExtension({
    name: 'EntityGrafanaPanelsCard',
    component: {
      lazy: () =>
        import('./components/GrafanaPanelsCard').then(m => m.GrafanaPanelsCard),
    },
  }),
);

/**
 * The OpsDeck page, incidents across every service; mount it at `/ops`.
 *
 * @public
 */
export const OpsPage: () => JSX.Element = opsPlugin.provide(
  createRoutableExtension({
    name: 'OpsPage',
    mountPoint: rootRouteRef,
    component: () => import('./components/OpsPage').then(m => m.OpsPage),
  }),
);

/**
 * One incident with its timeline; mount it at `/ops/incidents/:id`, where
 * the incidents card and the OpsDeck page link to.
 *
 * @public
 */
export const OpsIncidentPage: () => JSX.Element = opsPlugin.provide(
  createRoutableExtension({
    name: 'OpsIncidentPage',
    mountPoint: incidentRouteRef,
    component: () =>
      import('./components/IncidentPage').then(m => m.IncidentPage),
  }),
);

/**
 * One post-mortem: its markdown, review and publication, and its action
 * items; mount it at `/ops/postmortems/:id`, where the incident page links to.
 *
 * @public
 */
export const OpsPostmortemPage: () => JSX.Element = opsPlugin.provide(
  createRoutableExtension({
    name: 'OpsPostmortemPage',
    mountPoint: postmortemRouteRef,
    component: () =>
      import('./components/PostmortemPage').then(m => m.PostmortemPage),
  }),
);

/**
 * The reference of OpsDeck's annotations; mount it at `/ops/annotations`,
 * where readiness hints link to.
 *
 * @public
 */
export const OpsAnnotationsPage: () => JSX.Element = opsPlugin.provide(
  createRoutableExtension({
    name: 'OpsAnnotationsPage',
    mountPoint: annotationsRouteRef,
    component: () =>
      import('./components/AnnotationsReferencePage').then(
        m => m.AnnotationsReferencePage,
      ),
  }),
);

/**
 * The scaffolder form field `ui:field: OpsRevisionPicker` of the
 * `ops-rollback` template, for the legacy scaffolder's
 * `ScaffolderFieldExtensions`.
 *
 * @public
 */
export const OpsRevisionPickerFieldExtension: FieldExtensionComponent<
  number | undefined,
  {}
> = opsPlugin.provide(
  createScaffolderFieldExtension({
    name: 'OpsRevisionPicker',
    component: RevisionPicker,
  }),
);

/**
 * The scaffolder form field `ui:field: OpsDatabaseTargetPicker` of the
 * `ops-backup-drill` and `ops-db-failover` templates, for the legacy
 * scaffolder's `ScaffolderFieldExtensions`.
 *
 * @public
 */
export const OpsDatabaseTargetPickerFieldExtension: FieldExtensionComponent<
  string | undefined,
  {}
> = opsPlugin.provide(
  createScaffolderFieldExtension({
    name: 'OpsDatabaseTargetPicker',
    component: DatabaseTargetPicker,
    validation: validateDatabaseTarget,
  }),
);

/**
 * The scaffolder form field `ui:field: OpsTypedConfirmation` of the
 * `ops-db-failover` and `ops-rollback` templates (a real run asks to type the
 * target's name), for the legacy scaffolder's `ScaffolderFieldExtensions`.
 *
 * @public
 */
export const OpsTypedConfirmationFieldExtension: FieldExtensionComponent<
  string | undefined,
  TypedConfirmationUiOptions
> = opsPlugin.provide(
  createScaffolderFieldExtension({
    name: 'OpsTypedConfirmation',
    component: TypedConfirmation,
    validation: validateTypedConfirmation,
  }),
);
