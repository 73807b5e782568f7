import { Entity } from '@backstage/catalog-model';
import { ConfigReader } from '@backstage/config';
import { mockCredentials } from '@backstage/backend-test-utils';
import { Drill, DrillFilter } from '@opsdeck/plugin-ops-common';
import { DrillStore } from '../../drills/DrillStore';
import {
  createDrillCheck,
  readDatabaseBindings,
  readDrillIntervals,
} from './drills';

const options = { credentials: mockCredentials.user() };
const now = new Date('2026-11-24T12:00:00.000Z');
const daysAgo = (days: number) =>
  new Date(now.getTime() - days * 86_400_000).toISOString();

const entity = (databases?: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'payments-api',
    namespace: 'default',
    annotations: databases ? { 'opsdeck.dev/databases': databases } : {},
  },
});

function drill(
  target: string,
  startedAt: string,
  status: Drill['status'] = 'passed',
  kind: Drill['kind'] = 'backup-restore',
): Drill {
  return {
    id: `${target}-${startedAt}-${kind}`,
    entityRef: 'component:default/payments-api',
    kind,
    target,
    status,
    startedAt,
    objectives: { rtoSeconds: 3600, rpoSeconds: 900 },
    verification: [],
    triggeredBy: 'user:default/guest',
    steps: [],
    version: 1,
    createdAt: startedAt,
    updatedAt: startedAt,
  };
}

/** listDrills of the store over a list: the filters it supports, newest first, paged by 100. */
function storeWith(drills: Drill[]) {
  const listDrills = jest.fn(async (filter: DrillFilter) => {
    const items = drills
      .filter(
        d =>
          d.entityRef === filter.entityRef &&
          (!filter.kind || filter.kind.includes(d.kind)) &&
          (!filter.status || filter.status.includes(d.status)) &&
          (!filter.from || d.startedAt >= filter.from),
      )
      .sort((a, b) => b.startedAt.localeCompare(a.startedAt));
    const offset = Number(filter.cursor ?? 0);
    const limit = filter.limit ?? 100;
    return {
      items: items.slice(offset, offset + limit),
      nextCursor:
        offset + limit < items.length ? String(offset + limit) : undefined,
    };
  });
  return { listDrills } as unknown as DrillStore & {
    listDrills: typeof listDrills;
  };
}

/** Every target is bound to payments-api. */
const boundToPaymentsApi = () => ({
  entities: ['component:default/payments-api'],
  owners: [],
});

function check(drills: Drill[], intervals: Record<string, object> = {}) {
  return createDrillCheck({
    store: storeWith(drills),
    intervalDays: readDrillIntervals(
      new ConfigReader({ ops: { databases: intervals } }),
    ),
    bindingOf: boundToPaymentsApi,
    now: () => now,
  });
}

