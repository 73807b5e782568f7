import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import request from 'supertest';
import { opsPlugin } from './plugin';
import { AlertmanagerAlert } from './alerts/alertmanagerPayload';
import {
  oncallEntities,
  oncallSchedules,
} from './__testUtils__/oncallFixtures';

// Every write is also heard by notifications and live cards: a loaded CI
// machine needs more than Jest's default 5 s for these many writes.
jest.setTimeout(30_000);

const WEBHOOK = '/api/ops/alerts/alertmanager';
const ALERTMANAGER = mockCredentials.service.header();
const READER = mockCredentials.user.header('user:default/alice');

async function startBackend() {
  const { server } = await startTestBackend({
    features: [
      opsPlugin,
      mockServices.rootConfig.factory({
        data: {
          app: { baseUrl: 'http://localhost:3000' },
          ops: {
            oncall: { schedules: oncallSchedules },
            // mockCredentials.service's default subject
            principals: { alertmanager: ['external:test-service'] },
          },
        },
      }),
      catalogServiceMock.factory({ entities: oncallEntities }),
    ],
  });
  return server;
}

function alert(
  fingerprint: string,
  status: 'firing' | 'resolved',
  labels: Record<string, string> = {},
): Omit<AlertmanagerAlert, 'status'> & { status: string } {
  return {
    status,
    labels: {
      alertname: 'HighErrorRate',
      service: 'payments-api',
      severity: 'critical',
      ...labels,
    },
    annotations: { summary: 'Error rate above 5%' },
    startsAt: '2026-11-24T10:00:00.000Z',
    endsAt:
      status === 'resolved'
        ? '2026-11-24T10:20:00.000Z'
        : '0001-01-01T00:00:00Z',
    generatorURL: 'http://prometheus.example.com/graph?g0.expr=x',
    fingerprint,
  };
}

function delivery(
  alerts: ReturnType<typeof alert>[],
  groupKey = '{}:{alertname="HighErrorRate"}',
) {
  return {
    version: '4',
    groupKey,
    truncatedAlerts: 0,
    status: alerts.some(a => a.status === 'firing') ? 'firing' : 'resolved',
    receiver: 'opsdeck',
    groupLabels: { alertname: 'HighErrorRate' },
    commonLabels: { alertname: 'HighErrorRate', service: 'payments-api' },
    commonAnnotations: {},
    externalURL: 'http://alertmanager.example.com',
    alerts,
  };
}

async function incidentsOf(server: Parameters<typeof request>[0]) {
  const response = await request(server)
    .get('/api/ops/incidents?entityRef=component:default/payments-api')
    .set('Authorization', READER);
  return response.body.items as Array<{
    id: string;
    status: string;
    severity: string;
    labels: Record<string, string>;
    summary: string;
  }>;
}

