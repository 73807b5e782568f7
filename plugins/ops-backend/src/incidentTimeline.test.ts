import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import request from 'supertest';
import { opsPlugin } from './plugin';

// Every write is also heard by notifications and live cards: a loaded CI
// machine needs more than Jest's default 5 s for these many writes.
jest.setTimeout(30_000);

const entity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'payments-api', namespace: 'default' },
  spec: { type: 'service', owner: 'team-payments', lifecycle: 'production' },
};

const AUTH = mockCredentials.user.header('user:default/alice');

async function startBackend() {
  const { server } = await startTestBackend({
    features: [
      opsPlugin,
      mockServices.rootConfig.factory({
        data: {
          app: { baseUrl: 'http://localhost:3000' },
          // The test writes 120 events at once.
          ops: { rateLimit: { writes: false } },
        },
      }),
      catalogServiceMock.factory({ entities: [entity] }),
      mockServices.permissions.mock({
        authorize: async requests =>
          requests.map(() => ({ result: AuthorizeResult.ALLOW })),
      }).factory,
    ],
  });
  return server;
}

describe('GET /incidents/{id}/events', () => {
  it('pages the timeline: the latest 100 by default, oldest first within a page, a cursor only when there is more', async () => {
    const server = await startBackend();
    const { body: incident } = await request(server)
      .post('/api/ops/incidents')
      .set('Authorization', AUTH)
      .send({
        entityRef: 'component:default/payments-api',
        title: 'Checkout returns 502',
        severity: 'SEV2',
      })
      .expect(201);
    for (let n = 1; n <= 119; n++) {
      await request(server)
        .post(`/api/ops/incidents/${incident.id}/events`)
        .set('Authorization', AUTH)
        .send({ type: 'note', message: `note ${n}` })
        .expect(201);
    }
    const events = (query: Record<string, string>) =>
      request(server)
        .get(`/api/ops/incidents/${incident.id}/events`)
        .query(query)
        .set('Authorization', AUTH);

    // 120 events: the declaration and 119 notes.
    const latest = await events({});
    expect(latest.status).toBe(200);
    expect(latest.body.items).toHaveLength(100);
    expect(latest.body.items[0].message).toBe('note 20');
    expect(latest.body.items[99].message).toBe('note 119');
    expect(latest.body.nextCursor).toEqual(expect.any(String));

    const earlier = await events({ cursor: latest.body.nextCursor });
    expect(earlier.status).toBe(200);
    expect(
      earlier.body.items.map((e: { message: string }) => e.message),
    ).toEqual([
      'Declared SEV2: Checkout returns 502',
      ...Array.from({ length: 19 }, (_, i) => `note ${i + 1}`),
    ]);
    expect(earlier.body).not.toHaveProperty('nextCursor');

    const small = await events({ limit: '30' });
    expect(small.body.items).toHaveLength(30);
    expect(small.body.items[0].message).toBe('note 90');
    const whole = await events({ limit: '120' });
    expect(whole.body.items).toHaveLength(120);
    expect(whole.body).not.toHaveProperty('nextCursor');
  });

  it.each([
    [{ limit: '0' }],
    [{ limit: '501' }],
    [{ limit: 'ten' }],
    [{ cursor: 'not a cursor' }],
    [{ cursor: 'bm90LWpzb24' }],
  ])('refuses %j with 400', async query => {
    const server = await startBackend();
    const { body: incident } = await request(server)
      .post('/api/ops/incidents')
      .set('Authorization', AUTH)
      .send({
        entityRef: 'component:default/payments-api',
        title: 'Checkout returns 502',
        severity: 'SEV2',
      })
      .expect(201);
    const response = await request(server)
      .get(`/api/ops/incidents/${incident.id}/events`)
      .query(query)
      .set('Authorization', AUTH);
    expect(response.status).toBe(400);
    expect(response.body.error.message).toEqual(expect.any(String));
  });
});

describe('PATCH /incidents/{id} on the timeline', () => {
  it('says in words who took command, the new severity, when the response started and that a root cause was recorded', async () => {
    const server = await startBackend();
    const { body: incident } = await request(server)
      .post('/api/ops/incidents')
      .set('Authorization', AUTH)
      .send({
        entityRef: 'component:default/payments-api',
        title: 'Checkout returns 502',
        severity: 'SEV3',
      })
      .expect(201);
    const startedAt = new Date(Date.now() - 60_000).toISOString();
    const { body: first } = await request(server)
      .patch(`/api/ops/incidents/${incident.id}`)
      .set('Authorization', AUTH)
      .send({
        version: incident.version,
        commander: 'user:default/alice',
        severity: 'SEV1',
        startedAt,
      })
      .expect(200);
    expect(first).toMatchObject({
      commander: 'user:default/alice',
      severity: 'SEV1',
      startedAt,
    });
    await request(server)
      .patch(`/api/ops/incidents/${incident.id}`)
      .set('Authorization', AUTH)
      .send({ version: first.version, rootCause: 'Connection pool exhausted' })
      .expect(200);

    const { body: timeline } = await request(server)
      .get(`/api/ops/incidents/${incident.id}/events`)
      .set('Authorization', AUTH)
      .expect(200);
    expect(
      timeline.items
        .filter((event: { type: string }) => event.type === 'updated')
        .map((event: { message: string }) => event.message),
    ).toEqual([
      'Commander none → user:default/alice; Severity SEV3 → SEV1; Response started',
      'Root cause recorded',
    ]);
  });
});
