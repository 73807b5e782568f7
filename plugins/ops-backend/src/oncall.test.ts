import { createServiceFactory } from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import request from 'supertest';
import { opsPlugin } from './plugin';
import {
  oncallEntities as entities,
  oncallSchedules as schedules,
} from './__testUtils__/oncallFixtures';

const OUTSIDER = 'user:default/outsider';
const OWNER = 'user:default/alice';

async function startBackend(catalog = catalogServiceMock({ entities })) {
  const auditor = mockServices.auditor.mock();
  const audit: Array<{ eventId: string; outcome: string }> = [];
  auditor.createEvent.mockImplementation(async ({ eventId }) => ({
    success: async () => {
      audit.push({ eventId, outcome: 'succeeded' });
    },
    fail: async () => {
      audit.push({ eventId, outcome: 'failed' });
    },
  }));
  const { server } = await startTestBackend({
    features: [
      opsPlugin,
      mockServices.rootConfig.factory({
        data: {
          app: { baseUrl: 'http://localhost:3000' },
          ops: { oncall: { schedules } },
        },
      }),
      createServiceFactory({
        service: catalogServiceRef,
        deps: {},
        factory: () => catalog,
      }),
      mockServices.permissions.mock({
        authorize: async (requests, options) =>
          requests.map(() => ({
            result:
              (options.credentials.principal as { userEntityRef?: string })
                .userEntityRef === OUTSIDER
                ? AuthorizeResult.DENY
                : AuthorizeResult.ALLOW,
          })),
      }).factory,
      auditor.factory,
    ],
  });
  return { server, audit };
}

describe('GET /oncall', () => {
  it('computes who is on call from a schedule in config, with contacts, skipping who left the team', async () => {
    const { server } = await startBackend();
    // Week 13 (from Monday 2026-04-06 09:00 Berlin) is bob's; bob left the
    // team, so carol, next in line, has it, then her own week 14.
    const response = await request(server)
      .get('/api/ops/oncall')
      .query({
        entityRef: 'component:default/payments-api',
        at: '2026-04-07T12:00:00.000Z',
      })
      .set('Authorization', mockCredentials.user.header(OWNER));
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      entityRef: 'component:default/payments-api',
      provider: 'schedule',
      schedule: 'payments',
      at: '2026-04-07T12:00:00.000Z',
      state: 'ok',
      messages: [
        'user:default/bob is in schedule payments but no longer a member of group:default/team-payments: their turns go to the next person',
      ],
      levels: [
        {
          level: 'primary',
          current: {
            userRef: 'user:default/carol',
            start: '2026-04-06T07:00:00.000Z',
            end: '2026-04-20T07:00:00.000Z',
            contact: {
              userRef: 'user:default/carol',
              displayName: 'CAROL',
              email: 'carol@example.com',
            },
          },
          next: {
            userRef: 'user:default/alice',
            start: '2026-04-20T07:00:00.000Z',
            end: '2026-04-27T07:00:00.000Z',
            contact: {
              userRef: 'user:default/alice',
              displayName: 'ALICE',
              email: 'alice@example.com',
              chatUrl: 'https://chat.example.com/alice',
            },
          },
        },
        {
          level: 'engineering-manager',
          current: {
            userRef: 'user:default/dana',
            start: expect.any(String),
            contact: expect.objectContaining({ email: 'dana@example.com' }),
          },
        },
      ],
    });
  });

  it('asks the catalog nothing for the team and the people on a read within the time to live', async () => {
    const catalog = catalogServiceMock({ entities });
    const { server } = await startBackend(catalog);
    const read = () =>
      request(server)
        .get('/api/ops/oncall')
        .query({
          entityRef: 'component:default/payments-api',
          at: '2026-04-07T12:00:00.000Z',
        })
        .set('Authorization', mockCredentials.user.header(OWNER));
    const first = await read();
    expect(first.status).toBe(200);
    expect(first.body.levels[0].current.contact.displayName).toBe('CAROL');
    const asked = [
      jest.spyOn(catalog, 'getEntityByRef'),
      jest.spyOn(catalog, 'getEntitiesByRefs'),
      jest.spyOn(catalog, 'getEntities'),
    ];
    const second = await read();
    expect(second.body).toEqual(first.body);
    for (const spy of asked) {
      expect(spy).not.toHaveBeenCalled();
    }
  });

  it('says when an entity has no schedule, and 404s an unknown entity', async () => {
    const { server } = await startBackend();
    const none = await request(server)
      .get('/api/ops/oncall?entityRef=component:default/search-api')
      .set('Authorization', mockCredentials.user.header(OWNER));
    expect(none.status).toBe(200);
    expect(none.body).toMatchObject({ provider: 'none', levels: [] });
    const unknown = await request(server)
      .get('/api/ops/oncall?entityRef=component:default/nope')
      .set('Authorization', mockCredentials.user.header(OWNER));
    expect(unknown.status).toBe(404);
    const bad = await request(server)
      .get('/api/ops/oncall?entityRef=payments')
      .set('Authorization', mockCredentials.user.header(OWNER));
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/entityRef/);
  });
});

