import { EntityProvider } from '@backstage/plugin-catalog-react';
import { registerMswTestHooks } from '@backstage/test-utils';
import { screen, within } from '@testing-library/react';
import { Deployment } from '@opsdeck/plugin-ops-common';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import {
  BACKEND,
  minutesAgo,
  PAYMENTS_API_REF,
  paymentsApi,
} from '../../__testUtils__/fixtures';
import { paymentsHistory } from '../../__testUtils__/deploymentFixtures';
import { renderWithOpsApis } from '../../__testUtils__/renderWithOpsApis';
import { DeploymentsCard } from './DeploymentsCard';

const history = paymentsHistory([
  { source: 'kubernetes', cluster: 'staging', message: 'connect ECONNREFUSED' },
]);

const rollback: Deployment = {
  id: 'dep-1',
  entityRef: PAYMENTS_API_REF,
  environment: 'production',
  version: 'revision 2: registry.example.com/payments-api:1.4.1',
  startedAt: minutesAgo(30),
  finishedAt: minutesAgo(29),
  status: 'rolled-back',
  description: 'Rollback of production/payments/payments-api: checkout errors',
  createdBy: 'user:default/amara.okafor',
  createdAt: minutesAgo(29),
};

// What CI posted with its token: the image it deployed links it to revision 3.
const release: Deployment = {
  id: 'dep-0',
  entityRef: PAYMENTS_API_REF,
  environment: 'production',
  version: '2026.11.4',
  image: 'registry.example.com/payments-api:1.4.2',
  startedAt: minutesAgo(61),
  finishedAt: minutesAgo(60),
  status: 'succeeded',
  createdBy: 'demo-ci',
  createdAt: minutesAgo(60),
};

describe('DeploymentsCard', () => {
  const server = setupServer();
  registerMswTestHooks(server);
  const requested: URL[] = [];

  beforeEach(() => {
    requested.length = 0;
    server.use(
      http.get(`${BACKEND}/deployments/history`, ({ request }) => {
        requested.push(new URL(request.url));
        return HttpResponse.json(history);
      }),
      http.get(`${BACKEND}/deployments`, ({ request }) => {
        requested.push(new URL(request.url));
        return HttpResponse.json({ items: [rollback, release] });
      }),
    );
  });

  async function renderCard() {
    await renderWithOpsApis(
      <EntityProvider entity={paymentsApi}>
        <DeploymentsCard />
      </EntityProvider>,
    );
    return screen.findByRole('table', {
      name: 'Revisions of payments-api in production',
    });
  }

  it('lists the revisions per cluster with image, status and change cause', async () => {
    const table = await renderCard();
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows.map(row => row.textContent)).toEqual([
      expect.stringMatching(
        /^3registry.example.com\/payments-api:1.4.2.*current, 3\/3 readyrelease 1.4.22026.11.4 \(succeeded\)$/,
      ),
      expect.stringMatching(
        /^2registry.example.com\/payments-api:1.4.1.*0\/0 readyrelease 1.4.1-Roll back to this revision$/,
      ),
    ]);
    expect(
      screen.getByText('production / payments / payments-api'),
    ).toBeInTheDocument();
    expect(screen.getByText('complete')).toBeInTheDocument();
    expect(
      screen.getByText(/kubernetes \(staging\): connect ECONNREFUSED/),
    ).toBeInTheDocument();
    expect(requested.map(url => url.searchParams.get('entityRef'))).toEqual([
      PAYMENTS_API_REF,
      PAYMENTS_API_REF,
    ]);
  });

  it('opens the rollback template prefilled for a revision, as a dry run', async () => {
    const table = await renderCard();
    // a button that navigates: MUI gives the link the role of a button
    const button = within(table).getByRole('button', {
      name: 'Roll back to this revision',
    });
    const url = new URL(button.getAttribute('href')!, 'http://app');
    expect(url.pathname).toBe('/create/templates/default/ops-rollback');
    expect(JSON.parse(url.searchParams.get('formData')!)).toEqual({
      service: PAYMENTS_API_REF,
      cluster: 'production',
      namespace: 'payments',
      deployment: 'payments-api',
      toRevision: 2,
      mode: 'dry-run',
    });
  });

  it('shows who rolled back in the recorded deployments', async () => {
    await renderCard();
    const recorded = screen.getByRole('table', {
      name: 'Recorded deployments',
    });
    const row = within(recorded).getAllByRole('row')[1];
    expect(row).toHaveTextContent('rolled-back');
    expect(
      within(row).getByRole('link', { name: /amara.okafor/ }),
    ).toBeInTheDocument();
  });

  it('links a CI deployment to the revision running its image, and says which revisions DORA does not count', async () => {
    await renderCard();
    const recorded = screen.getByRole('table', {
      name: 'Recorded deployments',
    });
    const [, rollbackRow, releaseRow] = within(recorded).getAllByRole('row');
    const link = within(releaseRow).getByRole('link', {
      name: 'payments-api revision 3',
    });
    expect(link).toHaveAttribute(
      'href',
      '#revision-production-payments-payments-api-3',
    );
    expect(
      document.getElementById('revision-production-payments-payments-api-3'),
    ).toHaveTextContent(/^3registry.example.com\/payments-api:1.4.2/);
    // "By" names the CI token's subject, not the plugin that stored it
    expect(releaseRow).toHaveTextContent(/2026.11.4.*succeeded.*demo-ci/);
    // a rollback names no image: no link
    expect(
      within(rollbackRow).queryByRole('link', { name: /revision/ }),
    ).toBeNull();
    expect(
      screen.getByText(
        'Revision 2 of payments-api has no recorded deployment naming its image: the DORA figures count recorded deployments only.',
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByText(
        'Posted by CI and by rollbacks; the DORA figures count those that succeeded in production.',
      ),
    ).toBeInTheDocument();
  });
});