describe('POST /alerts/alertmanager', () => {
  it('opens one incident per group, groups repeats into it and mitigates it when all alerts resolve', async () => {
    const server = await startBackend();
    const send = async (body: object) => {
      const response = await request(server)
        .post(WEBHOOK)
        .set('Authorization', ALERTMANAGER)
        .send(body);
      expect(response.status).toBe(200);
      return response.body;
    };

    const opened = await send(delivery([alert('a1', 'firing')]));
    expect(opened).toEqual({
      incidents: [
        {
          id: expect.any(String),
          entityRef: 'component:default/payments-api',
          action: 'opened',
        },
      ],
      ignored: 0,
    });
    const id = opened.incidents[0].id;
    const [incident] = await incidentsOf(server);
    expect(incident).toMatchObject({
      id,
      status: 'open',
      severity: 'SEV1',
      labels: {
        source: 'alertmanager',
        alertname: 'HighErrorRate',
        runbook:
          'http://localhost:3000/docs/default/component/payments-api/runbooks/high-error-rate/',
        'oncall/primary': expect.stringMatching(/^user:default\//),
        'oncall/engineering-manager': 'user:default/dana',
      },
    });
    expect(incident.summary).toContain(
      'Runbook: http://localhost:3000/docs/default/component/payments-api/runbooks/high-error-rate/',
    );

    // Alertmanager repeats the notification: nothing new.
    expect(await send(delivery([alert('a1', 'firing')]))).toMatchObject({
      incidents: [{ id, action: 'unchanged' }],
    });
    // A second alert joins the group.
    expect(
      await send(
        delivery([
          alert('a1', 'firing'),
          alert('a2', 'firing', { instance: 'b' }),
        ]),
      ),
    ).toMatchObject({ incidents: [{ id, action: 'updated' }] });
    // One resolves: still open.
    expect(
      await send(
        delivery([
          alert('a1', 'resolved'),
          alert('a2', 'firing', { instance: 'b' }),
        ]),
      ),
    ).toMatchObject({ incidents: [{ id, action: 'updated' }] });
    expect((await incidentsOf(server))[0].status).toBe('open');
    // All resolve: mitigated.
    expect(
      await send(
        delivery([
          alert('a1', 'resolved'),
          alert('a2', 'resolved', { instance: 'b' }),
        ]),
      ),
    ).toMatchObject({ incidents: [{ id, action: 'mitigated' }] });
    const incidents = await incidentsOf(server);
    expect(incidents).toHaveLength(1);
    expect(incidents[0].status).toBe('mitigated');

    const events = await request(server)
      .get(`/api/ops/incidents/${id}/events`)
      .set('Authorization', READER);
    expect(
      events.body.items.map((e: { type: string; message: string }) => [
        e.type,
        e.message,
      ]),
    ).toEqual([
      ['created', 'Declared SEV1: HighErrorRate: Error rate above 5%'],
      ['note', 'Alertmanager: 1 alert firing (HighErrorRate)'],
      ['note', 'Alertmanager: 1 more alert firing (HighErrorRate)'],
      ['note', 'Alertmanager: 1 alert resolved (HighErrorRate)'],
      ['note', 'Alertmanager: 1 alert resolved (HighErrorRate)'],
      ['status-changed', 'Status open → mitigated'],
    ]);
    expect(events.body.items[1].data).toMatchObject({
      source: 'alertmanager',
      runbook: { page: 'runbooks/high-error-rate' },
      oncall: expect.arrayContaining([
        { level: 'engineering-manager', userRef: 'user:default/dana' },
      ]),
    });

    // Once a person resolved it, the group firing again opens a new incident.
    await request(server)
      .patch(`/api/ops/incidents/${id}`)
      .set('Authorization', READER)
      .send({ version: 2, status: 'resolved' })
      .expect(200);
    const reopened = await send(delivery([alert('a1', 'firing')]));
    expect(reopened.incidents[0]).toMatchObject({ action: 'opened' });
    expect(reopened.incidents[0].id).not.toBe(id);
  });

  it('opens a single incident for concurrent deliveries of a new group', async () => {
    const server = await startBackend();
    const responses = await Promise.all(
      Array.from({ length: 6 }, () =>
        request(server)
          .post(WEBHOOK)
          .set('Authorization', ALERTMANAGER)
          .send(delivery([alert('c1', 'firing')], '{}:{alertname="Burst"}')),
      ),
    );
    expect(responses.map(r => r.status)).toEqual([
      200, 200, 200, 200, 200, 200,
    ]);
    expect(
      responses.filter(r => r.body.incidents[0].action === 'opened'),
    ).toHaveLength(1);
    expect(new Set(responses.map(r => r.body.incidents[0].id)).size).toBe(1);
    expect(await incidentsOf(server)).toHaveLength(1);
  });

  it('maps the severity label and ignores alerts that name no service', async () => {
    const server = await startBackend();
    const response = await request(server)
      .post(WEBHOOK)
      .set('Authorization', ALERTMANAGER)
      .send({
        ...delivery([
          alert('w1', 'firing', { severity: 'warning' }),
          { ...alert('x', 'firing'), labels: { alertname: 'NoService' } },
        ]),
        commonLabels: {},
      });
    expect(response.body.ignored).toBe(1);
    expect((await incidentsOf(server))[0].severity).toBe('SEV3');
  });

  const valid = delivery([alert('m1', 'firing')]);
  it.each([
    ['no version', { ...valid, version: undefined }, 400, /version/],
    ['version 3', { ...valid, version: '3' }, 400, /version/],
    ['no groupKey', { ...valid, groupKey: undefined }, 400, /groupKey/],
    ['a bad status', { ...valid, status: 'exploded' }, 400, /status/],
    ['no alerts', { ...valid, alerts: [] }, 400, /alerts/],
    [
      'an alert without fingerprint',
      { ...valid, alerts: [{ ...valid.alerts[0], fingerprint: undefined }] },
      400,
      /fingerprint/,
    ],
    [
      'labels that are not strings',
      { ...valid, alerts: [{ ...valid.alerts[0], labels: { service: 1 } }] },
      400,
      /labels/,
    ],
    [
      'a service with no entity',
      {
        ...valid,
        alerts: [alert('m1', 'firing', { service: 'unknown-api' })],
      },
      404,
      /unknown-api/,
    ],
    [
      'a service label that is no entity name',
      { ...valid, alerts: [alert('m1', 'firing', { service: 'a:b:c' })] },
      404,
      /service='a:b:c'/,
    ],
  ])(
    'refuses a delivery with %s and writes nothing',
    async (_, body, status, message) => {
      const server = await startBackend();
      const response = await request(server)
        .post(WEBHOOK)
        .set('Authorization', ALERTMANAGER)
        .send(body as object);
      expect(response.status).toBe(status);
      expect(response.body.error.message).toMatch(message);
      expect(await incidentsOf(server)).toEqual([]);
    },
  );

  // With the mock auth of the test backend a missing token is refused with
  // 403; alertmanager.test.ts checks the 401 of the real auth service.
  it('refuses unauthenticated calls and users, writing nothing', async () => {
    const server = await startBackend();
    for (const authorization of [undefined, 'Bearer not-a-token']) {
      const call = request(server).post(WEBHOOK);
      if (authorization) call.set('Authorization', authorization);
      const { status } = await call.send(valid);
      expect([401, 403]).toContain(status);
    }
    await request(server)
      .post(WEBHOOK)
      .set('Authorization', READER)
      .send(valid)
      .expect(403);
    expect(await incidentsOf(server)).toEqual([]);
  });
});
