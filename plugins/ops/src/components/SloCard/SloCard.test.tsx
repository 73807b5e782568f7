import { EntityProvider } from '@backstage/plugin-catalog-react';
import { registerMswTestHooks } from '@backstage/test-utils';
import { screen, within } from '@testing-library/react';
import {
  errorBudget,
  evaluateSloAlerts,
  sloAlertTiers,
  SloReport,
  EvaluatedSlo,
} from '@opsdeck/plugin-ops-common';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import {
  BACKEND,
  PAYMENTS_API_REF,
  paymentsApi,
} from '../../__testUtils__/fixtures';
import { renderWithOpsApis } from '../../__testUtils__/renderWithOpsApis';
import { SloCard } from './SloCard';

const DAY = 86400;

/** An evaluated SLO as the backend computes it, from burn rates per window. */
function evaluated(
  name: string,
  objective: number,
  burnRates: Record<string, number>,
): EvaluatedSlo {
  const budget = 1 - objective;
  const sli = 1 - burnRates['28d'] * budget;
  const alerts = evaluateSloAlerts(
    sloAlertTiers(objective, 28 * DAY),
    burnRates,
  );
  return {
    name,
    displayName: name,
    service: 'payments-api',
    objective,
    window: '28d',
    windowSeconds: 28 * DAY,
    budgetingMethod: 'Occurrences',
    indicatorType: 'ratio',
    source: { format: 'openslo', file: 'slos.yaml', documentIndex: 0 },
    evaluatedAt: '2026-11-24T12:00:00.000Z',
    querySource: 'raw',
    sli,
    errorBudget: errorBudget(objective, 28 * DAY, sli),
    burnRates,
    alerts,
  };
}

const calm = {
  '5m': 0.2,
  '30m': 0.3,
  '1h': 0.4,
  '2h': 0.5,
  '6h': 0.5,
  '1d': 0.5,
  '3d': 0.5,
  '28d': 0.25,
};
const burning = { ...calm, '5m': 20, '1h': 16 };

function serve(
  server: ReturnType<typeof setupServer>,
  report: Partial<SloReport>,
) {
  const requests: URL[] = [];
  server.use(
    http.get(`${BACKEND}/slos`, ({ request }) => {
      requests.push(new URL(request.url));
      return HttpResponse.json({
        entityRef: PAYMENTS_API_REF,
        prometheus: 'default',
        slos: [],
        definitionErrors: [],
        ...report,
      });
    }),
    http.get(`${BACKEND}/slos/history`, () =>
      HttpResponse.json({
        entityRef: PAYMENTS_API_REF,
        slo: 'x',
        points: [0, 1, 2, 3].map(i => ({
          time: new Date(Date.UTC(2026, 10, 20 + i)).toISOString(),
          sli: 0.9995,
          remainingRatio: 1 - i * 0.1,
        })),
      }),
    ),
  );
  return requests;
}

describe('SloCard', () => {
  const server = setupServer();
  registerMswTestHooks(server);

  const renderCard = () =>
    renderWithOpsApis(
      <EntityProvider entity={paymentsApi}>
        <SloCard />
      </EntityProvider>,
    );

  it('shows objective, SLI, remaining budget, burn rates and alert state per SLO', async () => {
    const requests = serve(server, {
      slos: [
        evaluated('payments-api-availability', 0.999, calm),
        evaluated('payments-api-latency', 0.99, burning),
      ],
    });
    await renderCard();

    const availability = await screen.findByTestId(
      'slo-payments-api-availability',
    );
    expect(requests[0].searchParams.get('entityRef')).toBe(PAYMENTS_API_REF);
    expect(availability).toHaveTextContent('objective 99.9 % over 28d');
    // burn rate 0.25 over the window: SLI 1 - 0.25 * 0.001
    expect(within(availability).getByTestId('slo-sli')).toHaveTextContent(
      'SLI 99.975 %',
    );
    // 28 d of 0.1 % is 40.32 min; three quarters left is 30 min
    expect(within(availability).getByTestId('slo-budget')).toHaveTextContent(
      '75.0 % of the error budget left (30 min of 40 min)',
    );
    expect(within(availability).getByTestId('burn-rate-5m')).toHaveAttribute(
      'data-state',
      'ok',
    );
    expect(
      within(availability).getByTestId('slo-alert-state'),
    ).toHaveTextContent('No alert');
    expect(
      await within(availability).findByTestId('slo-budget-chart'),
    ).toBeInTheDocument();

    const latency = screen.getByTestId('slo-payments-api-latency');
    const fast = within(latency).getByTestId('burn-rate-5m');
    expect(fast).toHaveTextContent('5m 20.0x');
    // 13.44x is the page factor of a 28-day SLO
    expect(fast).toHaveAttribute('data-state', 'burning');
    expect(within(latency).getByTestId('slo-alert-state')).toHaveAttribute(
      'data-state',
      'page',
    );
  });

  it('says Prometheus is unavailable on the SLOs it could not evaluate', async () => {
    serve(server, {
      slos: [
        {
          ...evaluated('payments-api-availability', 0.999, calm),
          sli: undefined,
          errorBudget: undefined,
          burnRates: undefined,
          alerts: undefined,
          error:
            "Prometheus 'default' (http://127.0.0.1:9090) is unavailable: connection refused",
        },
      ],
    });
    await renderCard();
    expect(await screen.findByTestId('slo-error')).toHaveTextContent(
      "Prometheus unavailable: Prometheus 'default' (http://127.0.0.1:9090) is unavailable: connection refused",
    );
  });

  it('shows located document errors next to the SLOs that did evaluate', async () => {
    serve(server, {
      slos: [evaluated('payments-api-availability', 0.999, calm)],
      definitionErrors: [
        {
          file: 'slos.yaml',
          documentIndex: 1,
          path: 'spec.indicator.spec.ratioMetric.bad.metricSource.spec.query',
          line: 27,
          column: 22,
          message: 'unexpected "or vector(1)"',
        },
      ],
    });
    await renderCard();
    expect(
      await screen.findByTestId('slo-definition-errors'),
    ).toHaveTextContent('slos.yaml:27:22');
    expect(
      screen.getByTestId('slo-payments-api-availability'),
    ).toBeInTheDocument();
  });

  it('explains how to add SLOs when there are none', async () => {
    serve(server, { prometheus: undefined });
    await renderCard();
    expect(await screen.findByText(/No SLOs defined/)).toBeInTheDocument();
  });
});
