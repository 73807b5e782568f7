import {
  BackstageCredentials,
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogEntityReadPermission } from '@backstage/plugin-catalog-common/alpha';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import request from 'supertest';
import { opsPlugin } from './plugin';

const service = (name: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name, namespace: 'default' },
  spec: { type: 'service', owner: 'team-a', lifecycle: 'production' },
});

const READABLE = 'component:default/payments-api';
const DENIED = 'component:default/secret-api';
function userOf(credentials: BackstageCredentials) {
  return (credentials.principal as { userEntityRef?: string }).userEntityRef;
}

const OUTSIDER = mockCredentials.user.header('user:default/outsider');

/**
 * A backend whose permission policy denies the outsider `catalog.entity.read`
 * on secret-api, and a catalog that asks the policy as the real one does.
 */
async function startBackend() {
  const catalog = catalogServiceMock({
    entities: [service('payments-api'), service('secret-api')],
  });
  const { server } = await startTestBackend({
    features: [
      opsPlugin,
      mockServices.rootConfig.factory({
        data: { app: { baseUrl: 'http://localhost:3000' } },
      }),
      mockServices.permissions.mock({
        authorize: async (requests, options) =>
          requests.map(req => ({
            result:
              userOf(options.credentials) === 'user:default/outsider' &&
              req.permission.name === catalogEntityReadPermission.name &&
              'resourceRef' in req &&
              req.resourceRef === DENIED
                ? AuthorizeResult.DENY
                : AuthorizeResult.ALLOW,
          })),
      }).factory,
      createServiceFactory({
        service: catalogServiceRef,
        deps: { permissions: coreServices.permissions },
        factory: ({ permissions }) => ({
          ...catalog,
          getEntitiesByRefs: async (req, options) => {
            const result = await catalog.getEntitiesByRefs(req, options);
            const decisions = await permissions.authorize(
              req.entityRefs.map(resourceRef => ({
                permission: catalogEntityReadPermission,
                resourceRef,
              })),
              { credentials: options.credentials },
            );
            return {
              items: result.items.map((entity, i) =>
                entity && decisions[i].result === AuthorizeResult.ALLOW
                  ? entity
                  : undefined,
              ),
            };
          },
        }),
      }),
    ],
  });
  return server;
}

type Listed = {
  items: Array<{ entityRef: string; title?: string; target?: string }>;
  nextCursor?: string;
};

/** Every page of a list as the outsider, following nextCursor. */
async function pagesOf(
  server: Awaited<ReturnType<typeof startBackend>>,
  path: string,
): Promise<Listed[]> {
  const pages: Listed[] = [];
  let cursor: string | undefined;
  do {
    const res = await request(server)
      .get(path)
      .query(cursor ? { limit: 2, cursor } : { limit: 2 })
      .set('Authorization', OUTSIDER);
    expect(res.status).toBe(200);
    pages.push(res.body);
    cursor = res.body.nextCursor;
  } while (cursor && pages.length < 10);
  return pages;
}

// Newest first: the denied records come first, between and last.
const ORDER = [
  DENIED,
  DENIED,
  READABLE,
  DENIED,
  READABLE,
  READABLE,
  DENIED,
  READABLE,
  DENIED,
];

describe('lists across entities, with some entities unreadable', () => {
  it('fills every incident page with readable records and sets a cursor only when more exist', async () => {
    const server = await startBackend();
    for (const [i, entityRef] of ORDER.entries()) {
      await request(server)
        .post('/api/ops/incidents')
        .send({
          entityRef,
          title: `incident ${i}`,
          severity: 'SEV3',
          detectedAt: new Date(
            Date.UTC(2026, 10, 20, 12, 0, 0) - i * 60_000,
          ).toISOString(),
        })
        .expect(201);
    }
    const pages = await pagesOf(server, '/api/ops/incidents');
    expect(pages.map(page => page.items.map(item => item.title))).toEqual([
      ['incident 2', 'incident 4'],
      ['incident 5', 'incident 7'],
    ]);
    expect(pages.map(page => page.nextCursor !== undefined)).toEqual([
      true,
      false,
    ]);
    expect(
      pages.flatMap(page => page.items).every(i => i.entityRef === READABLE),
    ).toBe(true);
  });

  it('fills every drill page with readable records and sets a cursor only when more exist', async () => {
    const server = await startBackend();
    for (const [i, entityRef] of [...ORDER, READABLE].entries()) {
      await request(server)
        .post('/api/ops/drills')
        .send({
          entityRef,
          kind: 'backup-restore',
          target: `db-${i}`,
          startedAt: new Date(
            Date.UTC(2026, 10, 20, 12, 0, 0) - i * 60_000,
          ).toISOString(),
        })
        .expect(201);
    }
    const pages = await pagesOf(server, '/api/ops/drills');
    expect(pages.map(page => page.items.map(item => item.target))).toEqual([
      ['db-2', 'db-4'],
      ['db-5', 'db-7'],
      ['db-9'],
    ]);
    expect(pages.map(page => page.nextCursor !== undefined)).toEqual([
      true,
      true,
      false,
    ]);
  });

  it('still lists everything for a caller who may read every entity', async () => {
    const server = await startBackend();
    for (const [i, entityRef] of ORDER.entries()) {
      await request(server)
        .post('/api/ops/incidents')
        .send({ entityRef, title: `incident ${i}`, severity: 'SEV3' })
        .expect(201);
    }
    const res = await request(server).get('/api/ops/incidents?limit=500');
    expect(res.body.items).toHaveLength(ORDER.length);
    expect(res.body.nextCursor).toBeUndefined();
  });
});
