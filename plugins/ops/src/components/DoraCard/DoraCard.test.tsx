import { EntityProvider } from '@backstage/plugin-catalog-react';
import { registerMswTestHooks } from '@backstage/test-utils';
import { screen, within } from '@testing-library/react';
import { DoraMetrics } from '@opsdeck/plugin-ops-common';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import {
  BACKEND,
  PAYMENTS_API_REF,
  paymentsApi,
} from '../../__testUtils__/fixtures';
import { renderWithOpsApis } from '../../__testUtils__/renderWithOpsApis';
import { DoraCard } from './DoraCard';

const dora: DoraMetrics & { entityRefs: string[] } = {
  entityRefs: [PAYMENTS_API_REF],
  window: { from: '2026-08-26T00:00:00.000Z', to: '2026-11-24T00:00:00.000Z' },
  environments: ['production'],
  deploymentFrequency: {
    deployments: 45,
    days: 90,
    perDay: 0.5,
    bucket: 'weekly',
  },
  leadTimeForChanges: { samples: 40, medianMinutes: 150, bucket: 'one-day' },
  changeFailureRate: {
    deployments: 45,
    failures: 9,
    rate: 0.2,
    bucket: '16-45%',
  },
  timeToRestore: { samples: 4, medianMinutes: 47, bucket: 'one-day' },
  trend: [
    {
      weekStart: '2026-11-08T00:00:00.000Z',
      deployments: 4,
      changeFailures: 1,
      changeFailureRate: 0.25,
      medianLeadTimeMinutes: 100,
    },
    {
      weekStart: '2026-11-15T00:00:00.000Z',
      deployments: 0,
      changeFailures: 0,
    },
    {
      weekStart: '2026-11-22T00:00:00.000Z',
      deployments: 2,
      changeFailures: 0,
      changeFailureRate: 0,
      medianLeadTimeMinutes: 200,
      medianTimeToRestoreMinutes: 47,
    },
  ],
};

describe('DoraCard', () => {
  const server = setupServer();
  registerMswTestHooks(server);

  it('shows the four keys with their Four Keys bucket and weekly trend', async () => {
    let asked: URL | undefined;
    server.use(
      http.get(`${BACKEND}/dora`, ({ request }) => {
        asked = new URL(request.url);
        return HttpResponse.json(dora);
      }),
    );
    await renderWithOpsApis(
      <EntityProvider entity={paymentsApi}>
        <DoraCard />
      </EntityProvider>,
    );
    const frequency = await screen.findByRole('group', {
      name: 'Deployment frequency',
    });
    expect(frequency).toHaveTextContent('0.50 / day');
    expect(frequency).toHaveTextContent('Weekly');
    expect(frequency).toHaveTextContent(
      '45 successful production deployments recorded in 90 days',
    );
    expect(
      within(frequency).getByRole('img', {
        name: 'Deployments per week: 4, 0, 2',
      }),
    ).toBeInTheDocument();

    const leadTime = screen.getByRole('group', {
      name: 'Lead time for changes',
    });
    expect(leadTime).toHaveTextContent('2h 30m');
    expect(leadTime).toHaveTextContent('Less than a day');

    const failures = screen.getByRole('group', { name: 'Change failure rate' });
    expect(failures).toHaveTextContent('20.0 %');
    expect(failures).toHaveTextContent('16-45%');
    expect(failures).toHaveTextContent(
      '9 of 45 rolled back or caused an incident',
    );
    expect(
      within(failures).getByRole('img', {
        name: 'Change failure rate per week: 0.25, -, 0',
      }),
    ).toBeInTheDocument();

    const restore = screen.getByRole('group', { name: 'Time to restore' });
    expect(restore).toHaveTextContent('47m');
    expect(asked?.searchParams.get('entityRef')).toBe(PAYMENTS_API_REF);
  });

  it('says so when the backend fails', async () => {
    server.use(
      http.get(`${BACKEND}/dora`, () =>
        HttpResponse.json(
          { error: { name: 'NotFoundError', message: 'No entity found' } },
          { status: 404 },
        ),
      ),
    );
    await renderWithOpsApis(
      <EntityProvider entity={paymentsApi}>
        <DoraCard />
      </EntityProvider>,
    );
    expect(
      (await screen.findAllByText(/No entity found/)).length,
    ).toBeGreaterThan(0);
  });
});
