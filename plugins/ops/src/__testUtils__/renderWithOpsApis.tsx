import {
  discoveryApiRef,
  fetchApiRef,
  RouteRef,
} from '@backstage/core-plugin-api';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import {
  AuthorizeResult,
  EvaluatePermissionRequest,
} from '@backstage/plugin-permission-common';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import {
  mockApis,
  MockFetchApi,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import { ReactElement } from 'react';
import { SWRConfig } from 'swr';
import { opsApiRef, OpsClient } from '../api';
import {
  incidentRouteRef,
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
  } = {},
) {
  const discoveryApi = mockApis.discovery({ baseUrl: 'http://backend' });
  const fetchApi = new MockFetchApi();
  return renderInTestApp(
    <TestApiProvider
      apis={[
        [discoveryApiRef, discoveryApi],
        [fetchApiRef, fetchApi],
        [opsApiRef, new OpsClient({ discoveryApi, fetchApi })],
        [
          permissionApiRef,
          mockApis.permission({
            authorize: options.authorize ?? AuthorizeResult.ALLOW,
          }),
        ],
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
        '/catalog/:namespace/:kind/:name': entityRouteRef as RouteRef,
        '/create/templates/:namespace/:templateName': selectedTemplateRouteRef,
      },
    },
  );
}
