import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import request from 'supertest';
import {
  freePort,
  openMetricsOf,
  PROMTOOL_BIN,
  startTestPrometheus,
  TestPrometheus,
} from './__testUtils__/testPrometheus';
import { sloEntity, startSloTestBackend } from './__testUtils__/sloTestBackend';

/*
 * Acceptance: the SLO API against a real Prometheus backfilled with known
 * series, compared with values worked out by hand below.
 *
 * The series: 31 days of one sample a minute, ending at END (a whole hour).
 * Each minute, checkout serves 100 requests. Normally 0.1 of them fail and
 * 99 finish within 0.5 s; in the last 150 minutes ("the incident") 2 fail
 * and only 90 are fast.
 *
 * Evaluated at END + 30 s, a window of w seconds holds the w/60 samples
 * END - (w/60 - 1) min ... END, so the counts over it are those of the last
 * k = w/60 - 1 minutes, of which min(k, 150) are incident minutes. Prometheus
 * extrapolates increase() by the same factor for every series sampled at the
 * same instants, so ratios of increases are exactly ratios of those counts.
 */
const MINUTE = 60;
const DAY = 86400;
const END = Math.floor(Date.now() / 1000 / 3600) * 3600 - 3600;
const START = END - 31 * DAY;
const AT = new Date((END + 30) * 1000).toISOString();
const INCIDENT_MINUTES = 150;

/** Normal and incident minutes among the first i minutes of the series. */
function minutes(i: number) {
  const incidentStart = (END - START) / MINUTE - INCIDENT_MINUTES;
  const incident = Math.max(0, i - incidentStart);
  return { normal: i - incident, incident };
}

const openMetrics = openMetricsOf(
  [
    {
      name: 'http_requests',
      type: 'counter',
      series: [
        {
          metric: 'http_requests_total',
          labels: { service: 'checkout', code: '200' },
          valueAt: i => {
            const m = minutes(i);
            return (m.normal * 999 + m.incident * 980) / 10;
          },
        },
        {
          metric: 'http_requests_total',
          labels: { service: 'checkout', code: '500' },
          valueAt: i => {
            const m = minutes(i);
            return (m.normal * 1 + m.incident * 20) / 10;
          },
        },
      ],
    },
    {
      name: 'http_request_duration_seconds',
      type: 'histogram',
      series: [
        {
          metric: 'http_request_duration_seconds_bucket',
          labels: { service: 'checkout', le: '0.5' },
          valueAt: i => {
            const m = minutes(i);
            return m.normal * 99 + m.incident * 90;
          },
        },
        {
          metric: 'http_request_duration_seconds_bucket',
          labels: { service: 'checkout', le: '+Inf' },
          valueAt: i => i * 100,
        },
        {
          metric: 'http_request_duration_seconds_count',
          labels: { service: 'checkout' },
          valueAt: i => i * 100,
        },
        {
          metric: 'http_request_duration_seconds_sum',
          labels: { service: 'checkout' },
          valueAt: i => i * 10,
        },
      ],
    },
  ],
  { start: START, end: END, stepSeconds: MINUTE },
);

const SLO_DOCUMENTS = `
apiVersion: openslo/v1
kind: SLO
metadata:
  name: checkout-availability
spec:
  service: checkout
  indicator:
    metadata:
      name: checkout-errors
    spec:
      ratioMetric:
        counter: true
        bad:
          metricSource:
            type: Prometheus
            spec:
              query: sum(http_requests_total{service="checkout",code=~"5.."})
        total:
          metricSource:
            type: Prometheus
            spec:
              query: sum(http_requests_total{service="checkout"})
  timeWindow:
    - duration: 30d
      isRolling: true
  budgetingMethod: Occurrences
  objectives:
    - target: 0.999
---
apiVersion: openslo/v1
kind: SLO
metadata:
  name: checkout-latency
spec:
  service: checkout
  indicator:
    metadata:
      name: checkout-fast-requests
    spec:
      thresholdMetric:
        metricSource:
          type: Prometheus
          spec:
            query: http_request_duration_seconds_bucket{service="checkout"}
  timeWindow:
    - duration: 30d
      isRolling: true
  budgetingMethod: Occurrences
  objectives:
    - op: lte
      value: 0.5
      target: 0.99
---
apiVersion: openslo/v1
kind: SLO
metadata:
  name: checkout-error-slices
spec:
  service: checkout
  indicator:
    metadata:
      name: checkout-errors-per-slice
    spec:
      ratioMetric:
        counter: true
        bad:
          metricSource:
            type: Prometheus
            spec:
              query: sum(http_requests_total{service="checkout",code=~"5.."})
        total:
          metricSource:
            type: Prometheus
            spec:
              query: sum(http_requests_total{service="checkout"})
  timeWindow:
    - duration: 30d
      isRolling: true
  budgetingMethod: Timeslices
  objectives:
    - target: 0.99
      timeSliceTarget: 0.99
      timeSliceWindow: 5m
`;

