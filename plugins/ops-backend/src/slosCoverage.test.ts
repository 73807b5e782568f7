import {
  generateSloRuleFile,
  parseSloDefinitions,
} from '@opsdeck/plugin-ops-common';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import {
  openMetricsOf,
  startTestPrometheus,
  TestPrometheus,
} from './__testUtils__/testPrometheus';
import { sloEntity, startSloTestBackend } from './__testUtils__/sloTestBackend';

/*
 * A service Prometheus has scraped for 10 minutes only, half of whose
 * requests fail, on a real Prometheus. Evaluated 30 s after its last sample,
 * the SLO has 630 s of data: the SLI is 50 %, the 5-minute burn rate 500x,
 * and the budget spent is what 630 s at 50 % errors cost, 315 s of full
 * outage of the 43.2 minutes a 30-day 99.9 % SLO allows, not "overspent by
 * 49,900 %" as the SLI stretched over 30 days would say.
 *
 * Prometheus loads the generated rules of `young` (which do not fire: their
 * recordings see no current data) and one rule that always fires with
 * young's SLO labels, standing in for a burn that pages now; `unruled` has
 * no rules at all.
 */
const MINUTE = 60;
const DAY = 86400;
const END = Math.floor(Date.now() / 1000 / 3600) * 3600 - 3600;
const START = END - 10 * MINUTE;
const AT_SECONDS = END + 30;
const AT = new Date(AT_SECONDS * 1000).toISOString();

const openMetrics = openMetricsOf(
  [
    {
      name: 'http_requests',
      type: 'counter',
      series: ['200', '500'].map(code => ({
        metric: 'http_requests_total',
        labels: { service: 'young', code },
        valueAt: (i: number) => i * 50,
      })),
    },
  ],
  { start: START, end: END, stepSeconds: MINUTE },
);

const sloDocument = (service: string) => `
apiVersion: openslo/v1
kind: SLO
metadata:
  name: ${service}-availability
spec:
  service: ${service}
  indicator:
    metadata:
      name: ${service}-errors
    spec:
      ratioMetric:
        counter: true
        bad:
          metricSource:
            type: Prometheus
            spec:
              query: sum(http_requests_total{service="young",code=~"5.."})
        total:
          metricSource:
            type: Prometheus
            spec:
              query: sum(http_requests_total{service="young"})
  timeWindow:
    - duration: 30d
      isRolling: true
  budgetingMethod: Occurrences
  objectives:
    - target: 0.999
`;

const ALWAYS_FIRING = `groups:
  - name: young-pages-now
    interval: 1s
    rules:
      - alert: YoungAvailabilityPage
        expr: vector(1)
        labels:
          opsdeck_service: young
          opsdeck_slo: young-availability
          severity: page
`;

