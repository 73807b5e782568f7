import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { sloEntity, startSloTestBackend } from './__testUtils__/sloTestBackend';
import {
  openMetricsOf,
  startTestPrometheus,
  TestPrometheus,
} from './__testUtils__/testPrometheus';

/*
 * Acceptance 2: the draft of a post-mortem, started through the API, for an
 * incident whose window holds a deployment, a rollback, an alert and SLO
 * burn, against a real Prometheus backfilled with known series.
 *
 * The series: 6 hours of one sample a minute, ending at END (a whole hour).
 * Each minute checkout serves 100 requests; normally 0.1 fail and 99 finish
 * within 0.5 s; in the last 60 minutes (the incident, END - 1 h to END) 2
 * fail and 90 are fast.
 *
 * The incident window is [END - 1 h, END]: the draft asks each SLO's error
 * ratio over `1h` at END, whose samples (END - 59 min ... END) differ only by
 * incident minutes, so (increase() extrapolates both counters alike):
 *   availability: error ratio 2/100 = 2 %; objective 99.9 % over 30 d:
 *     burn 0.02 / 0.001 = 20, over 1 h of 720: 20 / 720 = 2.78 % of the budget
 *   latency: error ratio 10/100 = 10 %; objective 99 %: burn 10,
 *     10 / 720 = 1.39 % of the budget
 */
