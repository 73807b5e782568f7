import { EntityProvider } from '@backstage/plugin-catalog-react';
import { registerMswTestHooks } from '@backstage/test-utils';
import {
  EvaluatedSlo,
  evaluateSlo,
  OnCallStatus,
} from '@opsdeck/plugin-ops-common';
import { screen, within } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { fakeOpsBackend } from '../../__testUtils__/fakeOpsBackend';
import {
  aDrill,
  anIncident,
  BACKEND,
  errorBody,
  amaraOnCall,
  minutesAgo,
  PAYMENTS_API_REF,
  paymentsApi,
} from '../../__testUtils__/fixtures';
import { renderWithOpsApis } from '../../__testUtils__/renderWithOpsApis';
import { OpsSummaryCard } from './OpsSummaryCard';

const DAY = 86400;

/** An SLO of 99.9 % over 28 days, evaluated by the real math. */
function anSlo(name: string, errorRatios: Record<string, number>) {
  const slo = { objective: 0.999, windowSeconds: 28 * DAY };
  return {
    name,
    displayName: name,
    service: 'payments-api',
    window: '28d',
    budgetingMethod: 'Occurrences',
    indicatorType: 'ratio',
    source: { format: 'openslo', file: 'slos.yaml', documentIndex: 0 },
    evaluatedAt: new Date().toISOString(),
    ...slo,
    ...evaluateSlo(slo, errorRatios),
  } as EvaluatedSlo;
}

// 0.05 % errors: within the 0.1 % budget, every window calm.
const calm = anSlo('availability', {
  '5m': 0.0005,
  '30m': 0.0005,
  '1h': 0.0005,
  '2h': 0.0005,
  '6h': 0.0005,
  '1d': 0.0005,
  '3d': 0.0005,
  '28d': 0.0005,
});
// 2 % errors for days: the objective is missed and the budget burns at 20x.
const burning = anSlo('latency', {
  '5m': 0.02,
  '30m': 0.02,
  '1h': 0.02,
  '2h': 0.02,
  '6h': 0.02,
  '1d': 0.02,
  '3d': 0.02,
  '28d': 0.002,
});
const unevaluated: EvaluatedSlo = {
  ...anSlo('refunds', {}),
  sli: undefined,
  error: 'Prometheus answered 503',
};