describe('SLOs with 10 minutes of data on a real Prometheus', () => {
  let prometheus: TestPrometheus;
  let dir: string;
  let app: Parameters<typeof request>[0];

  beforeAll(async () => {
    const young = parseSloDefinitions([
      { path: 'young.yaml', content: sloDocument('young') },
    ]);
    if (young.errors.length > 0) {
      throw new Error(
        `the test's SLO document is invalid: ${young.errors[0].message}`,
      );
    }
    prometheus = await startTestPrometheus({
      openMetrics,
      ruleFiles: {
        'young.yml': generateSloRuleFile(young.slos),
        'always.yml': ALWAYS_FIRING,
      },
    });
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'opsdeck-slo-coverage-'));
    await fs.writeFile(path.join(dir, 'young.yaml'), sloDocument('young'));
    await fs.writeFile(path.join(dir, 'unruled.yaml'), sloDocument('unruled'));
    const catalogFile = path.join(dir, 'catalog-info.yaml');
    app = await startSloTestBackend({
      prometheusServers: { default: { baseUrl: prometheus.baseUrl } },
      entities: ['young', 'unruled'].map(name =>
        sloEntity({
          name,
          catalogFile,
          openslo: `./${name}.yaml`,
          owner: 'team-young',
        }),
      ),
    });
    // The always-firing rule is evaluated every second; wait until
    // Prometheus lists its alert as firing (the backend caches answers).
    const deadline = Date.now() + 20_000;
    for (;;) {
      const res = await fetch(`${prometheus.baseUrl}/api/v1/alerts`);
      const body = await res.json();
      if (
        body.data.alerts.some(
          (a: { state: string; labels: { alertname: string } }) =>
            a.state === 'firing' &&
            a.labels.alertname === 'YoungAvailabilityPage',
        )
      ) {
        break;
      }
      if (Date.now() > deadline) throw new Error('the alert never fired');
      await new Promise(resolve => setTimeout(resolve, 250));
    }
  }, 120_000);

  afterAll(async () => {
    await prometheus?.stop();
    if (dir) await fs.rm(dir, { recursive: true, force: true });
  });

  async function slo(name: string) {
    const res = await request(app)
      .get('/api/ops/slos')
      .query({ entityRef: `component:default/${name}`, at: AT });
    expect(res.status).toBe(200);
    expect(res.body.error).toBeUndefined();
    expect(res.body.slos).toHaveLength(1);
    expect(res.body.slos[0].error).toBeUndefined();
    return res.body.slos[0];
  }

  it('knows the data starts at the first sample and counts only what it spent', async () => {
    const young = await slo('young');
    expect(young.coverage).toEqual({
      firstSampleAt: new Date(START * 1000).toISOString(),
      coveredSeconds: 630,
      complete: false,
      partialWindows: ['30m', '1h', '2h', '6h', '1d', '3d', '30d'],
    });
    expect(young.sli).toBeCloseTo(0.5, 9);
    expect(young.burnRates['5m']).toBeCloseTo(500, 6);
    // 630 s at 50 % errors: 315 s of full outage of 43.2 min.
    expect(young.errorBudget.totalMinutes).toBeCloseTo(43.2, 9);
    expect(young.errorBudget.remainingMinutes).toBeCloseTo(43.2 - 5.25, 6);
    expect(young.errorBudget.remainingRatio).toBeGreaterThan(0);
  });

  it("takes the alert state from Prometheus' own rules, not from burn rates", async () => {
    const young = await slo('young');
    // generated page + ticket alerts, and the always-firing one
    expect(young.prometheusAlerts).toMatchObject({
      rules: 3,
      severity: 'page',
      firing: [{ name: 'YoungAvailabilityPage', severity: 'page' }],
    });
    // 500x over 5 minutes, and still nothing pages without a rule.
    const unruled = await slo('unruled');
    expect(unruled.burnRates['5m']).toBeCloseTo(500, 6);
    expect(unruled.prometheusAlerts).toEqual({
      rules: 0,
      severity: 'none',
      firing: [],
    });
  });

  it('starts the budget history at the first sample', async () => {
    const res = await request(app).get('/api/ops/slos/history').query({
      entityRef: 'component:default/young',
      slo: 'young-availability',
      at: AT,
    });
    expect(res.status).toBe(200);
    expect(res.body.error).toBeUndefined();
    expect(res.body.firstSampleAt).toBe(new Date(START * 1000).toISOString());
    const points = res.body.points as Array<{
      time: string;
      remainingRatio: number;
    }>;
    expect(points.length).toBeGreaterThanOrEqual(9);
    expect(points[points.length - 1].time).toBe(AT);
    for (const point of points) {
      expect(Date.parse(point.time) / 1000).toBeGreaterThanOrEqual(START);
      const covered = Date.parse(point.time) / 1000 - START;
      expect(point.remainingRatio).toBeCloseTo(
        1 - (0.5 / 0.001) * (covered / (30 * DAY)),
        6,
      );
    }
  });
});
