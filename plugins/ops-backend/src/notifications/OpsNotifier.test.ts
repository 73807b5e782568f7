import { mockCredentials } from '@backstage/backend-test-utils';
import request from 'supertest';
import { waitFor } from '../__testUtils__/processes';
import {
  PAYMENTS,
  startPaymentsInboxes,
} from './__testUtils__/paymentsInboxes';

/*
 * Acceptance 1, incidents: declared by a person or by Alertmanager, changed,
 * noted, resolved; each caused through the ops HTTP API and read back from
 * the inboxes (see paymentsInboxes for who is who).
 */
jest.setTimeout(120_000);

let payments: Awaited<ReturnType<typeof startPaymentsInboxes>>;
const post = (path: string, body: object) =>
  payments.asAlice('post', path).send(body);
const patch = (path: string, body: object) =>
  payments.asAlice('patch', path).send(body);
const expectDelivered = (...args: [string, string, number]) =>
  payments.expectDelivered(...args);

beforeAll(async () => {
  payments = await startPaymentsInboxes('notify_incidents_', 5840);
});

afterAll(async () => {
  await payments?.stop();
});

describe('notifications of incidents', () => {
  let incidentId = '';
  let version = 0;
  let scope = '';

  it('announces a declared incident to the owners and the primary on call', async () => {
    const res = await post('/incidents', {
      entityRef: PAYMENTS,
      title: 'Card payments failing',
      severity: 'SEV1',
      summary: 'Card payments fail with 502 from the gateway\nSince 10:00',
      detectedAt: '2026-12-01T10:00:00.000Z',
      commander: 'user:default/alice',
      labels: { impact: 'All EU card payments fail' },
    });
    expect(res.status).toBe(201);
    incidentId = res.body.id;
    version = res.body.version;
    scope = `opsdeck:incident:${incidentId}`;

    const n = await expectDelivered(
      scope,
      'INCIDENT ALERT: Card payments failing',
      1,
    );
    expect(n.payload).toEqual({
      title: 'INCIDENT ALERT: Card payments failing',
      description: [
        'Severity: SEV1 - Critical',
        'Service: Payments API',
        'Issue: Card payments fail with 502 from the gateway',
        'Impact: All EU card payments fail',
        'ETA: Investigating',
        'On-Call: Bob Example',
        'Commander: Alice Example',
      ].join('\n'),
      link: `/ops/incidents/${incidentId}`,
      severity: 'critical',
      topic: 'opsdeck.incident',
      scope,
      icon: null,
    });
    // The Slack module's routing key: payments-api names no channel of its
    // own, so SEV1's channel of config.
    const sent = payments.env.sends.filter(s => s.payload.scope === scope);
    expect(sent).toHaveLength(1);
    expect(sent[0].recipients).toEqual({
      type: 'entity',
      entityRef: [PAYMENTS, 'user:default/bob'],
    });
    expect(sent[0].payload.metadata).toEqual({
      slackChannel: '#payments-sev1',
    });
  });

  it('replaces it with the update of a status change, in the same scope', async () => {
    const res = await patch(`/incidents/${incidentId}`, {
      version,
      status: 'investigating',
    });
    expect(res.status).toBe(200);
    version = res.body.version;

    const n = await expectDelivered(
      scope,
      'INCIDENT UPDATE: Card payments failing',
      1,
    );
    expect(n.updated).toBeTruthy();
    expect(n.payload.description).toBe(
      [
        `Incident: #${incidentId.slice(0, 8)}`,
        'Status: Investigating',
        'Progress: Status open → investigating',
        'Next Update: 30 minutes',
      ].join('\n'),
    );
    expect(n.payload.severity).toBe('critical');
  });

  it('updates it with a note', async () => {
    const res = await post(`/incidents/${incidentId}/events`, {
      type: 'note',
      message: 'Rolled back payments-gateway to v41',
    });
    expect(res.status).toBe(201);
    await waitFor(
      'the note in the update',
      async () => {
        const [n] = (await payments.env.inbox('bob')).filter(
          x => x.payload.scope === scope,
        );
        return n.payload.description?.includes(
          'Progress: Rolled back payments-gateway to v41',
        )
          ? n
          : undefined;
      },
      15_000,
    );
    await expectDelivered(scope, 'INCIDENT UPDATE: Card payments failing', 1);
  });

  it('replaces it with the resolution', async () => {
    const current = await payments.asAlice('get', `/incidents/${incidentId}`);
    const res = await patch(`/incidents/${incidentId}`, {
      version: current.body.version,
      status: 'resolved',
      resolvedAt: '2026-12-01T10:45:00.000Z',
      rootCause: 'Database connection pool exhausted',
      postmortemUrl: 'https://docs.example.com/postmortems/payments-1',
      labels: { ...current.body.labels, resolution: 'Pool size raised to 50' },
    });
    expect(res.status).toBe(200);

    const n = await expectDelivered(
      scope,
      'INCIDENT RESOLVED: Card payments failing',
      1,
    );
    expect(n.payload.description).toBe(
      [
        `Incident: #${incidentId.slice(0, 8)}`,
        'Duration: 45 minutes',
        'Root Cause: Database connection pool exhausted',
        'Resolution: Pool size raised to 50',
        'Post-Mortem: https://docs.example.com/postmortems/payments-1',
      ].join('\n'),
    );
    // Four sends for one incident: declared, status, note, resolved.
    expect(
      payments.env.sends.filter(s => s.payload.scope === scope),
    ).toHaveLength(4);
  });

  it('announces an incident Alertmanager opens, mapped to its severity', async () => {
    const res = await request(payments.env.server)
      .post('/api/ops/alerts/alertmanager')
      .set('Authorization', mockCredentials.service.header())
      .send({
        version: '4',
        groupKey: '{}:{alertname="HighErrorRate"}',
        truncatedAlerts: 0,
        status: 'firing',
        receiver: 'opsdeck',
        groupLabels: { alertname: 'HighErrorRate' },
        commonLabels: { alertname: 'HighErrorRate', service: 'payments-api' },
        commonAnnotations: {},
        externalURL: 'http://alertmanager.example.com',
        alerts: [
          {
            status: 'firing',
            labels: {
              alertname: 'HighErrorRate',
              service: 'payments-api',
              severity: 'high',
            },
            annotations: { summary: 'Error rate above 5%' },
            startsAt: '2026-12-01T11:00:00.000Z',
            endsAt: '0001-01-01T00:00:00Z',
            generatorURL: 'http://prometheus.example.com/graph',
            fingerprint: 'f1',
          },
        ],
      });
    expect(res.status).toBe(200);
    const id = res.body.incidents[0].id;
    const n = await expectDelivered(
      `opsdeck:incident:${id}`,
      'INCIDENT ALERT: HighErrorRate: Error rate above 5%',
      2,
    );
    expect(n.payload.severity).toBe('high');
    expect(n.payload.description).toContain('Severity: SEV2 - High\n');
    expect(n.payload.description).toContain('On-Call: Bob Example\n');
    expect(n.payload.description).toContain(
      'Issue: HighErrorRate: Error rate above 5%\n',
    );
    // SEV2 has no channel in config: the Slack module is left to its own
    // routing. And the note Alertmanager writes as it opens the incident
    // sends nothing more.
    const [sent, ...more] = payments.env.sends.filter(
      s => s.payload.scope === `opsdeck:incident:${id}`,
    );
    expect(sent.payload.metadata).toBeUndefined();
    expect(more).toEqual([]);
  });
});
