import {
  mockCredentials,
  mockServices,
  startTestBackend,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import request from 'supertest';
import { opsPlugin } from '../plugin';
import {
  oncallEntities as entities,
  oncallSchedules as schedules,
} from '../__testUtils__/oncallFixtures';

jest.setTimeout(60_000);

const OWNER = 'user:default/alice';
const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

describe.each(databases.eachSupportedId())(
  'POST /oncall/overrides on %s',
  databaseId => {
    async function startBackend() {
      const knex = await databases.init(databaseId);
      const { server } = await startTestBackend({
        features: [
          opsPlugin,
          mockServices.database.factory({ knex }),
          mockServices.rootConfig.factory({
            data: {
              app: { baseUrl: 'http://localhost:3000' },
              ops: { oncall: { schedules } },
            },
          }),
          catalogServiceMock.factory({ entities }),
          mockServices.permissions.factory(),
        ],
      });
      return server;
    }

    const swap = {
      entityRef: 'component:default/payments-api',
      level: 'primary',
      userRef: 'user:default/erin',
      start: new Date(Date.now() + 3600_000).toISOString(),
      end: new Date(Date.now() + 5 * 3600_000).toISOString(),
      reason: 'Shift swap with carol',
    };

    async function listed(server: Awaited<ReturnType<typeof startBackend>>) {
      const response = await request(server)
        .get('/api/ops/oncall/overrides')
        .query({ entityRef: swap.entityRef })
        .set('Authorization', mockCredentials.user.header(OWNER));
      return response.body.items as Array<{ id: string }>;
    }

    it('answers a second identical override with 409', async () => {
      const server = await startBackend();
      const post = () =>
        request(server)
          .post('/api/ops/oncall/overrides')
          .set('Authorization', mockCredentials.user.header(OWNER))
          .send(swap);
      const first = await post();
      expect(first.status).toBe(201);
      const second = await post();
      expect(second.status).toBe(409);
      expect(second.body.error).toMatchObject({
        name: 'ConflictError',
        message: `user:default/erin already overrides the primary on-call of component:default/payments-api from ${swap.start} to ${swap.end}`,
      });
      expect((await listed(server)).map(o => o.id)).toEqual([first.body.id]);
    });

    it('stores exactly one of five identical concurrent overrides', async () => {
      const server = await startBackend();
      const responses = await Promise.all(
        Array.from({ length: 5 }, () =>
          request(server)
            .post('/api/ops/oncall/overrides')
            .set('Authorization', mockCredentials.user.header(OWNER))
            .send(swap),
        ),
      );
      expect(responses.map(r => r.status).sort()).toEqual([
        201, 409, 409, 409, 409,
      ]);
      expect(await listed(server)).toHaveLength(1);
    });
  },
);
