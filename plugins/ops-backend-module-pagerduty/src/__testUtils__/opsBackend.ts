import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
// The module is tested in the plugin it extends, through its HTTP API.
// eslint-disable-next-line @backstage/no-mixed-plugin-imports
import opsPlugin from '@opsdeck/plugin-ops-backend';
import request from 'supertest';
import { opsModulePagerduty } from '../module';

/**
 * Starts the ops backend with this module, the given catalog and `ops`
 * config; answers with how to ask it who is on call for a component (at a
 * given moment or now), as the portal asks.
 */
export async function startOpsBackend(options: {
  entities: Entity[];
  ops: object;
}) {
  const { server } = await startTestBackend({
    features: [
      opsPlugin,
      opsModulePagerduty,
      mockServices.rootConfig.factory({
        data: { app: { baseUrl: 'http://localhost:3000' }, ops: options.ops },
      }),
      catalogServiceMock.factory({ entities: options.entities }),
    ],
  });
  return async (entityName: string, at?: string) => {
    const response = await request(server)
      .get('/api/ops/oncall')
      .query({
        entityRef: `component:default/${entityName}`,
        ...(at ? { at } : {}),
      })
      .set('Authorization', mockCredentials.user.header());
    expect(response.status).toBe(200);
    return response.body;
  };
}
