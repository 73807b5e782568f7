import { EntityProvider } from '@backstage/plugin-catalog-react';
import { registerMswTestHooks } from '@backstage/test-utils';
import { screen, within } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import {
  BACKEND,
  PAYMENTS_API_REF,
  paymentsApi,
  paymentsDora as dora,
} from '../../__testUtils__/fixtures';
import { renderWithOpsApis } from '../../__testUtils__/renderWithOpsApis';
import { DoraCard } from './DoraCard';

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
