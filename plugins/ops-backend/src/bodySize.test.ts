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

// Issue 20: a body far beyond any record's limits is answered 413 before it is
// parsed, and nothing is written.

const entity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'payments-api', namespace: 'default' },
  spec: { type: 'service', owner: 'team-payments', lifecycle: 'production' },
};

it('answers an oversized body with 413 and stores nothing', async () => {
  const { server } = await startTestBackend({
    features: [
      opsPlugin,
      mockServices.rootConfig.factory({
        data: { app: { baseUrl: 'http://localhost:3000' } },
      }),
      catalogServiceMock.factory({ entities: [entity] }),
      mockServices.permissions.mock({
        authorize: async requests =>
          requests.map(() => ({ result: AuthorizeResult.ALLOW })),
      }).factory,
    ],
  });
  const alice = mockCredentials.user.header('user:default/alice');

  const res = await request(server)
    .post('/api/ops/incidents')
    .set('Authorization', alice)
    .send({
      entityRef: 'component:default/payments-api',
      title: 'Checkout returns 502',
      severity: 'SEV2',
      summary: 'x'.repeat(5 * 1024 * 1024),
    });

  expect(res.status).toBe(413);
  expect(res.body.error.message).toMatch(/too large/i);
  const list = await request(server)
    .get('/api/ops/incidents')
    .set('Authorization', alice);
  expect(list.status).toBe(200);
  expect(list.body.items).toEqual([]);
});
