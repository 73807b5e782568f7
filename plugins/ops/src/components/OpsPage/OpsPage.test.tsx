import { registerMswTestHooks } from '@backstage/test-utils';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { setupServer } from 'msw/node';
import { fakeOpsBackend } from '../../__testUtils__/fakeOpsBackend';
import { anIncident, minutesAgo } from '../../__testUtils__/fixtures';
import { renderWithOpsApis } from '../../__testUtils__/renderWithOpsApis';
import { OpsPage } from './OpsPage';

const paymentsOutage = anIncident({
  id: 'inc-payments',
  title: 'Card payments fail',
  severity: 'SEV1',
  status: 'investigating',
  commander: 'user:default/alice',
  detectedAt: minutesAgo(30),
});
const slowSearch = anIncident({
  id: 'inc-search',
  entityRef: 'component:default/search-api',
  title: 'Search is slow',
  severity: 'SEV3',
  status: 'open',
});
const oldOrders = anIncident({
  id: 'inc-orders',
  entityRef: 'component:default/orders-api',
  title: 'Orders duplicated',
  severity: 'SEV2',
  status: 'resolved',
});

describe('OpsPage', () => {
  const server = setupServer();
  registerMswTestHooks(server);

  async function rows() {
    const table = await screen.findByRole('table', { name: 'Incidents' });
    return within(table).getAllByRole('row').slice(1);
  }

  it('lists the incidents not resolved across every service', async () => {
    const backend = fakeOpsBackend(server, {
      incidents: [paymentsOutage, slowSearch, oldOrders],
    });

    await renderWithOpsApis(<OpsPage />);

    const [payments, search, ...rest] = await rows();
    expect(rest).toEqual([]);
    expect(payments).toHaveTextContent('SEV1');
    expect(
      within(payments).getByRole('link', { name: 'Card payments fail' }),
    ).toHaveAttribute('href', '/ops/incidents/inc-payments');
    expect(
      within(payments).getByRole('link', { name: /payments-api/ }),
    ).toHaveAttribute('href', '/catalog/default/component/payments-api');
    expect(payments).toHaveTextContent('Investigating');
    expect(payments).toHaveTextContent('opened 30 minutes ago');
    expect(payments).toHaveTextContent('alice');
    expect(search).toHaveTextContent('Search is slow');

    const query = backend.requestsTo('GET', '/incidents')[0].url.searchParams;
    expect(query.get('entityRef')).toBeNull();
    expect(query.getAll('status')).toEqual([
      'open',
      'investigating',
      'mitigated',
    ]);
  });

  it('filters by severity and status', async () => {
    const backend = fakeOpsBackend(server, {
      incidents: [paymentsOutage, slowSearch, oldOrders],
    });
    const user = userEvent.setup();

    await renderWithOpsApis(<OpsPage />);
    await rows();
    await user.selectOptions(
      screen.getByRole('combobox', { name: 'Status' }),
      'any',
    );
    await waitFor(async () => expect(await rows()).toHaveLength(3));

    await user.selectOptions(
      screen.getByRole('combobox', { name: 'Severity' }),
      'SEV2',
    );
    await waitFor(async () => {
      const [only, ...rest] = await rows();
      expect(only).toHaveTextContent('Orders duplicated');
      expect(rest).toEqual([]);
    });
    const last = backend.requestsTo('GET', '/incidents').at(-1)!.url;
    expect(last.searchParams.getAll('severity')).toEqual(['SEV2']);
    expect(last.searchParams.getAll('status')).toEqual([]);
  });
});
