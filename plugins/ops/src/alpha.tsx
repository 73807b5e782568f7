/**
 * The OpsDeck frontend plugin for the new frontend system.
 *
 * @packageDocumentation
 */

import {
  convertLegacyRouteRef,
  convertLegacyRouteRefs,
} from '@backstage/core-compat-api';
import {
  ApiBlueprint,
  createFrontendPlugin,
  discoveryApiRef,
  fetchApiRef,
  FrontendPlugin,
  PageBlueprint,
  ExternalRouteRef,
  RouteRef,
} from '@backstage/frontend-plugin-api';
import {
  EntityCardBlueprint,
  EntityContentBlueprint,
  EntityContextMenuItemBlueprint,
} from '@backstage/plugin-catalog-react/alpha';
import { FormFieldBlueprint } from '@backstage/plugin-scaffolder-react/alpha';
import ReportProblemIcon from '@material-ui/icons/ReportProblem';
import SettingsBackupRestoreIcon from '@material-ui/icons/SettingsBackupRestore';
import SwapHorizIcon from '@material-ui/icons/SwapHoriz';
import UndoIcon from '@material-ui/icons/Undo';
import {
  hasDatabaseTargets,
  runsInKubernetes,
  useBackupDrillMenuItem,
  useFailoverMenuItem,
  useRollbackMenuItem,
} from './components/OperationsMenu';
import { opsApiRef, OpsClient } from './api';
import { loadOperationsContent } from './components/OperationsContent/loadOperationsContent';
import {
  annotationsRouteRef,
  incidentRouteRef,
  postmortemRouteRef,
  rootRouteRef,
  selectedTemplateRouteRef,
} from './routes';

const opsApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: opsApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new OpsClient({ discoveryApi, fetchApi }),
    }),
});

// Operations are about what runs: services, and the resources they own.
const runsInProduction = {
  kind: { $in: ['component', 'resource'] },
};

const entityOperationsContent = EntityContentBlueprint.make({
  name: 'operations',
  params: {
    path: '/operations',
    title: 'Operations',
    group: 'operation',
    filter: runsInProduction,
    loader: () => loadOperationsContent().then(m => <m.OperationsContent />),
  },
});

// Only entities that point at SLO documents get the tab.
const entitySlosContent = EntityContentBlueprint.make({
  name: 'slos',
  params: {
    path: '/slos',
    title: 'SLOs',
    // Its own tab: in the 'operation' group it would fold the Operations
    // tab into a menu.
    filter: {
      kind: { $in: ['component', 'resource'] },
      'metadata.annotations.opsdeck.dev/openslo': { $exists: true },
    },
    loader: () =>
      import('./components/SlosContent').then(m => <m.SlosContent />),
  },
});

// On by default: the one OpsDeck card of the Overview tab, beside the About
// card, for whoever opens the service without going to the Operations tab.
const entityOpsSummaryCard = EntityCardBlueprint.make({
  name: 'summary',
  params: {
    type: 'info',
    filter: runsInProduction,
    loader: () =>
      import('./components/OpsSummaryCard').then(m => <m.OpsSummaryCard />),
  },
});

// Off by default: the Operations tab shows it.
const entitySloCard = EntityCardBlueprint.make({
  name: 'slos',
  disabled: true,
  params: {
    filter: runsInProduction,
    loader: () => import('./components/SloCard').then(m => <m.SloCard />),
  },
});

// Off by default, since the Operations tab already shows it; enable it in
// app-config to show readiness on the Overview tab too.
const entityReadinessCard = EntityCardBlueprint.make({
  name: 'readiness',
  disabled: true,
  params: {
    filter: runsInProduction,
    loader: () =>
      import('./components/ReadinessCard').then(m => <m.ReadinessCard />),
  },
});