const WINDOWS: Record<string, number> = {
  '5m': 5 * MINUTE,
  '30m': 30 * MINUTE,
  '1h': 3600,
  '2h': 7200,
  '6h': 6 * 3600,
  '1d': DAY,
  '3d': 3 * DAY,
};

/** Error ratio over a window from per-minute bad counts (see the top). */
function occurrencesErrorRatio(
  windowSeconds: number,
  badPerMinute: { normal: number; incident: number },
) {
  const k = windowSeconds / MINUTE - 1;
  const incident = Math.min(k, INCIDENT_MINUTES);
  return (
    (incident * badPerMinute.incident + (k - incident) * badPerMinute.normal) /
    (k * 100)
  );
}

/**
 * Timeslices of 5 minutes, evaluated at the multiples of 300 s in the
 * window: the 30 slices ending in the incident (END - 145 min ... END) are
 * bad (2 % errors > 1 %), all others good (0.1 %).
 */
function timeslicesErrorRatio(windowSeconds: number) {
  const slices = windowSeconds / 300;
  return Math.min(slices, 30) / slices;
}

const expected = {
  'checkout-availability': {
    objective: 0.999,
    errorRatio: (w: number) =>
      occurrencesErrorRatio(w, { normal: 0.1, incident: 2 }),
  },
  'checkout-latency': {
    objective: 0.99,
    errorRatio: (w: number) =>
      occurrencesErrorRatio(w, { normal: 1, incident: 10 }),
  },
  'checkout-error-slices': {
    objective: 0.99,
    errorRatio: timeslicesErrorRatio,
  },
};

