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
  RouteRef,
} from '@backstage/frontend-plugin-api';
import {
  EntityCardBlueprint,
  EntityContentBlueprint,
} from '@backstage/plugin-catalog-react/alpha';
import { opsApiRef, OpsClient } from './api';
import { annotationsRouteRef } from './routes';

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
    loader: () =>
      import('./components/OperationsContent').then(m => (
        <m.OperationsContent />
      )),
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
 * `entity-card:ops/readiness`, `page:ops/annotations`, `api:ops`).
 *
 * @alpha
 */
const opsPlugin: FrontendPlugin<{ annotations: RouteRef<undefined> }> =
  createFrontendPlugin({
    pluginId: 'ops',
    info: { packageJson: () => import('../package.json') },
    routes: convertLegacyRouteRefs({ annotations: annotationsRouteRef }),
    extensions: [
      opsApi,
      entityOperationsContent,
      entityReadinessCard,
      annotationsPage,
    ],
  });

export default opsPlugin;
