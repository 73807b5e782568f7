import { type DatabaseService } from '@backstage/backend-plugin-api';
import { TestDatabaseId, TestDatabases } from '@backstage/backend-test-utils';
import { CreateDeploymentRequest } from '@opsdeck/plugin-ops-common';
import { Knex } from 'knex';
import { DatabaseDeploymentStore } from './DatabaseDeploymentStore';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

function databaseService(knex: Knex): DatabaseService {
  return { getClient: async () => knex, migrations: { skip: false } };
}

const payments = 'component:default/payments-api';
const deployment = (
  overrides: Partial<CreateDeploymentRequest>,
): CreateDeploymentRequest => ({
  entityRef: payments,
  environment: 'production',
  version: '1.0.0',
  startedAt: '2026-11-20T10:00:00.000Z',
  status: 'succeeded',
  ...overrides,
});

describe('DatabaseDeploymentStore', () => {
  it('runs the PostgreSQL cases (scripts/postgres-for-tests.sh starts a server)', () => {
    expect(databases.supports('POSTGRES_15')).toBe(true);
  });

  it.each(databases.eachSupportedId())(
    'stores a deployment with every field, times in UTC (%s)',
    async (databaseId: TestDatabaseId) => {
      const knex = await databases.init(databaseId);
      const store = await DatabaseDeploymentStore.create({
        database: databaseService(knex),
      });
      const created = await store.createDeployment(
        deployment({
          version: '1.4.2',
          commitSha: '7f9c2ba4e88f827d616045507605853ed73b8093',
          commitTime: '2026-11-20T11:00:00.000+02:00',
          image: 'registry.example.com/shop/payments-api:1.4.2',
          startedAt: '2026-11-20T10:00:00.125Z',
          finishedAt: '2026-11-20T10:04:30.000Z',
          url: 'https://ci.example.com/runs/42',
          description: 'Release 1.4.2',
        }),
        { actor: 'external:github-actions' },
      );
      expect(created).toEqual({
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        entityRef: payments,
        environment: 'production',
        version: '1.4.2',
        commitSha: '7f9c2ba4e88f827d616045507605853ed73b8093',
        commitTime: '2026-11-20T09:00:00.000Z',
        image: 'registry.example.com/shop/payments-api:1.4.2',
        startedAt: '2026-11-20T10:00:00.125Z',
        finishedAt: '2026-11-20T10:04:30.000Z',
        status: 'succeeded',
        url: 'https://ci.example.com/runs/42',
        description: 'Release 1.4.2',
        createdBy: 'external:github-actions',
        createdAt: expect.any(String),
      });
      const minimal = await store.createDeployment(
        deployment({ startedAt: '2026-11-21T10:00:00.000Z' }),
        { actor: 'user:default/alice' },
      );
      expect(Object.keys(minimal).sort()).toEqual(
        [
          'id',
          'entityRef',
          'environment',
          'version',
          'startedAt',
          'status',
          'createdBy',
          'createdAt',
        ].sort(),
      );
    },
  );

  it.each(databases.eachSupportedId())(
    'lists newest first by entity and environment, page by page (%s)',
    async (databaseId: TestDatabaseId) => {
      const knex = await databases.init(databaseId);
      const store = await DatabaseDeploymentStore.create({
        database: databaseService(knex),
      });
      for (let day = 1; day <= 5; day++) {
        await store.createDeployment(
          deployment({
            version: `1.0.${day}`,
            startedAt: `2026-11-0${day}T10:00:00.000Z`,
          }),
          { actor: 'ci' },
        );
      }
      await store.createDeployment(
        deployment({ environment: 'staging', version: 'staging' }),
        { actor: 'ci' },
      );
      await store.createDeployment(
        deployment({
          entityRef: 'component:default/orders-api',
          version: 'orders',
          startedAt: '2026-11-21T10:00:00.000Z',
        }),
        { actor: 'ci' },
      );

      const first = await store.listDeployments({
        entityRef: payments,
        environment: 'production',
        limit: 3,
      });
      expect(first.items.map(d => d.version)).toEqual([
        '1.0.5',
        '1.0.4',
        '1.0.3',
      ]);
      const second = await store.listDeployments({
        entityRef: payments,
        environment: 'production',
        limit: 3,
        cursor: first.nextCursor,
      });
      expect(second.items.map(d => d.version)).toEqual(['1.0.2', '1.0.1']);
      expect(second.nextCursor).toBeUndefined();
    },
  );
});
