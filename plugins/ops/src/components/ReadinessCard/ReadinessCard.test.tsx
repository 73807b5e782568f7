import { Entity } from '@backstage/catalog-model';
import {
  configApiRef,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import {
  mockApis,
  MockFetchApi,
  registerMswTestHooks,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import { ReadinessReport } from '@opsdeck/plugin-ops-common';
import { screen } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { errorBody } from '../../__testUtils__/fixtures';
import { opsApiRef, OpsClient } from '../../api';
import { ReadinessCard } from './ReadinessCard';

const entity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'orders-api', namespace: 'default' },
  spec: { type: 'service', owner: 'team-orders', lifecycle: 'production' },
};

const report: ReadinessReport = {
  entityRef: 'component:default/orders-api',
  present: 1,
  total: 2,
  items: [
    {
      id: 'rollback',
      title: 'Rollback plan (Kubernetes deployment)',
      status: 'present',
      detail:
        'Deployments labelled backstage.io/kubernetes-id=orders-api can be rolled back',
      documentationUrl: 'http://localhost:3000/ops/annotations#kubernetes-id',
    },
    {
      id: 'slos',
      title: 'SLOs defined',
      status: 'missing',
      detail: 'Add opsdeck.dev/openslo pointing at the OpenSLO documents.',
      documentationUrl: 'http://localhost:3000/ops/annotations#openslo',
    },
  ],
};

describe('ReadinessCard', () => {
  const server = setupServer();
  registerMswTestHooks(server);

  const discoveryApi = mockApis.discovery({ baseUrl: 'http://backend' });
  const fetchApi = new MockFetchApi();

  function renderCard() {
    return renderInTestApp(
      <TestApiProvider
        apis={[
          [discoveryApiRef, discoveryApi],
          [fetchApiRef, fetchApi],
          [opsApiRef, new OpsClient({ discoveryApi, fetchApi })],
          [
            configApiRef,
            mockApis.config({
              data: { app: { baseUrl: 'http://localhost:3000' } },
            }),
          ],
        ]}
      >
        <EntityProvider entity={entity}>
          <ReadinessCard />
        </EntityProvider>
      </TestApiProvider>,
    );
  }

  it('shows each item as present or missing, with a link for what is missing', async () => {
    let requestedRef: string | null = null;
    server.use(
      http.get('http://backend/api/ops/readiness', ({ request }) => {
        requestedRef = new URL(request.url).searchParams.get('entityRef');
        return HttpResponse.json(report);
      }),
    );

    await renderCard();

    expect(await screen.findByText('1 of 2 in place')).toBeInTheDocument();
    expect(requestedRef).toBe('component:default/orders-api');
    expect(screen.getByTestId('readiness-rollback')).toHaveAttribute(
      'data-status',
      'present',
    );
    expect(screen.getByTestId('readiness-slos')).toHaveAttribute(
      'data-status',
      'missing',
    );
    // The reference is a page of the app itself, so the link stays in it.
    expect(screen.getByText('How to add it').closest('a')).toHaveAttribute(
      'href',
      '/ops/annotations#openslo',
    );
  });

  it("shows the backend's error message when the request fails", async () => {
    server.use(
      http.get('http://backend/api/ops/readiness', () =>
        HttpResponse.json(
          errorBody(
            'NotFoundError',
            "No entity found for ref 'component:default/orders-api'",
            404,
          ),
          { status: 404 },
        ),
      ),
    );

    await renderCard();

    expect(
      await screen.findByText(
        "No entity found for ref 'component:default/orders-api'",
      ),
    ).toBeInTheDocument();
  });
});