describe('the database drills readiness check', () => {
  it('asks for the annotation when the entity names no targets', async () => {
    expect(await check([]).evaluate(entity(), options)).toEqual({
      status: 'missing',
      detail:
        "Add opsdeck.dev/databases naming the service's database targets, so backup-restore drills and failovers can run.",
    });
  });

  it('is present when a backup-restore drill of every target passed within its interval', async () => {
    const result = await check(
      [drill('payments-db', daysAgo(20)), drill('ledger-db', daysAgo(1))],
      { 'ledger-db': { drillSchedule: { everyDays: 7 } } },
    ).evaluate(entity('payments-db, ledger-db'), options);
    expect(result).toEqual({
      status: 'present',
      detail:
        'Database targets: payments-db, ledger-db; last backup-restore drill: payments-db passed 20 days ago (every 91 days); ledger-db passed 1 day ago (every 7 days)',
    });
  });

  it('flags each overdue target with when it last passed', async () => {
    const result = await check(
      [
        drill('payments-db', daysAgo(20)),
        // Within the longest interval (91 days) but older than its own 7.
        drill('ledger-db', daysAgo(8)),
        // Failed and failover drills do not count.
        drill('ledger-db', daysAgo(1), 'failed'),
        drill('cache-db', daysAgo(2), 'passed', 'failover'),
        // Older than a quarter.
        drill('cache-db', daysAgo(92)),
      ],
      { 'ledger-db': { drillSchedule: { everyDays: 7 } } },
    ).evaluate(entity('payments-db ledger-db cache-db'), options);
    expect(result).toEqual({
      status: 'missing',
      detail:
        'Database targets: payments-db, ledger-db, cache-db; drill overdue: ledger-db (last passed 8 days ago, every 7 days); cache-db (no backup-restore drill passed in the last 91 days). Run the backup-restore drill.',
    });
  });

  it('is overdue exactly at the interval', async () => {
    expect(
      (
        await check([drill('payments-db', daysAgo(91))]).evaluate(
          entity('payments-db'),
          options,
        )
      ).status,
    ).toBe('missing');
    expect(
      (
        await check([drill('payments-db', daysAgo(90.9))]).evaluate(
          entity('payments-db'),
          options,
        )
      ).status,
    ).toBe('present');
  });

  it('pages through the drills of other targets to find each one, and stops when all are found', async () => {
    const store = storeWith([
      ...Array.from({ length: 150 }, (_, i) =>
        drill('cache-db', daysAgo(i / 10)),
      ),
      drill('payments-db', daysAgo(30)),
    ]);
    const result = await createDrillCheck({
      store,
      bindingOf: boundToPaymentsApi,
      now: () => now,
    }).evaluate(entity('payments-db cache-db'), options);
    expect(result.status).toBe('present');
    expect(store.listDrills).toHaveBeenCalledTimes(2);
  });

  it('refuses an interval that is not a whole number of days', () => {
    const intervals = readDrillIntervals(
      new ConfigReader({
        ops: {
          databases: { 'payments-db': { drillSchedule: { everyDays: 1.5 } } },
        },
      }),
    );
    expect(() => intervals('payments-db')).toThrow(
      'Invalid configuration ops.databases.payments-db.drillSchedule.everyDays: must be a whole number of days',
    );
    expect(intervals('other-db')).toBe(91);
  });

  describe('the binding of targets', () => {
    const bindings = readDatabaseBindings(
      new ConfigReader({
        ops: {
          databases: {
            'payments-db': { entities: ['component:default/orders-api'] },
            'cache-db': { owners: ['team-payments'] },
            'legacy-db': {},
          },
        },
      }),
    );
    const checkWith = (drills: Drill[]) =>
      createDrillCheck({
        store: storeWith(drills),
        bindingOf: bindings,
        now: () => now,
      });

    it('fails for a target bound to another entity, even with a passed drill, naming the config key', async () => {
      const result = await checkWith([
        drill('payments-db', daysAgo(1)),
      ]).evaluate(entity('payments-db'), options);
      expect(result).toEqual({
        status: 'missing',
        detail:
          "Database targets: payments-db; not usable by this service: component:default/payments-api is not bound to the database target 'payments-db': neither it nor its owner is named in ops.databases.payments-db.entities or ops.databases.payments-db.owners.",
        refusedTargets: [
          {
            target: 'payments-db',
            reason:
              "component:default/payments-api is not bound to the database target 'payments-db': neither it nor its owner is named in ops.databases.payments-db.entities or ops.databases.payments-db.owners",
          },
        ],
      });
    });

    it('fails for a target bound to no entity, telling the admin what to add', async () => {
      const result = await checkWith([]).evaluate(entity('legacy-db'), options);
      expect(result.status).toBe('missing');
      expect(result.detail).toContain(
        "The database target 'legacy-db' is bound to no entity, so component:default/payments-api may not use it: an admin must name the entities allowed to use it in ops.databases.legacy-db.entities (entity refs) or ops.databases.legacy-db.owners (owning groups)",
      );
    });

    it('passes for a target bound to the entity by its owner', async () => {
      const owned: Entity = {
        ...entity('cache-db'),
        spec: { owner: 'team-payments' },
      };
      const result = await checkWith([drill('cache-db', daysAgo(1))]).evaluate(
        owned,
        options,
      );
      expect(result.status).toBe('present');
    });
  });
});
