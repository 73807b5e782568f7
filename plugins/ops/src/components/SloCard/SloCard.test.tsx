import { EntityProvider } from '@backstage/plugin-catalog-react';
import { registerMswTestHooks } from '@backstage/test-utils';
import { screen, within } from '@testing-library/react';
import {
  errorBudget,
  evaluateSlo,
  evaluateSloAlerts,
  sloAlertTiers,
  sloDataCoverage,
  sloMeasurementWindows,
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
import { SloBudgetHistory, SloCard } from './SloCard';

const DAY = 86400;

/** An evaluated SLO as the backend computes it, from burn rates per window. */
function evaluated(
  name: string,
  objective: number,
  burnRates: Record<string, number>,
  prometheusAlerts: EvaluatedSlo['prometheusAlerts'] = {
    rules: 2,
    severity: 'none',
    firing: [],
  },
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
    prometheusAlerts,
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
  history: Array<{ time: string; sli: number; remainingRatio: number }> = [
    0, 1, 2, 3,
  ].map(i => ({
    time: new Date(Date.UTC(2026, 10, 20 + i)).toISOString(),
    sli: 0.9995,
    remainingRatio: 1 - i * 0.1,
  })),
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
        points: history,
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
        evaluated('payments-api-latency', 0.99, burning, {
          rules: 2,
          severity: 'page',
          firing: [
            {
              name: 'SLOErrorBudgetBurn',
              severity: 'page',
              activeAt: '2026-11-24T11:50:00Z',
            },
          ],
        }),
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
    ).toHaveTextContent('No alert firing');
    expect(
      await within(availability).findByTestId('slo-budget-chart'),
    ).toBeInTheDocument();

    const latency = screen.getByTestId('slo-payments-api-latency');
    const fast = within(latency).getByTestId('burn-rate-5m');
    expect(fast).toHaveTextContent('5m 20.0x');
    // 13.44x is the page factor of a 28-day SLO
    expect(fast).toHaveAttribute('data-state', 'burning');
    // Paging because Prometheus says its alert fires
    const chip = within(latency).getByTestId('slo-alert-state');
    expect(chip).toHaveTextContent('Paging');
    expect(chip).toHaveAttribute(
      'title',
      'Firing in Prometheus: SLOErrorBudgetBurn (page, since 2026-11-24T11:50:00Z)',
    );
    // The legend says what red means, per tier
    expect(within(latency).getByTestId('burn-rate-legend')).toHaveTextContent(
      'page over 13.4x in 1h and 5m; page over 5.6x in 6h and 30m; ticket over 2.8x in 1d and 2h; ticket over 0.9x in 3d and 6h',
    );
  });

  it('says what 10 minutes of data support, and no budget minutes', async () => {
    // The case: 10 minutes of 2.5 % errors on a 28-day 99.9 % SLO.
    const at = Date.UTC(2026, 10, 24, 12) / 1000;
    const windows = sloMeasurementWindows(28 * DAY);
    const coverage = sloDataCoverage({
      windowSeconds: 28 * DAY,
      at,
      firstSample: at - 600,
      windows,
    });
    const slo: EvaluatedSlo = {
      ...evaluated('payments-api-availability', 0.999, calm),
      ...evaluateSlo(
        { objective: 0.999, windowSeconds: 28 * DAY },
        Object.fromEntries(windows.map(w => [w, 0.025])),
        coverage,
      ),
      prometheusAlerts: { rules: 0, severity: 'none', firing: [] },
    };
    serve(server, { slos: [slo] }, [
      {
        time: new Date(at * 1000).toISOString(),
        sli: 0.975,
        remainingRatio: 0.99,
      },
    ]);
    await renderCard();
    const card = await screen.findByTestId('slo-payments-api-availability');
    expect(within(card).getByTestId('slo-coverage')).toHaveTextContent(
      'Based on 10 min of data (of 28d)',
    );
    // 0.025 * 10 min = 0.25 min of full outage, 0.6 % of 40.32 min
    const budget = within(card).getByTestId('slo-budget');
    expect(budget).toHaveTextContent(
      '0.6 % of the error budget spent in the 10 min of data',
    );
    expect(budget).not.toHaveTextContent(/overspent|left|\d+ h|of \d+ min/);
    // 25x over 3 days, but measured over 10 minutes: marked
    const threeDays = within(card).getByTestId('burn-rate-3d');
    expect(threeDays).toHaveTextContent('3d 25.0x*');
    expect(threeDays).toHaveAttribute('data-partial', 'true');
    expect(within(card).getByTestId('burn-rate-5m')).not.toHaveAttribute(
      'data-partial',
    );
    expect(within(card).getByTestId('burn-rate-legend')).toHaveTextContent(
      '* Window longer than the 10 min of data: the rate is over the data only.',
    );
    // burning at 25x, and still not "Paging": Prometheus has no rule
    const chip = within(card).getByTestId('slo-alert-state');
    expect(chip).toHaveTextContent('No alerting rules loaded');
    expect(chip).toHaveAttribute('data-state', 'no-rules');
    // one history point: no empty chart
    expect(
      await within(card).findByTestId('slo-budget-history'),
    ).toHaveTextContent('One measurement so far: 99.0 % left');
    expect(within(card).queryByTestId('slo-budget-chart')).toBeNull();
  });

  it('shows no history heading without points', async () => {
    const slo = evaluated('payments-api-availability', 0.999, calm);
    serve(server, { slos: [slo] }, []);
    await renderWithOpsApis(
      <SloBudgetHistory entityRef={PAYMENTS_API_REF} slo={slo} title />,
    );
    await new Promise(resolve => setTimeout(resolve, 200));
    expect(screen.queryByText(/Remaining budget/)).toBeNull();
  });

  it('shows the description in full, wrapped, with the full text on hover', async () => {
    const slo = {
      ...evaluated('payments-api-availability', 0.999, calm),
      description: 'A very long description '.repeat(12).trim(),
    };
    serve(server, { slos: [slo] });
    await renderCard();
    const description = await screen.findByTestId('slo-description');
    expect(description).toHaveTextContent(slo.description);
    expect(description).toHaveAttribute('title', slo.description);
    expect(description).toHaveStyle({ whiteSpace: 'normal' });
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
