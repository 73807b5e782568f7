import { mockCredentials } from '@backstage/backend-test-utils';
import { Notification } from '@backstage/plugin-notifications-common';
import request from 'supertest';
import { waitFor } from '../__testUtils__/processes';
import {
  startNotificationsBackend,
  startPostgres,
  team,
  user,
} from './__testUtils__/notificationsTestBackend';

/*
 * Acceptance 1 (events): the ops plugin and the real notifications backend
 * on a PostgreSQL of the test's own. Each event is caused through the ops
 * HTTP API; what each person received is read back from their inbox through
 * the notifications REST API. payments-api is owned by team-payments (alice,
 * bob, carol); bob is its primary on call (named in the send's recipients
 * as well: a PagerDuty on-call need not be an owner); dana is neither and
 * must receive nothing.
 */
jest.setTimeout(120_000);

const PAYMENTS = 'component:default/payments-api';
const RECIPIENTS = ['alice', 'bob', 'carol'];
const ALICE = mockCredentials.user.header('user:default/alice');

const entities = [
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name: 'payments-api',
      namespace: 'default',
      title: 'Payments API',
      annotations: {
        'opsdeck.dev/oncall-schedule': 'payments-primary',
        'opsdeck.dev/databases': 'payments-db',
      },
    },
    spec: { type: 'service', owner: 'team-payments', lifecycle: 'production' },
    relations: [{ type: 'ownedBy', targetRef: 'group:default/team-payments' }],
  },
  team('team-payments', ['alice', 'bob', 'carol']),
  ...['alice', 'bob', 'carol', 'dana'].map(user),
];

const ops = {
  databases: { 'payments-db': { entities: [PAYMENTS] } },
  oncall: {
    schedules: {
      'payments-primary': {
        rotation: { timeZone: 'UTC', start: '2026-01-05' },
        layers: [{ level: 'primary', participants: ['user:default/bob'] }],
      },
    },
  },
  // mockCredentials.service's default subject
  principals: { alertmanager: ['external:test-service'] },
  notifications: { slack: { channelsBySeverity: { SEV1: '#payments-sev1' } } },
};

let pg: Awaited<ReturnType<typeof startPostgres>>;
let env: Awaited<ReturnType<typeof startNotificationsBackend>>;

beforeAll(async () => {
  pg = await startPostgres();
  env = await startNotificationsBackend({
    connection: pg.connection,
    prefix: 'notify_events_',
    entities,
    ops,
  });
});

afterAll(async () => {
  await env?.backend.stop();
  await pg?.stop();
});

/** Every inbox, by user name. */
async function inboxes(): Promise<Record<string, Notification[]>> {
  const names = ['alice', 'bob', 'carol', 'dana'];
  const all = await Promise.all(names.map(n => env.inbox(n)));
  return Object.fromEntries(names.map((n, i) => [n, all[i]]));
}

/**
 * Waits until the recipients' notification of `scope` has `title`, then
 * checks every inbox: the recipients hold `total` notifications, one of
 * this scope; dana holds none.
 */
async function expectDelivered(scope: string, title: string, total: number) {
  const boxes = await waitFor(
    `${title} in every recipient's inbox`,
    async () => {
      const all = await inboxes();
      const arrived = RECIPIENTS.every(n =>
        all[n].some(
          x => x.payload.scope === scope && x.payload.title === title,
        ),
      );
      return arrived ? all : undefined;
    },
    15_000,
  );
  for (const name of RECIPIENTS) {
    expect(boxes[name]).toHaveLength(total);
    expect(boxes[name].filter(x => x.payload.scope === scope)).toHaveLength(1);
  }
  expect(boxes.dana).toEqual([]);
  return boxes.alice.find(x => x.payload.scope === scope)!;
}

function post(path: string, body: object) {
  return request(env.server)
    .post(`/api/ops${path}`)
    .set('Authorization', ALICE)
    .send(body);
}

function patch(path: string, body: object) {
  return request(env.server)
    .patch(`/api/ops${path}`)
    .set('Authorization', ALICE)
    .send(body);
}

