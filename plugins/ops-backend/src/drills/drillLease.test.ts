import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import request from 'supertest';
import { opsPlugin } from '../plugin';

// The lease on a database target (a running exclusive drill) blocks every
// other drill and failover of it, so only a run for an entity that names the
// target and that the caller may operate on can take it.

const PAYMENTS_OWNER = 'user:default/paula';
const SEARCH_OWNER = 'user:default/sam';
const GUEST = 'user:default/guest';

function service(name: string, databases?: string): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name,
      namespace: 'default',
      annotations: databases ? { 'opsdeck.dev/databases': databases } : {},
    },
    spec: { type: 'service', lifecycle: 'production', owner: name },
  };
}

/** Who may operate on which entity; every user may record drills anywhere. */
const operators: Record<string, string> = {
  'component:default/payments-api': PAYMENTS_OWNER,
  'component:default/search-api': SEARCH_OWNER,
  // Registered by the guest, naming payments-db.
  'component:default/rogue-api': GUEST,
};

async function startBackend() {
  const { server } = await startTestBackend({
    features: [
      opsPlugin,
      mockServices.rootConfig.factory({
        data: {
          app: { baseUrl: 'http://localhost:3000' },
          ops: {
            databases: {
              'payments-db': { entities: ['component:default/payments-api'] },
              'search-db': { entities: ['component:default/search-api'] },
            },
          },
        },
      }),
      catalogServiceMock.factory({
        entities: [
          service('payments-api', 'payments-db'),
          service('search-api', 'search-db'),
          service('rogue-api', 'payments-db'),
        ],
      }),
      mockServices.permissions.mock({
        authorize: async (requests, options) => {
          const user = (
            options.credentials.principal as { userEntityRef?: string }
          ).userEntityRef;
          return requests.map(r => ({
            result:
              r.permission.name !== 'ops.operation.execute' ||
              operators[(r as { resourceRef?: string }).resourceRef ?? ''] ===
                user
                ? AuthorizeResult.ALLOW
                : AuthorizeResult.DENY,
          }));
        },
      }).factory,
    ],
  });
  return server;
}

const lease = {
  kind: 'backup-restore',
  target: 'payments-db',
  exclusive: true,
};

async function runningDrills(
  server: Awaited<ReturnType<typeof startBackend>>,
  entityRef: string,
) {
  const response = await request(server)
    .get('/api/ops/drills')
    .query({ entityRef })
    .set('Authorization', mockCredentials.user.header(PAYMENTS_OWNER));
  return response.body.items as unknown[];
}

describe('the lease of a database target', () => {
  it("cannot be held by search-api's owner, through search-api or payments-api", async () => {
    const server = await startBackend();
    const throughSearch = await request(server)
      .post('/api/ops/drills')
      .set('Authorization', mockCredentials.user.header(SEARCH_OWNER))
      .send({ ...lease, entityRef: 'component:default/search-api' });
    expect(throughSearch.status).toBe(403);
    expect(throughSearch.body.error.message).toBe(
      'component:default/search-api cannot hold the lease of payments-db: its opsdeck.dev/databases annotation does not name that target',
    );

    const throughPayments = await request(server)
      .post('/api/ops/drills')
      .set('Authorization', mockCredentials.user.header(SEARCH_OWNER))
      .send({ ...lease, entityRef: 'component:default/payments-api' });
    expect(throughPayments.status).toBe(403);
    expect(throughPayments.body.error.message).toMatch(
      /^You are not allowed to ops.operation.execute on component:default\/payments-api/,
    );

    expect(await runningDrills(server, 'component:default/search-api')).toEqual(
      [],
    );
    expect(
      await runningDrills(server, 'component:default/payments-api'),
    ).toEqual([]);

    // So payments-api's own run takes it.
    const own = await request(server)
      .post('/api/ops/drills')
      .set('Authorization', mockCredentials.user.header(PAYMENTS_OWNER))
      .send({ ...lease, entityRef: 'component:default/payments-api' });
    expect(own.status).toBe(201);
  });

  it('cannot be held through an entity that names the target without being bound to it', async () => {
    const server = await startBackend();
    const response = await request(server)
      .post('/api/ops/drills')
      .set('Authorization', mockCredentials.user.header(GUEST))
      .send({ ...lease, entityRef: 'component:default/rogue-api' });
    expect(response.status).toBe(403);
    expect(response.body.error.message).toBe(
      "component:default/rogue-api cannot hold the lease of payments-db: component:default/rogue-api is not bound to the database target 'payments-db': neither it nor its owner group:default/rogue-api is named in ops.databases.payments-db.entities or ops.databases.payments-db.owners",
    );
    expect(await runningDrills(server, 'component:default/rogue-api')).toEqual(
      [],
    );
    // The target stays free for its bound entity.
    const own = await request(server)
      .post('/api/ops/drills')
      .set('Authorization', mockCredentials.user.header(PAYMENTS_OWNER))
      .send({ ...lease, entityRef: 'component:default/payments-api' });
    expect(own.status).toBe(201);
  });
});
