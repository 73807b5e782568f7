import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import request from 'supertest';
import { ConfigReader } from '@backstage/config';
import { readWritesPerMinute } from './config';
import { opsPlugin } from './plugin';

const entity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'payments-api', namespace: 'default' },
  spec: { type: 'service', owner: 'team-payments', lifecycle: 'production' },
};

const ALICE = 'user:default/alice';
const BOB = 'user:default/bob';

const newIncident = {
  entityRef: 'component:default/payments-api',
  title: 'Checkout returns 502',
  severity: 'SEV2',
};

async function startBackend(rateLimit?: unknown) {
  const { server } = await startTestBackend({
    features: [
      opsPlugin,
      mockServices.rootConfig.factory({
        data: {
          app: { baseUrl: 'http://localhost:3000' },
          ops: rateLimit === undefined ? {} : { rateLimit },
        },
      }),
      catalogServiceMock.factory({ entities: [entity] }),
      mockServices.permissions.mock({
        authorize: async requests =>
          requests.map(() => ({ result: AuthorizeResult.ALLOW })),
      }).factory,
    ],
  });
  const as = (user: string) => ({
    declare: () =>
      request(server)
        .post('/api/ops/incidents')
        .set('Authorization', mockCredentials.user.header(user))
        .send(newIncident),
    list: () =>
      request(server)
        .get('/api/ops/incidents')
        .set('Authorization', mockCredentials.user.header(user)),
  });
  return { as };
}

describe('the per-principal write rate limit', () => {
  it('answers 429 with Retry-After to the write over the limit, writes nothing, and leaves other callers and reads alone', async () => {
    const { as } = await startBackend({ writes: { perMinute: 3 } });
    for (let i = 0; i < 3; i++) {
      expect((await as(ALICE).declare()).status).toBe(201);
    }

    const over = await as(ALICE).declare();
    expect(over.status).toBe(429);
    expect(Number(over.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(over.headers['retry-after'])).toBeLessThanOrEqual(60);
    expect(over.body.error).toEqual({
      name: 'TooManyRequestsError',
      message: expect.stringContaining('at most 3 a minute'),
    });

    // Nothing written by the refused write; reads are not counted.
    for (let i = 0; i < 5; i++) {
      const listed = await as(ALICE).list();
      expect(listed.status).toBe(200);
      expect(listed.body.items).toHaveLength(3);
    }

    // Another user has a limit of their own.
    expect((await as(BOB).declare()).status).toBe(201);
    expect((await as(BOB).list()).body.items).toHaveLength(4);
  });

  it('is 120 a minute by default and off with false', async () => {
    const byDefault = await startBackend();
    for (let i = 0; i < 120; i++) {
      expect((await byDefault.as(ALICE).declare()).status).toBe(201);
    }
    expect((await byDefault.as(ALICE).declare()).status).toBe(429);

    const off = await startBackend({ writes: false });
    for (let i = 0; i < 130; i++) {
      expect((await off.as(ALICE).declare()).status).toBe(201);
    }
    // 251 declarations, each heard by the notifications and live cards:
    // more than Jest's default 5 s on a loaded CI machine.
  }, 60_000);

  it('reads its config, refusing a negative or fractional limit at start', () => {
    const read = (rateLimit?: unknown) =>
      readWritesPerMinute(
        new ConfigReader(rateLimit === undefined ? {} : { ops: { rateLimit } }),
      );
    expect(read()).toBe(120);
    expect(read({ writes: { perMinute: 10 } })).toBe(10);
    expect(read({ writes: { perMinute: 0 } })).toBe(0);
    expect(read({ writes: false })).toBe(0);
    expect(() => read({ writes: { perMinute: -1 } })).toThrow(
      'Invalid ops.rateLimit.writes.perMinute',
    );
    expect(() => read({ writes: { perMinute: 1.5 } })).toThrow(
      'Invalid ops.rateLimit.writes.perMinute',
    );
  });
});