const MINUTE = 60;
const HOUR = 3600;
const END = Math.floor(Date.now() / 1000 / HOUR) * HOUR - HOUR;
const START = END - 6 * HOUR;
const INCIDENT_MINUTES = 60;
const iso = (seconds: number) => new Date(seconds * 1000).toISOString();

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
          valueAt: i =>
            (minutes(i).normal * 999 + minutes(i).incident * 980) / 10,
        },
        {
          metric: 'http_requests_total',
          labels: { service: 'checkout', code: '500' },
          valueAt: i => (minutes(i).normal * 1 + minutes(i).incident * 20) / 10,
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
          valueAt: i => minutes(i).normal * 99 + minutes(i).incident * 90,
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
  displayName: Checkout availability
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
  displayName: Checkout latency
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
`;

/** The budget share the draft prints, worked out by hand (see the top). */
const percent = (ratio: number) => `${(ratio * 100).toFixed(2)} %`;
const AVAILABILITY_SPENT = percent((0.02 / 0.001) * (HOUR / (30 * 86400)));
const LATENCY_SPENT = percent((0.1 / 0.01) * (HOUR / (30 * 86400)));

const CHECKOUT = 'component:default/checkout';
const RUNBOOK = 'https://runbooks.example.com/checkout/high-error-rate';

describe('the post-mortem draft of an incident on a real Prometheus', () => {
  let prometheus: TestPrometheus;
  let dir: string;
  let app: Parameters<typeof request>[0];

  beforeAll(async () => {
    prometheus = await startTestPrometheus({ openMetrics });
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'opsdeck-postmortems-'));
    await fs.writeFile(path.join(dir, 'slos.yaml'), SLO_DOCUMENTS);
    app = await startSloTestBackend({
      prometheusServers: { default: { baseUrl: prometheus.baseUrl } },
      entities: [
        sloEntity({
          name: 'checkout',
          catalogFile: path.join(dir, 'catalog-info.yaml'),
          openslo: './slos.yaml',
        }),
      ],
    });
  }, 120_000);

  afterAll(async () => {
    await prometheus?.stop();
    if (dir) await fs.rm(dir, { recursive: true, force: true });
  });

  async function ok(req: request.Test, status = 200) {
    const res = await req;
    expect({ status: res.status, body: res.body }).toMatchObject({ status });
    return res.body;
  }

  it('holds the deployment, the rollback, the alert and the budget each SLO spent', async () => {
    // A deployment 3 h before the incident, a rollback during it.
    await ok(
      request(app)
        .post('/api/ops/deployments')
        .send({
          entityRef: CHECKOUT,
          environment: 'production',
          version: '2.4.0',
          startedAt: iso(END - 3 * HOUR),
          status: 'succeeded',
        }),
      201,
    );
    await ok(
      request(app)
        .post('/api/ops/deployments')
        .send({
          entityRef: CHECKOUT,
          environment: 'production',
          version: '2.3.9',
          startedAt: iso(END - 30 * MINUTE),
          status: 'rolled-back',
          description: 'Roll back 2.4.0: checkout 5xx',
        }),
      201,
    );
    // One outside the lookback (24 h by default): not in the draft.
    await ok(
      request(app)
        .post('/api/ops/deployments')
        .send({
          entityRef: CHECKOUT,
          environment: 'production',
          version: '2.2.0',
          startedAt: iso(END - 30 * HOUR),
          status: 'succeeded',
        }),
      201,
    );

    const incident = await ok(
      request(app)
        .post('/api/ops/incidents')
        .send({
          entityRef: CHECKOUT,
          title: 'Checkout returns 5xx',
          severity: 'SEV2',
          summary: 'Checkout failed 2 % of requests after 2.4.0.',
          detectedAt: iso(END - HOUR + 5 * MINUTE),
          startedAt: iso(END - HOUR),
        }),
      201,
    );
    // The alert as the Alertmanager webhook records it on the timeline.
    await ok(
      request(app)
        .post(`/api/ops/incidents/${incident.id}/events`)
        .send({
          type: 'note',
          message: 'Alertmanager: 1 alert firing (CheckoutHighErrorRate)',
          data: {
            source: 'alertmanager',
            alerts: [
              {
                fingerprint: 'f1',
                status: 'firing',
                labels: { alertname: 'CheckoutHighErrorRate' },
                annotations: { summary: '5xx above 1 %', runbook_url: RUNBOOK },
                startsAt: iso(END - HOUR),
              },
            ],
          },
        }),
      201,
    );
    await ok(
      request(app)
        .post(`/api/ops/incidents/${incident.id}/events`)
        .send({ type: 'action', message: 'Rolled back to 2.3.9' }),
      201,
    );
    const mitigated = await ok(
      request(app)
        .patch(`/api/ops/incidents/${incident.id}`)
        .send({
          version: incident.version,
          status: 'mitigated',
          mitigatedAt: iso(END - 20 * MINUTE),
        }),
    );
    await ok(
      request(app)
        .patch(`/api/ops/incidents/${incident.id}`)
        .send({
          version: mitigated.version,
          status: 'resolved',
          resolvedAt: iso(END),
        }),
    );

    const postmortem = await ok(
      request(app).post(`/api/ops/incidents/${incident.id}/postmortem`),
      201,
    );
    expect(postmortem).toMatchObject({
      incidentId: incident.id,
      entityRef: CHECKOUT,
      status: 'draft',
      version: 1,
      severity: 'SEV2',
      overdue: false,
    });
    const body: string = postmortem.body;

    // Impact: detected END-55m, mitigated END-20m, resolved END; SEV2 resolves within 4 h.
    expect(body).toContain('Detection to mitigation: 35m (target 4h: met)');
    expect(body).toContain('Detection to resolution: 55m (target 4h: met)');
    expect(body).toMatch(
      new RegExp(
        `\\| Checkout availability \\| 99.9 % over 30d \\| 2.00 % \\| ${AVAILABILITY_SPENT} of the 30d budget \\|`,
      ),
    );
    expect(body).toMatch(
      new RegExp(
        `\\| Checkout latency \\| 99 % over 30d \\| 10.00 % \\| ${LATENCY_SPENT} of the 30d budget \\|`,
      ),
    );
    expect(AVAILABILITY_SPENT).toBe('2.78 %');
    expect(LATENCY_SPENT).toBe('1.39 %');

    // Deployments: the one before, the rollback during, not the old one.
    expect(body).toMatch(
      /\| before \| Deployment \| 2\.4\.0 \| production \| succeeded \|/,
    );
    expect(body).toMatch(
      /\| during \| Rollback \| 2\.3\.9 \| production \| rolled-back \| Roll back 2\.4\.0: checkout 5xx \|/,
    );
    expect(body).not.toContain('2.2.0');

    // The alert with its runbook, the action, and the sections left to people.
    expect(body).toContain(
      `**CheckoutHighErrorRate** opened the incident (firing since ${iso(
        END - HOUR,
      ).slice(0, 10)} ${iso(END - HOUR).slice(11, 16)} UTC)`,
    );
    expect(body).toContain(`5xx above 1 % ([runbook](${RUNBOOK}))`);
    // The incident's own times are on the timeline, in order.
    const timeline = body.slice(body.indexOf('## Timeline'));
    expect(timeline.indexOf('**Impact started**')).toBeLessThan(
      timeline.indexOf('**Detected**'),
    );
    expect(timeline.indexOf('**Mitigated**')).toBeLessThan(
      timeline.indexOf('**Resolved**'),
    );
    expect(body).toMatch(/## Actions taken\n\n- .*: Rolled back to 2\.3\.9/);
    for (const section of [
      'Summary',
      'Impact',
      'Timeline',
      'Deployments and rollbacks',
      'Alerts',
      'On call',
      'Root cause',
      'Contributing factors',
      'Lessons learned',
      'Action items',
    ]) {
      expect(body).toContain(`\n## ${section}\n`);
    }

    // The export carries the record in its front matter, then the body.
    const exported = await request(app).get(
      `/api/ops/postmortems/${postmortem.id}/markdown`,
    );
    expect(exported.status).toBe(200);
    expect(exported.headers['content-type']).toMatch(/^text\/markdown/);
    expect(exported.text).toMatch(
      new RegExp(
        `^---\\ntitle: "Checkout returns 5xx"\\npostmortem: "${postmortem.id}"\\nincident: "${incident.id}"\\n`,
      ),
    );
    expect(exported.text).toContain(`---\n${body.trimEnd()}\n`);
  });
});