describe('OpsSummaryCard', () => {
  const server = setupServer();
  registerMswTestHooks(server);

  function serve(options: {
    onCall: OnCallStatus | 'fails';
    slos: EvaluatedSlo[] | 'fails';
  }) {
    server.use(
      http.get(`${BACKEND}/oncall`, () =>
        options.onCall === 'fails'
          ? HttpResponse.json(
              errorBody('Error', 'on-call lookup timed out', 500),
              { status: 500 },
            )
          : HttpResponse.json(options.onCall),
      ),
      http.get(`${BACKEND}/slos`, () =>
        options.slos === 'fails'
          ? HttpResponse.json(
              errorBody('NotAllowedError', 'You may not read these SLOs', 403),
              { status: 403 },
            )
          : HttpResponse.json({
              entityRef: PAYMENTS_API_REF,
              slos: options.slos,
              definitionErrors: [],
            }),
      ),
    );
  }

  const renderCard = () =>
    renderWithOpsApis(
      <EntityProvider entity={paymentsApi}>
        <OpsSummaryCard />
      </EntityProvider>,
    );

  it('shows who is on call, the most severe open incident, the SLOs and the last drill', async () => {
    fakeOpsBackend(server, {
      // Newest first, as the backend lists them.
      incidents: [
        anIncident({ id: 'new-sev1', title: 'Refunds 503', severity: 'SEV1' }),
        anIncident({
          id: 'sev3',
          title: 'Webhook retries pile up',
          severity: 'SEV3',
          status: 'investigating',
          detectedAt: minutesAgo(90),
        }),
        anIncident({
          id: 'old-sev1',
          title: 'Card payments fail',
          severity: 'SEV1',
          status: 'investigating',
          detectedAt: minutesAgo(180),
        }),
        anIncident({
          id: 'done',
          title: 'Slow checkout',
          severity: 'SEV1',
          status: 'resolved',
        }),
      ],
      drills: [
        aDrill({
          kind: 'failover',
          status: 'failed',
          startedAt: minutesAgo(3 * 24 * 60 + 10),
          finishedAt: minutesAgo(3 * 24 * 60),
        }),
        aDrill({ startedAt: minutesAgo(40 * 24 * 60) }),
      ],
    });
    serve({ onCall: amaraOnCall, slos: [calm, burning, unevaluated] });

    await renderCard();

    const onCall = await screen.findByRole('region', { name: 'On call now' });
    expect(await within(onCall).findByText(/Primary:/)).toHaveTextContent(
      'Primary: Amara Okafor',
    );

    const incidents = screen.getByRole('region', { name: 'Open incidents' });
    expect(
      await within(incidents).findByText('3 open, the most severe:'),
    ).toBeInTheDocument();
    // Of the two SEV1, the one open longest.
    expect(
      within(incidents).getByRole('link', { name: 'Card payments fail' }),
    ).toHaveAttribute('href', '/ops/incidents/old-sev1');
    expect(incidents).toHaveTextContent('SEV1');
    expect(incidents).toHaveTextContent('Investigating, opened 3 hours ago');

    const slos = screen.getByRole('region', { name: 'SLOs' });
    expect(
      await within(slos).findByText('1 of 3 meet their objective'),
    ).toBeInTheDocument();
    expect(slos).toHaveTextContent(
      '1 burning its error budget fast, 1 without figures',
    );

    const drill = screen.getByRole('region', { name: 'Last drill' });
    expect(
      await within(drill).findByText('Failover of payments-db'),
    ).toBeInTheDocument();
    expect(drill).toHaveTextContent('failed');
    expect(drill).toHaveTextContent('3 days ago');
  });

  it('says, part by part, what could not be read and still shows the rest', async () => {
    fakeOpsBackend(server, { incidents: [], drills: [] });
    serve({ onCall: 'fails', slos: 'fails' });

    await renderCard();

    const onCall = await screen.findByRole('region', { name: 'On call now' });
    expect(
      await within(onCall).findByText('Unavailable: on-call lookup timed out'),
    ).toBeInTheDocument();
    const slos = screen.getByRole('region', { name: 'SLOs' });
    expect(
      await within(slos).findByText('Unavailable: You may not read these SLOs'),
    ).toBeInTheDocument();
    expect(
      within(screen.getByRole('region', { name: 'Open incidents' })).getByText(
        'No open incidents',
      ),
    ).toBeInTheDocument();
    expect(
      within(screen.getByRole('region', { name: 'Last drill' })).getByText(
        'No drill recorded',
      ),
    ).toBeInTheDocument();
  });

  it("names the on-call provider that is down, in the provider's words", async () => {
    fakeOpsBackend(server, { incidents: [], drills: [] });
    serve({
      onCall: {
        ...amaraOnCall,
        provider: 'pagerduty',
        state: 'unavailable',
        messages: ['no API token configured'],
        levels: [],
      },
      slos: [calm],
    });

    await renderCard();

    const onCall = await screen.findByRole('region', { name: 'On call now' });
    expect(
      await within(onCall).findByText(
        'PagerDuty unavailable: no API token configured',
      ),
    ).toBeInTheDocument();
    expect(
      await within(screen.getByRole('region', { name: 'SLOs' })).findByText(
        '1 of 1 meet their objective',
      ),
    ).toBeInTheDocument();
    expect(screen.getByRole('region', { name: 'SLOs' })).toHaveTextContent(
      'None burning its error budget fast',
    );
  });
});