// Off by default too: the Operations tab shows both.
const entityIncidentsCard = EntityCardBlueprint.make({
  name: 'incidents',
  disabled: true,
  params: {
    filter: runsInProduction,
    loader: () =>
      import('./components/IncidentsCard').then(m => <m.IncidentsCard />),
  },
});

const entityDrillsCard = EntityCardBlueprint.make({
  name: 'drills',
  disabled: true,
  params: {
    filter: runsInProduction,
    loader: () => import('./components/DrillsCard').then(m => <m.DrillsCard />),
  },
});

// Off by default too: the Operations tab shows them.
const entityOnCallCard = EntityCardBlueprint.make({
  name: 'oncall',
  disabled: true,
  params: {
    filter: runsInProduction,
    loader: () => import('./components/OnCallCard').then(m => <m.OnCallCard />),
  },
});

const entityRunbooksCard = EntityCardBlueprint.make({
  name: 'runbooks',
  disabled: true,
  params: {
    filter: runsInProduction,
    loader: () =>
      import('./components/RunbooksCard').then(m => <m.RunbooksCard />),
  },
});

const entityDeploymentsCard = EntityCardBlueprint.make({
  name: 'deployments',
  disabled: true,
  params: {
    filter: runsInProduction,
    loader: () =>
      import('./components/DeploymentsCard').then(m => <m.DeploymentsCard />),
  },
});

const entityDoraCard = EntityCardBlueprint.make({
  name: 'dora',
  disabled: true,
  params: {
    filter: runsInProduction,
    loader: () => import('./components/DoraCard').then(m => <m.DoraCard />),
  },
});

const entityGrafanaPanelsCard = EntityCardBlueprint.make({
  name: 'grafana',
  disabled: true,
  params: {
    filter: runsInProduction,
    loader: () =>
      import('./components/GrafanaPanelsCard').then(m => (
        <m.GrafanaPanelsCard />
      )),
  },
});

// The entity page's menu (⋮) opens the operations' templates, prefilled.
const backupDrillMenuItem = EntityContextMenuItemBlueprint.make({
  name: 'backup-drill',
  params: {
    icon: <SettingsBackupRestoreIcon fontSize="small" />,
    filter: hasDatabaseTargets,
    useProps: useBackupDrillMenuItem,
  },
});

const failoverMenuItem = EntityContextMenuItemBlueprint.make({
  name: 'failover',
  params: {
    icon: <SwapHorizIcon fontSize="small" />,
    filter: hasDatabaseTargets,
    useProps: useFailoverMenuItem,
  },
});

const rollbackMenuItem = EntityContextMenuItemBlueprint.make({
  name: 'rollback',
  params: {
    icon: <UndoIcon fontSize="small" />,
    filter: runsInKubernetes,
    useProps: useRollbackMenuItem,
  },
});

// `ui:field: OpsRevisionPicker` of the ops-rollback template.
const revisionPickerField = FormFieldBlueprint.make({
  name: 'revision-picker',
  params: {
    field: () =>
      import('./components/RevisionPicker').then(
        m => m.revisionPickerFormField,
      ),
  },
});

// `ui:field: OpsDatabaseTargetPicker` of the ops-backup-drill and ops-db-failover templates.
const databaseTargetPickerField = FormFieldBlueprint.make({
  name: 'database-target-picker',
  params: {
    field: () =>
      import('./components/DatabaseTargetPicker').then(
        m => m.databaseTargetPickerFormField,
      ),
  },
});

// `ui:field: OpsTypedConfirmation` of the ops-db-failover and ops-rollback templates.
const typedConfirmationField = FormFieldBlueprint.make({
  name: 'typed-confirmation',
  params: {
    field: () =>
      import('./components/TypedConfirmation').then(
        m => m.typedConfirmationFormField,
      ),
  },
});

