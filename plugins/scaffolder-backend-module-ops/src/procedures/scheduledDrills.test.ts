import { Entity } from '@backstage/catalog-model';
import { ConfigReader } from '@backstage/config';
import { mockServices } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { Drill, DrillFilter } from '@opsdeck/plugin-ops-common';
import { findDueDrills, runDueDrills } from './scheduledDrills';
import { serviceWithDatabases } from '../testUtils/entities';

const now = new Date('2026-11-24T12:00:00.000Z');
const daysAgo = (days: number) =>
  new Date(now.getTime() - days * 86_400_000).toISOString();

const service = (name: string, databases?: string) =>
  serviceWithDatabases(name, databases);

/** A target bound to the entities of team-a, the owner of `service`'s entities. */
function target(extra: object = {}) {
  return {
    owners: ['group:default/team-a'],
    primary: { host: '127.0.0.1', database: 'app', user: 'drill' },
    backup: { format: 'custom', directory: '/var/backups/app' },
    ...extra,
  };
}

function drill(
  entityRef: string,
  drillTarget: string,
  startedAt: string,
  status: Drill['status'] = 'passed',
): Drill {
  return {
    id: `${entityRef}-${drillTarget}-${startedAt}`,
    entityRef,
    kind: 'backup-restore',
    target: drillTarget,
    status,
    startedAt,
    objectives: { rtoSeconds: 3600, rpoSeconds: 900 },
    verification: [],
    triggeredBy: 'plugin:scaffolder',
    steps: [],
    version: 1,
    createdAt: startedAt,
    updatedAt: startedAt,
  };
}

/** listDrills over a list, as the ops backend answers it: newest first, paged. */
function fakeDrills(drills: Drill[], pageSize = 2) {
  const filters: DrillFilter[] = [];
  return {
    filters,
    listDrills: jest.fn(async (filter: DrillFilter) => {
      filters.push(filter);
      const matching = drills
        .filter(
          d =>
            d.entityRef === filter.entityRef &&
            (!filter.kind || filter.kind.includes(d.kind)) &&
            (!filter.from || d.startedAt >= filter.from),
        )
        .sort((a, b) => b.startedAt.localeCompare(a.startedAt));
      const offset = Number(filter.cursor ?? 0);
      const items = matching.slice(offset, offset + pageSize);
      return {
        items,
        nextCursor:
          offset + pageSize < matching.length
            ? String(offset + pageSize)
            : undefined,
      };
    }),
  };
}

function find(options: {
  databases: Record<string, object>;
  entities: Entity[];
  drills: Drill[];
}) {
  const opsClient = fakeDrills(options.drills);
  return {
    opsClient,
    due: findDueDrills({
      config: new ConfigReader({ ops: { databases: options.databases } }),
      catalog: catalogServiceMock({ entities: options.entities }),
      opsClient,
      auth: mockServices.auth(),
      logger: mockServices.logger.mock(),
      now,
    }),
  };
}