describe('on-call overrides', () => {
  const start = new Date(Date.now() + 3600_000).toISOString();
  const end = new Date(Date.now() + 5 * 3600_000).toISOString();
  const swap = {
    entityRef: 'component:default/payments-api',
    level: 'primary',
    userRef: 'user:default/erin',
    start,
    end,
    reason: 'Shift swap with carol',
  };

  it('adds, shows, lists and deletes an override, audited', async () => {
    const { server, audit } = await startBackend();
    const created = await request(server)
      .post('/api/ops/oncall/overrides')
      .set('Authorization', mockCredentials.user.header(OWNER))
      .send(swap);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ ...swap, createdBy: OWNER });

    const during = await request(server)
      .get('/api/ops/oncall')
      .query({
        entityRef: swap.entityRef,
        at: new Date(Date.now() + 2 * 3600_000).toISOString(),
      })
      .set('Authorization', mockCredentials.user.header(OWNER));
    expect(during.body.levels[0].current).toMatchObject({
      userRef: 'user:default/erin',
      start,
      end,
      overrideId: created.body.id,
    });

    const listed = await request(server)
      .get(`/api/ops/oncall/overrides?entityRef=${swap.entityRef}`)
      .set('Authorization', mockCredentials.user.header(OWNER));
    expect(listed.body.items.map((o: { id: string }) => o.id)).toEqual([
      created.body.id,
    ]);

    const deleted = await request(server)
      .delete(`/api/ops/oncall/overrides/${created.body.id}`)
      .set('Authorization', mockCredentials.user.header(OWNER));
    expect(deleted.status).toBe(200);
    const again = await request(server)
      .delete(`/api/ops/oncall/overrides/${created.body.id}`)
      .set('Authorization', mockCredentials.user.header(OWNER));
    expect(again.status).toBe(404);
    expect(audit).toEqual([
      { eventId: 'oncall-override-create', outcome: 'succeeded' },
      { eventId: 'oncall-override-delete', outcome: 'succeeded' },
      { eventId: 'oncall-override-delete', outcome: 'failed' },
    ]);
  });

  it.each([
    [{ ...swap, level: 'tertiary' }, 400, /level/],
    [{ ...swap, userRef: 'erin' }, 400, /userRef/],
    [{ ...swap, userRef: 'user:default/nobody' }, 400, /userRef/],
    [{ ...swap, end: start }, 400, /end/],
    [{ ...swap, start: 'tomorrow' }, 400, /start/],
    [{ ...swap, extra: 1 }, 400, /extra|additional/i],
    // a leap second Date.parse cannot read: named as the start, not the end
    [{ ...swap, start: '2030-12-31T23:59:60Z' }, 400, /Invalid start/],
    [
      { ...swap, start: '2030-02-28T10:00:00Z', end: '2030-02-30T10:00:00Z' },
      400,
      /Invalid end '2030-02-30/,
    ],
    [{ ...swap, reason: 'swap\u0000' }, 400, /reason/],
  ])('refuses %j with %i', async (body, status, message) => {
    const { server } = await startBackend();
    const response = await request(server)
      .post('/api/ops/oncall/overrides')
      .set('Authorization', mockCredentials.user.header(OWNER))
      .send(body);
    expect(response.status).toBe(status);
    expect(response.body.error.message).toMatch(message);
    const listed = await request(server)
      .get(`/api/ops/oncall/overrides?entityRef=${swap.entityRef}`)
      .set('Authorization', mockCredentials.user.header(OWNER));
    expect(listed.body.items).toEqual([]);
  });

  it('refuses a write the policy denies, and audits the refusal', async () => {
    const { server, audit } = await startBackend();
    const response = await request(server)
      .post('/api/ops/oncall/overrides')
      .set('Authorization', mockCredentials.user.header(OUTSIDER))
      .send(swap);
    expect(response.status).toBe(403);
    expect(audit).toEqual([
      { eventId: 'oncall-override-create', outcome: 'failed' },
    ]);
  });
});