// The page's title and icon make it a nav item: the app's sidebar lists it.
// Its header is its own, as on an app on the legacy frontend system.
const opsPage = PageBlueprint.make({
  params: {
    path: '/ops',
    title: 'Operations',
    icon: <ReportProblemIcon />,
    noHeader: true,
    routeRef: convertLegacyRouteRef(rootRouteRef),
    loader: () => import('./components/OpsPage').then(m => <m.OpsPage />),
  },
});

const incidentPage = PageBlueprint.make({
  name: 'incident',
  params: {
    path: '/ops/incidents/:id',
    noHeader: true,
    routeRef: convertLegacyRouteRef(incidentRouteRef),
    loader: () =>
      import('./components/IncidentPage').then(m => <m.IncidentPage />),
  },
});

const postmortemPage = PageBlueprint.make({
  name: 'postmortem',
  params: {
    path: '/ops/postmortems/:id',
    noHeader: true,
    routeRef: convertLegacyRouteRef(postmortemRouteRef),
    loader: () =>
      import('./components/PostmortemPage').then(m => <m.PostmortemPage />),
  },
});

const annotationsPage = PageBlueprint.make({
  name: 'annotations',
  params: {
    path: '/ops/annotations',
    routeRef: convertLegacyRouteRef(annotationsRouteRef),
    loader: () =>
      import('./components/AnnotationsReferencePage').then(m => (
        <m.AnnotationsReferencePage />
      )),
  },
});

/**
 * The OpsDeck frontend plugin for the new frontend system.
 *
 * @remarks
 * Typed as a plain FrontendPlugin so its public surface is its routes; its
 * extensions are configured by id in app-config (`entity-content:ops/operations`,
 * `entity-content:ops/slos`, `entity-card:ops/summary`, `entity-card:ops/slos`, `entity-card:ops/readiness`,
 * `entity-card:ops/incidents`, `entity-card:ops/drills`, `entity-card:ops/oncall`,
 * `entity-card:ops/runbooks`, `entity-card:ops/deployments`, `entity-card:ops/dora`, `entity-card:ops/grafana`,
 * `scaffolder-form-field:ops/revision-picker`, `scaffolder-form-field:ops/database-target-picker`,
 * `scaffolder-form-field:ops/typed-confirmation`, `entity-context-menu-item:ops/backup-drill`,
 * `entity-context-menu-item:ops/failover`, `entity-context-menu-item:ops/rollback`,
 * `page:ops`, `page:ops/incident`, `page:ops/postmortem`,
 * `page:ops/annotations`, `api:ops`).
 *
 * @alpha
 */
const opsPlugin: FrontendPlugin<
  {
    root: RouteRef<undefined>;
    incident: RouteRef<{ id: string }>;
    postmortem: RouteRef<{ id: string }>;
    annotations: RouteRef<undefined>;
  },
  {
    selectedTemplate: ExternalRouteRef<{
      namespace: string;
      templateName: string;
    }>;
  }
> = createFrontendPlugin({
  pluginId: 'ops',
  info: { packageJson: () => import('../package.json') },
  routes: convertLegacyRouteRefs({
    root: rootRouteRef,
    incident: incidentRouteRef,
    postmortem: postmortemRouteRef,
    annotations: annotationsRouteRef,
  }),
  externalRoutes: convertLegacyRouteRefs({
    selectedTemplate: selectedTemplateRouteRef,
  }),
  extensions: [
    opsApi,
    entityOperationsContent,
    entitySlosContent,
    entityOpsSummaryCard,
    entityReadinessCard,
    entitySloCard,
    entityIncidentsCard,
    entityDrillsCard,
    entityOnCallCard,
    entityRunbooksCard,
    entityDeploymentsCard,
    entityDoraCard,
    entityGrafanaPanelsCard,
    revisionPickerField,
    databaseTargetPickerField,
    typedConfirmationField,
    backupDrillMenuItem,
    failoverMenuItem,
    rollbackMenuItem,
    opsPage,
    incidentPage,
    postmortemPage,
    annotationsPage,
  ],
});

export default opsPlugin;
