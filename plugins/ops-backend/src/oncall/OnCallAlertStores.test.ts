import {
  resolvePackagePath,
  type DatabaseService,
} from '@backstage/backend-plugin-api';
import { TestDatabaseId, TestDatabases } from '@backstage/backend-test-utils';
import { Knex } from 'knex';
import { DatabaseAlertGroupStore } from '../alerts/DatabaseAlertGroupStore';
import { DatabaseIncidentStore } from '../incidents/DatabaseIncidentStore';
import { DatabaseOnCallOverrideStore } from './DatabaseOnCallOverrideStore';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

function databaseService(knex: Knex): DatabaseService {
  return { getClient: async () => knex, migrations: { skip: false } };
}

async function createStores(databaseId: TestDatabaseId) {
  const knex = await databases.init(databaseId);
  const database = databaseService(knex);
  const records = await DatabaseIncidentStore.create({ database });
  return {
    knex,
    records,
    overrides: await DatabaseOnCallOverrideStore.create({ database }),
    groups: await DatabaseAlertGroupStore.create({ database }),
  };
}

describe.each(databases.eachSupportedId())('on %s', databaseId => {
  it('keeps overrides and lists those that have not ended, by start', async () => {
    const { overrides } = await createStores(databaseId);
    const entityRef = 'component:default/payments-api';
    const later = await overrides.add(
      {
        entityRef,
        level: 'primary',
        userRef: 'user:default/erin',
        start: '2026-04-03T15:00:00.000Z',
        end: '2026-04-07T07:00:00.000Z',
        reason: 'Shift swap',
      },
      { actor: 'user:default/alice' },
    );
    const earlier = await overrides.add(
      {
        entityRef,
        level: 'secondary',
        userRef: 'user:default/frank',
        // given with an offset: read back in UTC
        start: '2026-04-01T18:00:00.000+02:00',
        end: '2026-04-02T08:00:00.000+02:00',
      },
      { actor: 'user:default/alice' },
    );
    await overrides.add(
      {
        entityRef: 'component:default/other',
        level: 'primary',
        userRef: 'user:default/erin',
        start: '2026-04-01T00:00:00.000Z',
        end: '2026-04-09T00:00:00.000Z',
      },
      { actor: 'user:default/alice' },
    );

    expect(
      await overrides.list(entityRef, {
        endsAfter: new Date('2026-03-01T00:00:00Z'),
      }),
    ).toEqual([
      {
        id: earlier.id,
        entityRef,
        level: 'secondary',
        userRef: 'user:default/frank',
        start: '2026-04-01T16:00:00.000Z',
        end: '2026-04-02T06:00:00.000Z',
        createdBy: 'user:default/alice',
        createdAt: expect.stringMatching(/Z$/),
      },
      { ...later, reason: 'Shift swap' },
    ]);
    // The end is exclusive: an override ending at that instant is over.
    expect(
      (
        await overrides.list(entityRef, {
          endsAfter: new Date('2026-04-02T06:00:00.000Z'),
        })
      ).map(o => o.id),
    ).toEqual([later.id]);

    expect(await overrides.get(later.id)).toEqual(later);
    expect(await overrides.delete(later.id)).toBe(true);
    expect(await overrides.delete(later.id)).toBe(false);
    expect(await overrides.get(later.id)).toBeUndefined();
  });

  it('stores one override per person and slot, also when five arrive at once', async () => {
    const { overrides } = await createStores(databaseId);
    const fields = {
      entityRef: 'component:default/payments-api',
      level: 'primary' as const,
      userRef: 'user:default/erin',
      start: '2026-04-03T15:00:00.000Z',
      end: '2026-04-07T07:00:00.000Z',
    };
    const results = await Promise.allSettled(
      Array.from({ length: 5 }, () =>
        overrides.add(fields, { actor: 'user:default/alice' }),
      ),
    );
    expect(results.filter(r => r.status === 'fulfilled')).toHaveLength(1);
    for (const result of results.filter(r => r.status === 'rejected')) {
      expect((result as PromiseRejectedResult).reason).toMatchObject({
        name: 'ConflictError',
        message:
          'user:default/erin already overrides the primary on-call of component:default/payments-api from 2026-04-03T15:00:00.000Z to 2026-04-07T07:00:00.000Z',
      });
    }
    const listed = await overrides.list(fields.entityRef, {
      endsAfter: new Date('2026-01-01T00:00:00Z'),
    });
    expect(listed).toHaveLength(1);

    // Another person, level or slot is another override.
    await overrides.add(
      { ...fields, userRef: 'user:default/frank' },
      { actor: 'user:default/alice' },
    );
    await overrides.add(
      { ...fields, level: 'secondary' },
      { actor: 'user:default/alice' },
    );
    await overrides.add(
      { ...fields, end: '2026-04-07T08:00:00.000Z' },
      { actor: 'user:default/alice' },
    );
    expect(
      await overrides.list(fields.entityRef, {
        endsAfter: new Date('2026-01-01T00:00:00Z'),
      }),
    ).toHaveLength(4);
  });

  it('keeps the first of the copies stored before overrides were unique', async () => {
    const knex = await databases.init(databaseId);
    const directory = resolvePackagePath(
      '@opsdeck/plugin-ops-backend',
      'migrations',
    );
    // Every migration before the one that adds the unique index.
    for (let i = 0; i < 5; i++) {
      await knex.migrate.up({ directory });
    }
    const row = (id: string, createdAt: string) => ({
      id,
      entity_ref: 'component:default/payments-api',
      level: 'primary',
      user_ref: 'user:default/erin',
      starts_at: new Date('2026-04-03T15:00:00.000Z'),
      ends_at: new Date('2026-04-07T07:00:00.000Z'),
      created_by: 'user:default/alice',
      created_at: new Date(createdAt),
    });
    await knex('ops_oncall_overrides').insert([
      row('00000000-0000-4000-8000-000000000002', '2026-04-01T10:00:00Z'),
      row('00000000-0000-4000-8000-000000000001', '2026-04-01T09:00:00Z'),
      row('00000000-0000-4000-8000-000000000003', '2026-04-01T11:00:00Z'),
    ]);
    await knex.migrate.latest({ directory });
    expect(await knex('ops_oncall_overrides').pluck('id')).toEqual([
      '00000000-0000-4000-8000-000000000001',
    ]);
  });

  it('lets exactly one of concurrent deliveries claim an alert group', async () => {
    const { groups, records } = await createStores(databaseId);
    const fields = {
      groupKey: '{}:{alertname="HighErrorRate"}',
      entityRef: 'component:default/payments-api',
    };
    const claims = await Promise.all(
      Array.from({ length: 8 }, () => groups.claim('k1', fields)),
    );
    expect(claims.filter(Boolean)).toHaveLength(1);
    expect(await groups.get('k1')).toEqual({ key: 'k1', alerts: {} });

    const incident = await records.createIncident(
      {
        entityRef: fields.entityRef,
        title: 'HighErrorRate',
        severity: 'SEV2',
        status: 'open',
        detectedAt: new Date().toISOString(),
        labels: {},
      },
      { actor: 'external:alertmanager', events: [] },
    );
    await groups.setIncident('k1', incident.id, { a: 'firing' });
    expect(
      await groups.mergeAlerts('k1', { a: 'resolved', b: 'firing' }),
    ).toEqual({
      before: { a: 'firing' },
      after: { a: 'resolved', b: 'firing' },
    });
    expect(await groups.get('k1')).toEqual({
      key: 'k1',
      incidentId: incident.id,
      alerts: { a: 'resolved', b: 'firing' },
    });

    // A claim that holds an incident is not released; forget needs the same incident.
    await groups.release('k1');
    await groups.forget('k1', 'another');
    expect(await groups.get('k1')).toBeDefined();
    await groups.forget('k1', incident.id);
    expect(await groups.get('k1')).toBeUndefined();
    expect(await groups.claim('k1', fields)).toBe(true);
    await groups.release('k1');
    expect(await groups.get('k1')).toBeUndefined();
  });
});