describe('notifications of OpsDeck events', () => {
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
        'Commander: alice',
      ].join('\n'),
      link: `/ops/incidents/${incidentId}`,
      severity: 'critical',
      topic: 'opsdeck.incident',
      scope,
      icon: null,
    });
    // The Slack module's routing key: payments-api names no channel of its
    // own, so SEV1's channel of config.
    const sent = env.sends.filter(s => s.payload.scope === scope);
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
        const [n] = (await env.inbox('bob')).filter(
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
    const current = await request(env.server)
      .get(`/api/ops/incidents/${incidentId}`)
      .set('Authorization', ALICE);
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
    expect(env.sends.filter(s => s.payload.scope === scope)).toHaveLength(4);
  });

  it('announces an incident Alertmanager opens, mapped to its severity', async () => {
    const res = await request(env.server)
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
    const [sent, ...more] = env.sends.filter(
      s => s.payload.scope === `opsdeck:incident:${id}`,
    );
    expect(sent.payload.metadata).toBeUndefined();
    expect(more).toEqual([]);
  });

  it('tells of drills, failovers and rollbacks as they end, and of a failover as it starts', async () => {
    let total = 2;
    const run = async (
      kind: string,
      status: 'passed' | 'failed',
      expected: {
        started?: string;
        ended: string;
        severity: string;
        topic: string;
      },
    ) => {
      const created = await post('/drills', {
        entityRef: PAYMENTS,
        kind,
        target: 'payments-db',
      });
      expect(created.status).toBe(201);
      const drillScope = `opsdeck:drill:${created.body.id}`;
      total++;
      // Only a failover's start is told, as a high one.
      const start =
        expected.started &&
        (await expectDelivered(drillScope, expected.started, total));
      expect(start && start.payload.severity).toBe(expected.started && 'high');
      const finished = await patch(`/drills/${created.body.id}`, {
        status,
        rtoSeconds: 600,
        rpoSeconds: 60,
      });
      expect(finished.status).toBe(200);
      const n = await expectDelivered(drillScope, expected.ended, total);
      expect(n.payload).toMatchObject({
        severity: expected.severity,
        topic: expected.topic,
        link: '/catalog/default/component/payments-api/operations',
      });
      return n;
    };

    const passed = await run('backup-restore', 'passed', {
      ended: 'BACKUP DRILL PASSED: Payments API payments-db',
      severity: 'normal',
      topic: 'opsdeck.drill',
    });
    expect(passed.payload.description).toBe(
      [
        'Service: Payments API',
        'Target: payments-db',
        'Status: Passed',
        'Triggered By: alice',
        'RTO: 10 minutes (objective 1 hour)',
        'RPO: 1 minute (objective 15 minutes)',
      ].join('\n'),
    );
    await run('backup-restore', 'failed', {
      ended: 'BACKUP DRILL FAILED: Payments API payments-db',
      severity: 'high',
      topic: 'opsdeck.drill',
    });
    await run('failover', 'passed', {
      started: 'FAILOVER STARTED: Payments API payments-db',
      ended: 'FAILOVER FINISHED: Payments API payments-db',
      severity: 'normal',
      topic: 'opsdeck.failover',
    });
    await run('failover', 'failed', {
      started: 'FAILOVER STARTED: Payments API payments-db',
      ended: 'FAILOVER FAILED: Payments API payments-db',
      severity: 'critical',
      topic: 'opsdeck.failover',
    });
    await run('rollback', 'passed', {
      ended: 'ROLLBACK FINISHED: Payments API payments-db',
      severity: 'normal',
      topic: 'opsdeck.rollback',
    });
    await run('rollback', 'failed', {
      ended: 'ROLLBACK FAILED: Payments API payments-db',
      severity: 'critical',
      topic: 'opsdeck.rollback',
    });
    // One send per event: 4 for the incident, 1 for Alertmanager's, 6 ends
    // and 2 failover starts.
    expect(env.sends).toHaveLength(4 + 1 + 6 + 2);
  });
});
