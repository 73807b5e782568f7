import {
  createApiFactory,
  createComponentExtension,
  createPlugin,
  createRoutableExtension,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import { opsApiRef, OpsClient } from './api';
import { annotationsRouteRef } from './routes';

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
  routes: { annotations: annotationsRouteRef },
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
      lazy: () =>
        import('./components/OperationsContent').then(m => m.OperationsContent),
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