describe('SLO API on a real Prometheus', () => {
  let prometheus: TestPrometheus;
  let dir: string;
  let silent: net.Server;
  let app: Parameters<typeof request>[0];

  // Backfilling 31 days takes about 100 s alone, longer on a busy machine.
  beforeAll(async () => {
    prometheus = await startTestPrometheus({ openMetrics });
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'opsdeck-slos-'));
    await fs.writeFile(path.join(dir, 'slos.yaml'), SLO_DOCUMENTS);
    await fs.writeFile(
      path.join(dir, 'broken.yaml'),
      SLO_DOCUMENTS.replace(
        'code=~"5.."})\n        total',
        'code=~"5.."} or vector(1) #"})\n        total',
      ),
    );
    // Accepts connections and never answers: a hung Prometheus.
    silent = net.createServer(() => {});
    const silentPort = await freePort();
    await new Promise<void>(resolve =>
      silent.listen(silentPort, '127.0.0.1', resolve),
    );
    const closedPort = await freePort();
    const catalogFile = path.join(dir, 'catalog-info.yaml');
    const entity = (
      name: string,
      openslo: string,
      annotations?: Record<string, string>,
    ) => sloEntity({ name, catalogFile, openslo, annotations });
    app = await startSloTestBackend({
      prometheusServers: {
        default: { baseUrl: prometheus.baseUrl },
        down: { baseUrl: `http://127.0.0.1:${closedPort}` },
        hung: { baseUrl: `http://127.0.0.1:${silentPort}` },
      },
      entities: [
        entity('checkout', './slos.yaml', {
          'opsdeck.dev/runbooks':
            'HighErrorRate: runbooks/high-error-rate, HighLatency: runbooks/high-latency',
        }),
        entity('checkout-on-down', './slos.yaml', {
          'opsdeck.dev/prometheus': 'down',
        }),
        entity('checkout-on-hung', './slos.yaml', {
          'opsdeck.dev/prometheus': 'hung',
        }),
        entity('checkout-injected', './broken.yaml'),
        entity('checkout-escapes', '../../etc/passwd'),
      ],
    });
  }, 300_000);

  afterAll(async () => {
    await prometheus?.stop();
    silent?.close();
    if (dir) await fs.rm(dir, { recursive: true, force: true });
  });

  it('gives the SLI, remaining budget and burn rates worked out by hand', async () => {
    const res = await request(app)
      .get('/api/ops/slos')
      .query({ entityRef: 'component:default/checkout', at: AT });
    expect(res.status).toBe(200);
    expect(res.body.error).toBeUndefined();
    expect(res.body.definitionErrors).toEqual([]);
    expect(res.body.prometheus).toBe('default');
    const byName = Object.fromEntries(
      res.body.slos.map((s: { name: string }) => [s.name, s]),
    );
    expect(Object.keys(byName).sort()).toEqual(Object.keys(expected).sort());

    for (const [name, want] of Object.entries(expected)) {
      const slo = byName[name];
      expect(slo.error).toBeUndefined();
      expect(slo.querySource).toBe('raw');
      // named relative to the catalog file, never by the server's path
      expect(slo.source.file).toBe('slos.yaml');
      // 31 days of data cover the 30-day window: nothing is partial
      expect(slo.coverage).toMatchObject({
        complete: true,
        coveredSeconds: 30 * DAY,
        partialWindows: [],
      });
      const budget = 1 - want.objective;
      const windowRatio = want.errorRatio(30 * DAY);
      expect(slo.objective).toBe(want.objective);
      expect(slo.sli).toBeCloseTo(1 - windowRatio, 6);
      expect(Math.abs(slo.sli - (1 - windowRatio))).toBeLessThan(1e-6);
      expect(
        Math.abs(slo.errorBudget.remainingRatio - (1 - windowRatio / budget)),
      ).toBeLessThan(1e-6);
      expect(
        Math.abs(
          slo.errorBudget.remainingMinutes -
            (1 - windowRatio / budget) * ((budget * 30 * DAY) / 60),
        ),
      ).toBeLessThan(1e-6);
      for (const [window, seconds] of Object.entries(WINDOWS)) {
        const burnRate = want.errorRatio(seconds) / budget;
        expect([
          name,
          window,
          Math.abs(slo.burnRates[window] - burnRate) < 1e-6 * burnRate,
        ]).toEqual([name, window, true]);
      }
    }

    // The incident burns the availability budget 20x over the last 2 hours:
    // the page tier of 14.4x over 1 h and 5 m fires; 6x over 6 h (8.94x)
    // and 30 m as well; 1x over 3 d (1.66x) and 6 h raises a ticket, but
    // 3x over 1 d (2.98x) and 2 h does not.
    const availability = byName['checkout-availability'];
    expect(availability.alerts.severity).toBe('page');
    expect(
      availability.alerts.tiers
        .filter((t: { firing: boolean }) => t.firing)
        .map((t: { tier: { id: string } }) => t.tier.id),
    ).toEqual(['page-quick', 'page-slow', 'ticket-slow']);
  });

  it('makes the readiness item "SLOs defined" live', async () => {
    const readiness = async (name: string) => {
      const res = await request(app)
        .get('/api/ops/readiness')
        .query({ entityRef: `component:default/${name}` });
      expect(res.status).toBe(200);
      return res.body.items.find((i: { id: string }) => i.id === 'slos');
    };
    expect(await readiness('checkout')).toMatchObject({
      status: 'present',
      detail: "3 SLOs defined and evaluating on Prometheus 'default'",
    });
    expect(await readiness('checkout-on-down')).toMatchObject({
      status: 'missing',
      detail: expect.stringMatching(
        /not all evaluating: checkout-availability: Prometheus 'down' .* is unavailable: connection refused/,
      ),
    });
    expect(await readiness('checkout-injected')).toMatchObject({
      status: 'missing',
      detail: expect.stringContaining('invalid in the documents'),
    });
  });

  it('generates a rule file that promtool accepts, with TechDocs runbooks', async () => {
    const res = await request(app)
      .get('/api/ops/slos/rules')
      .query({ entityRef: 'component:default/checkout' });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/application\/yaml/);
    expect(res.text).toContain(
      'runbook_url: http://localhost:3000/docs/default/component/checkout/runbooks/high-latency/',
    );
    expect(res.text).toContain(
      'runbook_url: http://localhost:3000/docs/default/component/checkout/runbooks/high-error-rate/',
    );
    const file = path.join(dir, 'rules.yml');
    await fs.writeFile(file, res.text);
    const { stdout } = await promisify(execFile)(PROMTOOL_BIN, [
      'check',
      'rules',
      file,
    ]);
    expect(stdout).toMatch(/SUCCESS/);
  });

  it('evaluates "now" at the start of the answers\' 15 s, so that a second read asks Prometheus nothing', async () => {
    // Prometheus' own count of the query requests it answered.
    const answered = async () => {
      const text = await (await fetch(`${prometheus.baseUrl}/metrics`)).text();
      return [
        ...text.matchAll(
          /^prometheus_http_requests_total\{[^}]*handler="\/api\/v1\/query(_range)?"[^}]*\} (\d+)/gm,
        ),
      ].reduce((sum, match) => sum + Number(match[2]), 0);
    };
    const read = async () => {
      const res = await request(app)
        .get('/api/ops/slos')
        .query({ entityRef: 'component:default/checkout' });
      expect(res.status).toBe(200);
      return res.body.slos[0].evaluatedAt as string;
    };
    // Two reads in the same 15 s (a read at the end of one may not be).
    for (let attempt = 1; ; attempt++) {
      const first = await read();
      const before = await answered();
      expect(before).toBeGreaterThan(0);
      // A second later: "now" in seconds would be another time, other queries.
      await new Promise(resolve => setTimeout(resolve, 1100));
      const second = await read();
      if (second !== first && attempt < 3) continue;
      expect(second).toBe(first);
      expect(await answered()).toBe(before);
      const at = Date.parse(second);
      expect(at % 15_000).toBe(0);
      expect(Date.now() - at).toBeLessThan(15_000 + 5_000);
      break;
    }
  });

  it('draws the remaining budget over the window from a range query', async () => {
    const res = await request(app).get('/api/ops/slos/history').query({
      entityRef: 'component:default/checkout',
      slo: 'checkout-availability',
      at: AT,
    });
    expect(res.status).toBe(200);
    expect(res.body.error).toBeUndefined();
    expect(res.body.points.length).toBeGreaterThan(100);
    const last = res.body.points[res.body.points.length - 1];
    expect(last.time).toBe(AT);
    const windowRatio = expected['checkout-availability'].errorRatio(30 * DAY);
    expect(
      Math.abs(last.remainingRatio - (1 - windowRatio / 0.001)),
    ).toBeLessThan(1e-6);
  });

  it('says within 5 s that Prometheus is down or hung, per SLO', async () => {
    for (const [name, reason] of [
      ['checkout-on-down', /unavailable: connection refused/],
      ['checkout-on-hung', /unavailable: no answer within/],
    ] as const) {
      const started = Date.now();
      const res = await request(app)
        .get('/api/ops/slos')
        .query({ entityRef: `component:default/${name}` });
      expect(Date.now() - started).toBeLessThan(5000);
      expect(res.status).toBe(200);
      expect(res.body.slos).toHaveLength(3);
      for (const slo of res.body.slos) {
        expect(slo.error).toMatch(reason);
        expect(slo.sli).toBeUndefined();
      }
    }
  }, 20_000);

  it('keeps answering other routes while Prometheus hangs', async () => {
    const hung = request(app)
      .get('/api/ops/slos')
      .query({ entityRef: 'component:default/checkout-on-hung' })
      .then(r => r);
    const started = Date.now();
    const other = await request(app).get('/api/ops/severities');
    expect(other.status).toBe(200);
    expect(Date.now() - started).toBeLessThan(1000);
    await hung;
  });

  it('rejects a document that injects PromQL, with a located error', async () => {
    const res = await request(app)
      .get('/api/ops/slos')
      .query({ entityRef: 'component:default/checkout-injected', at: AT });
    expect(res.status).toBe(200);
    expect(res.body.definitionErrors.length).toBeGreaterThan(0);
    expect(res.body.definitionErrors[0].file).toBe('broken.yaml');
    expect(res.body.definitionErrors[0].line).toBeGreaterThan(0);
    // the SLOs that are fine still evaluate
    expect(res.body.slos.map((s: { name: string }) => s.name)).not.toContain(
      'checkout-availability',
    );
  });

  it('never reads files outside the catalog file directory', async () => {
    const res = await request(app)
      .get('/api/ops/slos')
      .query({ entityRef: 'component:default/checkout-escapes' });
    expect(res.status).toBe(200);
    expect(res.body.slos).toEqual([]);
    expect(res.body.error).toMatch(/leaves the directory of the catalog file/);
  });

  it('refuses a malformed request with a 400 naming the field', async () => {
    const noRef = await request(app).get('/api/ops/slos');
    expect(noRef.status).toBe(400);
    expect(noRef.body.error.message).toMatch(/entityRef/);
    const badAt = await request(app)
      .get('/api/ops/slos')
      .query({ entityRef: 'component:default/checkout', at: 'yesterday' });
    expect(badAt.status).toBe(400);
    expect(badAt.body.error.message).toMatch(/at/);
    const badSlo = await request(app).get('/api/ops/slos/history').query({
      entityRef: 'component:default/checkout',
      slo: '"} or vector(1)',
    });
    expect(badSlo.status).toBe(400);
    expect(badSlo.body.error.message).toMatch(/slo/);
  });
});
