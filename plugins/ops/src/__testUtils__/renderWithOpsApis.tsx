import {
  configApiRef,
  discoveryApiRef,
  fetchApiRef,
  RouteRef,
} from '@backstage/core-plugin-api';
import { Entity } from '@backstage/catalog-model';
import { catalogApiRef, entityRouteRef } from '@backstage/plugin-catalog-react';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import {
  AuthorizeResult,
  EvaluatePermissionRequest,
} from '@backstage/plugin-permission-common';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import { SignalApi, signalApiRef } from '@backstage/plugin-signals-react';
import {
  mockApis,
  MockFetchApi,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import { ReactElement } from 'react';
import { SWRConfig } from 'swr';
import { opsApiRef, OpsClient } from '../api';
import { testSignalApi } from './testSignalApi';
import {
  incidentRouteRef,
  postmortemRouteRef,
  rootRouteRef,
  selectedTemplateRouteRef,
} from '../routes';

type Decision = AuthorizeResult.ALLOW | AuthorizeResult.DENY;

/**
 * Renders an OpsDeck component in a test app, with the real client talking
 * to `http://backend/api/ops` (mock it with msw) and the plugin's routes
 * mounted as an app would.
 */
export function renderWithOpsApis(
  element: ReactElement,
  options: {
    /** The permission decision for every check; allowed by default. */
    authorize?: Decision | ((request: EvaluatePermissionRequest) => Decision);
    routeEntries?: string[];
    /** What the catalog holds (users for the commander picker, say). */
    catalogEntities?: Entity[];
    /**
     * The app's signal API (see testSignalApi); by default one that stays
     * silent, so that cards do not poll during tests about something else.
     * `'none'`: an app without the signals plugin.
     */
    signals?: SignalApi | 'none';
    /** App config besides app.baseUrl (the frontend-visible keys). */
    config?: Record<string, unknown>;
  } = {},
) {
  const discoveryApi = mockApis.discovery({ baseUrl: 'http://backend' });
  const fetchApi = new MockFetchApi();
  return renderInTestApp(
    <TestApiProvider
      apis={[
        [
          configApiRef,
          mockApis.config({
            data: {
              ...options.config,
              app: { baseUrl: 'http://localhost:3000' },
            },
          }),
        ],
        [discoveryApiRef, discoveryApi],
        [fetchApiRef, fetchApi],
        [opsApiRef, new OpsClient({ discoveryApi, fetchApi })],
        [
          catalogApiRef,
          catalogApiMock({ entities: options.catalogEntities ?? [] }),
        ],
        [
          permissionApiRef,
          mockApis.permission({
            authorize: options.authorize ?? AuthorizeResult.ALLOW,
          }),
        ],
        ...(options.signals === 'none'
          ? []
          : [[signalApiRef, options.signals ?? testSignalApi().api] as const]),
      ]}
    >
      {/* usePermission caches decisions in SWR: one cache per test. */}
      <SWRConfig value={{ provider: () => new Map() }}>{element}</SWRConfig>
    </TestApiProvider>,
    {
      routeEntries: options.routeEntries,
      mountedRoutes: {
        '/ops': rootRouteRef as RouteRef,
        '/ops/incidents/:id': incidentRouteRef as RouteRef,
        '/ops/postmortems/:id': postmortemRouteRef as RouteRef,
        '/catalog/:namespace/:kind/:name': entityRouteRef as RouteRef,
        '/create/templates/:namespace/:templateName': selectedTemplateRouteRef,
      },
    },
  );
}