describe('findDueDrills', () => {
  it('finds the entities whose last drill of a scheduled target is older than its interval', async () => {
    const { due } = find({
      databases: {
        'payments-db': target({ drillSchedule: {} }),
        'orders-db': target({ drillSchedule: { everyDays: 7 } }),
      },
      entities: [
        service('payments-api', 'payments-db'),
        service('orders-api', 'orders-db, payments-db'),
        service('search-api'),
      ],
      drills: [
        // payments-api: drilled 20 days ago, quarterly: not due.
        drill('component:default/payments-api', 'payments-db', daysAgo(20)),
        // orders-api: orders-db drilled 8 days ago, weekly: due; its
        // payments-db drill is newer than its orders-db one but of another target.
        drill('component:default/orders-api', 'orders-db', daysAgo(8)),
        drill('component:default/orders-api', 'payments-db', daysAgo(1)),
        drill('component:default/orders-api', 'payments-db', daysAgo(2)),
        drill('component:default/orders-api', 'payments-db', daysAgo(3)),
      ],
    });
    expect(
      (await due).map(d => [d.target.name, d.entityRef, d.lastStartedAt]),
    ).toEqual([['orders-db', 'component:default/orders-api', undefined]]);
  });

  it('counts a failed drill too, so a broken backup is not drilled every hour', async () => {
    const { due } = find({
      databases: { 'payments-db': target({ drillSchedule: { everyDays: 7 } }) },
      entities: [service('payments-api', 'payments-db')],
      drills: [
        drill(
          'component:default/payments-api',
          'payments-db',
          daysAgo(2),
          'failed',
        ),
      ],
    });
    expect(await due).toEqual([]);
  });

  it('is due at once for a target never drilled, and again after the interval', async () => {
    const { due, opsClient } = find({
      databases: {
        'payments-db': target({ drillSchedule: { everyDays: 30 } }),
      },
      entities: [
        service('payments-api', 'payments-db'),
        service('ledger-api', 'payments-db'),
      ],
      drills: [
        drill('component:default/ledger-api', 'payments-db', daysAgo(31)),
      ],
    });
    expect((await due).map(d => [d.entityRef, d.lastStartedAt])).toEqual([
      ['component:default/ledger-api', undefined],
      ['component:default/payments-api', undefined],
    ]);
    // Only drills within the interval are read.
    expect(opsClient.filters[0]).toEqual(
      expect.objectContaining({
        kind: ['backup-restore'],
        from: daysAgo(30),
      }),
    );
  });

  it('pages through the drills of the entity to find the target', async () => {
    const { due, opsClient } = find({
      databases: {
        'payments-db': target({ drillSchedule: { everyDays: 30 } }),
      },
      entities: [service('payments-api', 'payments-db cache-db')],
      drills: [
        drill('component:default/payments-api', 'cache-db', daysAgo(1)),
        drill('component:default/payments-api', 'cache-db', daysAgo(2)),
        drill('component:default/payments-api', 'cache-db', daysAgo(3)),
        drill('component:default/payments-api', 'payments-db', daysAgo(29)),
      ],
    });
    expect(await due).toEqual([]);
    expect(opsClient.listDrills).toHaveBeenCalledTimes(2);
  });

  it('leaves targets without a schedule, or with it disabled, to the people', async () => {
    const { due, opsClient } = find({
      databases: {
        'payments-db': target(),
        'orders-db': target({ drillSchedule: { enabled: false } }),
      },
      entities: [service('payments-api', 'payments-db orders-db')],
      drills: [],
    });
    expect(await due).toEqual([]);
    expect(opsClient.listDrills).not.toHaveBeenCalled();
  });

  it('skips a target whose config is invalid and still schedules the others', async () => {
    const logger = mockServices.logger.mock();
    const due = await findDueDrills({
      config: new ConfigReader({
        ops: {
          databases: {
            'broken-db': target({ drillSchedule: { everyDays: 0 } }),
            'payments-db': target({ drillSchedule: {} }),
          },
        },
      }),
      catalog: catalogServiceMock({
        entities: [service('payments-api', 'payments-db broken-db')],
      }),
      opsClient: fakeDrills([]),
      auth: mockServices.auth(),
      logger,
      now,
    });
    expect(due.map(d => d.target.name)).toEqual(['payments-db']);
    expect(logger.error).toHaveBeenCalledWith(
      expect.stringContaining(
        'Scheduled drills of broken-db skipped: Error: Invalid configuration ops.databases.broken-db.drillSchedule.everyDays',
      ),
    );
  });
});

describe('findDueDrills and the binding of targets', () => {
  it('skips, with the reason in the log, an entity that names a target not bound to it', async () => {
    const logger = mockServices.logger.mock();
    const due = await findDueDrills({
      config: new ConfigReader({
        ops: {
          databases: {
            'payments-db': target({
              owners: undefined,
              entities: ['component:default/payments-api'],
              drillSchedule: {},
            }),
          },
        },
      }),
      catalog: catalogServiceMock({
        entities: [
          service('payments-api', 'payments-db'),
          serviceWithDatabases('rogue-api', 'payments-db', 'guests'),
        ],
      }),
      opsClient: fakeDrills([]),
      auth: mockServices.auth(),
      logger,
      now,
    });
    expect(due.map(d => d.entityRef)).toEqual([
      'component:default/payments-api',
    ]);
    expect(logger.warn).toHaveBeenCalledWith(
      "Scheduled drill of payments-db for component:default/rogue-api skipped: component:default/rogue-api is not bound to the database target 'payments-db': neither it nor its owner group:default/guests is named in ops.databases.payments-db.entities or ops.databases.payments-db.owners",
    );
  });
});

describe('runDueDrills', () => {
  it('logs a drill that cannot run on this backend and writes no record', async () => {
    const logger = mockServices.logger.mock();
    const child = mockServices.logger.mock();
    logger.child.mockReturnValue(child);
    const opsClient = {
      ...fakeDrills([]),
      createDrill: jest.fn(),
      upsertDrillStep: jest.fn(),
      updateDrill: jest.fn(),
    };
    await runDueDrills({
      config: new ConfigReader({
        ops: {
          databases: {
            'payments-db': target({
              drillSchedule: {},
              scratch: { binDir: '/nonexistent/bin' },
            }),
          },
        },
      }),
      catalog: catalogServiceMock({
        entities: [service('payments-api', 'payments-db')],
      }),
      opsClient,
      auth: mockServices.auth(),
      logger,
      now: () => now,
    });
    expect(child.error).toHaveBeenCalledWith(
      expect.stringContaining(
        'Scheduled drill of payments-db for component:default/payments-api could not run: Error: /nonexistent/bin/initdb is not an executable on the backend',
      ),
    );
    expect(opsClient.createDrill).not.toHaveBeenCalled();
  });
});
