import { EntityProvider } from '@backstage/plugin-catalog-react';
import { registerMswTestHooks } from '@backstage/test-utils';
import { ReadinessReport } from '@opsdeck/plugin-ops-common';
import { screen, waitFor, within } from '@testing-library/react';
import { delay, http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { paymentsHistory } from '../../__testUtils__/deploymentFixtures';
import { fakeOpsBackend } from '../../__testUtils__/fakeOpsBackend';
import {
  aDrill,
  amaraOnCall,
  anIncident,
  BACKEND,
  PAYMENTS_API_REF,
  paymentsApi,
  paymentsDora,
} from '../../__testUtils__/fixtures';
import { renderWithOpsApis } from '../../__testUtils__/renderWithOpsApis';
import { OperationsContent } from './OperationsContent';

const readiness: ReadinessReport = {
  entityRef: PAYMENTS_API_REF,
  present: 1,
  total: 1,
  items: [
    {
      id: 'oncall',
      title: 'On-call schedule',
      status: 'present',
      detail: 'Amara Okafor is on call',
      documentationUrl: 'http://localhost:3000/ops/annotations#oncall',
    },
  ],
};

describe('OperationsContent', () => {
  const server = setupServer();
  registerMswTestHooks(server);

  /** The backend's answers; `readiness` never answers when told so. */
  function serve(options: { readiness: 'answers' | 'never answers' }) {
    fakeOpsBackend(server, {
      incidents: [anIncident({ title: 'Card payments fail' })],
      drills: [aDrill()],
    });
    const asked: string[] = [];
    server.use(
      // Counts every read, then lets the handlers below answer it.
      http.get(`${BACKEND}/*`, ({ request }) => {
        const url = new URL(request.url);
        asked.push(`${url.pathname}${url.search}`);
      }),
      http.get(`${BACKEND}/oncall`, () => HttpResponse.json(amaraOnCall)),
      http.get(`${BACKEND}/oncall/overrides`, () =>
        HttpResponse.json({ items: [] }),
      ),
      http.get(`${BACKEND}/readiness`, async () => {
        if (options.readiness === 'never answers') await delay('infinite');
        return HttpResponse.json(readiness);
      }),
      http.get(`${BACKEND}/slos`, () =>
        HttpResponse.json({
          entityRef: PAYMENTS_API_REF,
          slos: [],
          definitionErrors: [],
        }),
      ),
      http.get(`${BACKEND}/dora`, () => HttpResponse.json(paymentsDora)),
      http.get(`${BACKEND}/deployments/history`, () =>
        HttpResponse.json(paymentsHistory()),
      ),
      http.get(`${BACKEND}/deployments`, () =>
        HttpResponse.json({ items: [] }),
      ),
    );
    return asked;
  }

  const renderTab = () =>
    renderWithOpsApis(
      <EntityProvider entity={paymentsApi}>
        <OperationsContent />
      </EntityProvider>,
    );

  it('asks the backend once per read of its cards and shows every answer', async () => {
    const asked = serve({ readiness: 'answers' });
    await renderTab();

    // What each card read, as a reader sees it.
    expect(await screen.findByText('Card payments fail')).toBeInTheDocument();
    expect(await screen.findByText('Amara Okafor')).toBeInTheDocument();
    expect(await screen.findByText('1 of 1 in place')).toBeInTheDocument();
    expect(
      await screen.findByText('production / payments / payments-api'),
    ).toBeInTheDocument();
    expect(
      await screen.findByRole('group', { name: 'Deployment frequency' }),
    ).toBeInTheDocument();
    await waitFor(() =>
      expect(screen.queryAllByRole('progressbar')).toHaveLength(0),
    );

    // The tab started the reads and the cards took them: none went twice.
    const twice = asked.filter((url, index) => asked.indexOf(url) !== index);
    expect(twice).toEqual([]);
    for (const read of [
      '/api/ops/severities',
      '/api/ops/readiness?',
      '/api/ops/oncall?',
      '/api/ops/slos?',
      '/api/ops/dora?',
      '/api/ops/deployments/history?',
      '/api/ops/deployments?',
      '/api/ops/drills?',
      '/api/ops/action-items?',
    ]) {
      expect(asked.filter(url => url.startsWith(read))).toHaveLength(1);
    }
    // The active incidents and the recently resolved ones.
    expect(
      asked.filter(url => url.startsWith('/api/ops/incidents?')),
    ).toHaveLength(2);
  });

  it('shows the cards that have their answer when one read does not come', async () => {
    serve({ readiness: 'never answers' });
    await renderTab();

    expect(await screen.findByText('Card payments fail')).toBeInTheDocument();
    expect(await screen.findByText('Amara Okafor')).toBeInTheDocument();
    const readinessCard = screen
      .getByText('Operational readiness')
      .closest('.MuiCard-root') as HTMLElement;
    // Backstage's progress bar shows after 250 ms, as a reader sees it.
    expect(
      await within(readinessCard).findByRole('progressbar'),
    ).toBeInTheDocument();
  });
});
