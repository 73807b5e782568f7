import { EntityProvider } from '@backstage/plugin-catalog-react';
import { registerMswTestHooks } from '@backstage/test-utils';
import { OnCallStatus } from '@opsdeck/plugin-ops-common';
import { screen } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import {
  BACKEND,
  minutesAgo,
  PAYMENTS_API_REF,
  paymentsApi,
} from '../__testUtils__/fixtures';
import { renderWithOpsApis } from '../__testUtils__/renderWithOpsApis';
import { OnCallCard } from '../components/OnCallCard';
import { OnCallSummary } from '../components/OpsSummaryCard/OnCallSummary';

const onCall: OnCallStatus = {
  entityRef: PAYMENTS_API_REF,
  provider: 'pagerduty',
  schedule: 'payments-primary',
  at: new Date().toISOString(),
  state: 'ok',
  messages: [],
  levels: [
    {
      level: 'primary',
      current: {
        userRef: 'amara@example.com',
        start: minutesAgo(60),
        contact: {
          userRef: 'amara@example.com',
          displayName: 'Amara Okafor',
        },
      },
    },
  ],
};

describe('shared reads', () => {
  const server = setupServer();
  registerMswTestHooks(server);

  it('gives the Overview summary and the On call card of one page one on-call request', async () => {
    let requests = 0;
    server.use(
      http.get(`${BACKEND}/oncall`, () => {
        requests += 1;
        return HttpResponse.json(onCall);
      }),
    );
    await renderWithOpsApis(
      <EntityProvider entity={paymentsApi}>
        <OnCallSummary entityRef={PAYMENTS_API_REF} />
        <OnCallCard />
      </EntityProvider>,
    );
    expect(await screen.findByTestId('oncall-primary')).toHaveTextContent(
      'Amara Okafor',
    );
    expect(screen.getAllByText(/Amara Okafor/)).toHaveLength(2);
    expect(requests).toBe(1);
  });
});
