import {
  resolvePackagePath,
  type DatabaseService,
} from '@backstage/backend-plugin-api';
import { TestDatabaseId, TestDatabases } from '@backstage/backend-test-utils';
import type { Incident } from '@opsdeck/plugin-ops-common';
import knexFactory, { Knex } from 'knex';
import { DatabaseDrillStore } from '../drills/DatabaseDrillStore';
import { DrillFields, DrillStore } from '../drills/DrillStore';
import { DatabaseIncidentStore } from '../incidents/DatabaseIncidentStore';
import { IncidentFields, IncidentStore } from '../incidents/IncidentStore';

jest.setTimeout(60_000);

const POSTGRES_VARIABLE =
  'BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING';

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

const migrationsDir = resolvePackagePath(
  '@opsdeck/plugin-ops-backend',
  'migrations',
);

function databaseService(knex: Knex, skip = false): DatabaseService {
  return { getClient: async () => knex, migrations: { skip } };
}

type RecordStores = IncidentStore & DrillStore;

/** The incident and the drill store on one database, as one object for these tests. */
async function createRecordStores(options: {
  database: DatabaseService;
}): Promise<RecordStores> {
  const incidents = await DatabaseIncidentStore.create(options);
  const drills = await DatabaseDrillStore.create(options);
  return new Proxy({} as RecordStores, {
    get(_target, name) {
      const owner: object = name in incidents ? incidents : drills;
      const value = Reflect.get(owner, name);
      return typeof value === 'function' ? value.bind(owner) : value;
    },
  });
}

async function createStore(databaseId: TestDatabaseId) {
  const knex = await databases.init(databaseId);
  const store = await createRecordStores({
    database: databaseService(knex),
  });
  return { knex, store };
}

/**
 * The message a promise rejects with. The drivers' errors are not always
 * instances of the test realm's Error, which `rejects.toThrow()` then reports
 * as "did not throw", so the message is compared instead.
 */
async function refusal(promise: Promise<unknown>): Promise<string> {
  return promise.then(
    () => 'resolved',
    error => String(error?.message ?? error),
  );
}

/** SQLite and PostgreSQL phrase a NOT NULL violation differently. */
const NOT_NULL_VIOLATION =
  /NOT NULL constraint failed|violates not-null constraint/;

const ISO_UTC = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

const everyIncidentField: IncidentFields = {
  entityRef: 'component:default/payments',
  title: 'Checkout returns 502',
  severity: 'SEV1',
  status: 'mitigated',
  commander: 'user:default/alice',
  summary: 'The payments API returned 502 for 12 minutes',
  // given with an offset: read back in UTC
  detectedAt: '2026-11-20T12:00:00.250+02:00',
  startedAt: '2026-11-20T09:55:00.000Z',
  mitigatedAt: '2026-11-20T10:07:00.000Z',
  resolvedAt: '2026-11-20T10:30:00.000Z',
  rootCause: 'Connection pool exhausted after deployment',
  postmortemUrl: 'https://docs.example.com/postmortems/42',
  deploymentId: 'payments-7f9c',
  labels: { alertname: 'HighErrorRate', team: 'payments' },
};

function incidentFields(overrides: Partial<IncidentFields>): IncidentFields {
  return {
    entityRef: 'component:default/payments',
    title: 'Something broke',
    severity: 'SEV2',
    status: 'open',
    detectedAt: '2026-11-20T10:00:00.000Z',
    labels: {},
    ...overrides,
  };
}

const drillFields: DrillFields = {
  entityRef: 'component:default/payments',
  kind: 'backup-restore',
  target: 'payments-db',
  status: 'running',
  startedAt: '2026-11-21T08:00:00.000Z',
  objectives: { rtoSeconds: 3600, rpoSeconds: 900 },
  verification: [],
  triggeredBy: 'user:default/bob',
  taskId: 'task-1',
};

const actor = 'user:default/alice';

/** Creates incidents by title, with no timeline events. */
function incidentMaker(store: RecordStores) {
  return (title: string, overrides: Partial<IncidentFields>) =>
    store.createIncident(incidentFields({ title, ...overrides }), {
      actor,
      events: [],
    });
}

describe('DatabaseIncidentStore and DatabaseDrillStore', () => {
  it(`runs the PostgreSQL cases (${POSTGRES_VARIABLE} names a server: scripts/postgres-for-tests.sh starts one)`, () => {
    // Without a server TestDatabases drops POSTGRES_15 from the list and the
    // PostgreSQL cases would vanish instead of failing.
    expect(databases.supports('POSTGRES_15')).toBe(true);
  });

  it.each(databases.eachSupportedId())(
    'creates, reads and lists an incident with every field, times in UTC (%s)',
    async databaseId => {
      const { store } = await createStore(databaseId);

      const created = await store.createIncident(everyIncidentField, {
        actor,
        events: [
          {
            type: 'created',
            message: 'Declared',
            data: { source: 'alertmanager', nested: { count: 3 } },
          },
        ],
      });

      expect(created).toEqual({
        ...everyIncidentField,
        detectedAt: '2026-11-20T10:00:00.250Z',
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        version: 1,
        createdBy: actor,
        createdAt: expect.stringMatching(ISO_UTC),
        updatedBy: actor,
        updatedAt: created.createdAt,
      });
      expect(await store.getIncident(created.id)).toEqual(created);
      expect(await store.listIncidents({})).toEqual({ items: [created] });

      const minimal = await store.createIncident(
        incidentFields({ entityRef: 'component:default/search' }),
        { actor, events: [] },
      );
      // absent optional fields are absent, not null
      expect(Object.keys(minimal).sort()).toEqual(
        [
          'id',
          'entityRef',
          'title',
          'severity',
          'status',
          'detectedAt',
          'labels',
          'version',
          'createdBy',
          'createdAt',
          'updatedBy',
          'updatedAt',
        ].sort(),
      );

      expect(await store.listIncidentEvents(created.id)).toEqual([
        {
          id: expect.any(String),
          incidentId: created.id,
          type: 'created',
          message: 'Declared',
          data: { source: 'alertmanager', nested: { count: 3 } },
          author: actor,
          createdAt: created.createdAt,
        },
      ]);
      expect(await store.getIncident('no-such-incident')).toBeUndefined();
    },
  );

  it.each(databases.eachSupportedId())(
    'filters incidents by entity, status, severity and detection time (%s)',
    async databaseId => {
      const { store } = await createStore(databaseId);
      const make = incidentMaker(store);
      await make('a', { detectedAt: '2026-11-01T00:00:00.000Z' });
      await make('b', {
        detectedAt: '2026-11-02T00:00:00.000Z',
        status: 'resolved',
        severity: 'SEV1',
      });
      await make('c', {
        detectedAt: '2026-11-03T00:00:00.000Z',
        status: 'investigating',
      });
      await make('d', {
        detectedAt: '2026-11-04T00:00:00.000Z',
        entityRef: 'component:default/search',
        severity: 'SEV3',
      });

      const titles = async (
        filter: Parameters<typeof store.listIncidents>[0],
      ) => (await store.listIncidents(filter)).items.map(i => i.title);

      expect(await titles({})).toEqual(['d', 'c', 'b', 'a']);
      expect(await titles({ entityRef: 'component:default/payments' })).toEqual(
        ['c', 'b', 'a'],
      );
      expect(await titles({ status: ['open', 'investigating'] })).toEqual([
        'd',
        'c',
        'a',
      ]);
      expect(await titles({ severity: ['SEV1', 'SEV3'] })).toEqual(['d', 'b']);
      // from inclusive, to exclusive
      expect(
        await titles({
          from: '2026-11-02T00:00:00.000Z',
          to: '2026-11-04T00:00:00.000Z',
        }),
      ).toEqual(['c', 'b']);
      expect(
        await titles({
          entityRef: 'component:default/payments',
          status: ['open', 'resolved'],
          from: '2026-11-01T00:00:00.001Z',
        }),
      ).toEqual(['b']);
      expect(await titles({ entityRef: 'component:default/none' })).toEqual([]);
    },
  );

  it.each(databases.eachSupportedId())(
    'pages through incidents and drills sharing a timestamp without duplicates or gaps (%s)',
    async databaseId => {
      const { store } = await createStore(databaseId);
      const created: Incident[] = [];
      for (let i = 0; i < 23; i++) {
        // 15 share one detection time, the others are older or newer
        let detectedAt = '2026-11-10T12:00:00.000Z';
        if (i >= 15) {
          const day = i < 19 ? i - 14 : i;
          detectedAt = `2026-11-${String(day).padStart(2, '0')}T12:00:00.000Z`;
        }
        created.push(
          await store.createIncident(incidentFields({ detectedAt }), {
            actor,
            events: [],
          }),
        );
      }
      const expected = [...created]
        .sort((a, b) => {
          const key = (i: Incident) => `${i.detectedAt} ${i.id}`;
          return key(a) < key(b) ? 1 : -1;
        })
        .map(i => i.id);

      const seen: string[] = [];
      const pageSizes: number[] = [];
      const cursors: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await store.listIncidents({ limit: 4, cursor });
        pageSizes.push(page.items.length);
        seen.push(...page.items.map(i => i.id));
        cursor = page.nextCursor;
        if (cursor) {
          cursors.push(cursor);
        }
      } while (cursor && pageSizes.length < 20);

      expect(pageSizes).toEqual([4, 4, 4, 4, 4, 3]);
      for (const opaque of cursors) {
        expect(opaque).toMatch(/^[A-Za-z0-9_-]+$/);
      }
      expect(seen).toEqual(expected);
      expect(new Set(seen).size).toBe(23);

      // an exact multiple of the limit: the last full page has no cursor
      const all = await store.listIncidents({ limit: 23 });
      expect(all.items).toHaveLength(23);
      expect(all.nextCursor).toBeUndefined();

      // filters apply on every page
      const severityPage = await store.listIncidents({
        limit: 2,
        from: '2026-11-10T12:00:00.000Z',
        to: '2026-11-10T12:00:00.001Z',
      });
      const second = await store.listIncidents({
        limit: 100,
        from: '2026-11-10T12:00:00.000Z',
        to: '2026-11-10T12:00:00.001Z',
        cursor: severityPage.nextCursor,
      });
      expect([...severityPage.items, ...second.items].map(i => i.id)).toEqual(
        expected.filter(id =>
          created.some(
            i => i.id === id && i.detectedAt === '2026-11-10T12:00:00.000Z',
          ),
        ),
      );

      const drillIds: string[] = [];
      for (let i = 0; i < 7; i++) {
        drillIds.push((await store.createDrill(drillFields)).id);
      }
      const firstDrills = await store.listDrills({ limit: 3 });
      const secondDrills = await store.listDrills({
        limit: 3,
        cursor: firstDrills.nextCursor,
      });
      const thirdDrills = await store.listDrills({
        limit: 3,
        cursor: secondDrills.nextCursor,
      });
      expect(thirdDrills.nextCursor).toBeUndefined();
      expect(
        [...firstDrills.items, ...secondDrills.items, ...thirdDrills.items].map(
          d => d.id,
        ),
      ).toEqual([...drillIds].sort().reverse());
    },
  );

  it.each(databases.eachSupportedId())(
    'rejects a malformed cursor or limit with InputError (%s)',
    async databaseId => {
      const { store } = await createStore(databaseId);
      await store.createIncident(incidentFields({}), { actor, events: [] });
      const encode = (value: unknown) =>
        Buffer.from(JSON.stringify(value)).toString('base64url');

      for (const cursor of [
        'not a cursor!',
        '',
        Buffer.from('plain text').toString('base64url'),
        encode({ time: '2026-11-10T12:00:00.000Z', id: 'x' }),
        encode(['not a time', 'x']),
        encode(['2026-11-10T12:00:00.000Z', 7]),
      ]) {
        await expect(store.listIncidents({ cursor })).rejects.toMatchObject({
          name: 'InputError',
          message: expect.stringContaining('cursor'),
        });
        await expect(store.listDrills({ cursor })).rejects.toMatchObject({
          name: 'InputError',
          message: expect.stringContaining('cursor'),
        });
      }
      await expect(store.listIncidents({ limit: 0 })).rejects.toMatchObject({
        name: 'InputError',
        message: expect.stringContaining('limit'),
      });
      await expect(
        store.listIncidents({ from: 'yesterday' }),
      ).rejects.toMatchObject({
        name: 'InputError',
        message: expect.stringContaining('from'),
      });
    },
  );

  it.each(databases.eachSupportedId())(
    'updates an incident and writes its timeline events with it (%s)',
    async databaseId => {
      const { store } = await createStore(databaseId);
      const created = await store.createIncident(incidentFields({}), {
        actor,
        events: [{ type: 'created', message: 'Declared' }],
      });

      const updated = await store.updateIncident(
        created.id,
        {
          status: 'mitigated',
          mitigatedAt: '2026-11-20T10:15:00.000Z',
          labels: { team: 'payments' },
          commander: 'user:default/carol',
          // undefined leaves the field as it is
          title: undefined,
        },
        {
          actor: 'user:default/bob',
          expectedVersion: 1,
          events: [
            {
              type: 'status-changed',
              message: 'open -> mitigated',
              data: { from: 'open', to: 'mitigated' },
            },
            { type: 'updated', message: 'Commander is now carol' },
          ],
        },
      );

      expect(updated).toEqual({
        ...created,
        status: 'mitigated',
        mitigatedAt: '2026-11-20T10:15:00.000Z',
        labels: { team: 'payments' },
        commander: 'user:default/carol',
        version: 2,
        updatedBy: 'user:default/bob',
        updatedAt: expect.stringMatching(ISO_UTC),
      });
      expect(await store.getIncident(created.id)).toEqual(updated);

      const events = await store.listIncidentEvents(created.id);
      expect(events.map(e => [e.type, e.message, e.author])).toEqual([
        ['created', 'Declared', actor],
        ['status-changed', 'open -> mitigated', 'user:default/bob'],
        ['updated', 'Commander is now carol', 'user:default/bob'],
      ]);
      expect(events[1].data).toEqual({ from: 'open', to: 'mitigated' });
      expect(events[1].createdAt).toBe(updated.updatedAt);
      expect(events[2]).not.toHaveProperty('data');

      const note = await store.appendIncidentEvent(
        created.id,
        { type: 'note', message: 'Customers notified' },
        { actor: 'user:default/dave' },
      );
      expect(note).toEqual({
        id: expect.any(String),
        incidentId: created.id,
        type: 'note',
        message: 'Customers notified',
        author: 'user:default/dave',
        createdAt: expect.stringMatching(ISO_UTC),
      });
      expect((await store.listIncidentEvents(created.id)).at(-1)).toEqual(note);
      // appending to the timeline is not a change of the incident
      expect((await store.getIncident(created.id))?.version).toBe(2);
    },
  );

  it.each(databases.eachSupportedId())(
    'pages a timeline latest first, oldest first within a page, with a cursor only when there is more (%s)',
    async databaseId => {
      const { store } = await createStore(databaseId);
      // 12 events written at one instant (ordered by id, past 9 -> 10), then 3.
      const created = await store.createIncident(incidentFields({}), {
        actor,
        events: Array.from({ length: 12 }, (_, i) => ({
          type: 'updated' as const,
          message: `e${i + 1}`,
        })),
      });
      for (const n of [13, 14, 15]) {
        await store.appendIncidentEvent(
          created.id,
          { type: 'note', message: `e${n}` },
          { actor },
        );
      }
      const messages = (page: { items: Array<{ message: string }> }) =>
        page.items.map(e => e.message);

      const first = await store.listIncidentEventPage(created.id, {
        limit: 4,
      });
      expect(messages(first)).toEqual(['e12', 'e13', 'e14', 'e15']);
      expect(first.nextCursor).toEqual(expect.any(String));
      const pages = [first];
      while (pages[pages.length - 1].nextCursor) {
        pages.push(
          await store.listIncidentEventPage(created.id, {
            limit: 4,
            cursor: pages[pages.length - 1].nextCursor,
          }),
        );
      }
      expect(pages.map(messages)).toEqual([
        ['e12', 'e13', 'e14', 'e15'],
        ['e8', 'e9', 'e10', 'e11'],
        ['e4', 'e5', 'e6', 'e7'],
        ['e1', 'e2', 'e3'],
      ]);
      expect(pages[3]).not.toHaveProperty('nextCursor');
      expect(pages.reverse().flatMap(page => page.items)).toEqual(
        await store.listIncidentEvents(created.id),
      );

      // A page that holds exactly what is left has no cursor.
      const whole = await store.listIncidentEventPage(created.id, {
        limit: 15,
      });
      expect(whole.items).toHaveLength(15);
      expect(whole).not.toHaveProperty('nextCursor');
      expect(
        await store.listIncidentEventPage('no-such-incident', { limit: 4 }),
      ).toEqual({ items: [] });
    },
  );

  it.each(databases.eachSupportedId())(
    'refuses a stale version with ConflictError and writes nothing (%s)',
    async databaseId => {
      const { store, knex } = await createStore(databaseId);
      const created = await store.createIncident(incidentFields({}), {
        actor,
        events: [{ type: 'created', message: 'Declared' }],
      });
      const v2 = await store.updateIncident(
        created.id,
        { title: 'Second' },
        { actor, expectedVersion: 1, events: [] },
      );

      await expect(
        store.updateIncident(
          created.id,
          { title: 'Stale', status: 'resolved' },
          {
            actor: 'user:default/mallory',
            expectedVersion: 1,
            events: [{ type: 'updated', message: 'stale change' }],
          },
        ),
      ).rejects.toMatchObject({
        name: 'ConflictError',
        message: expect.stringContaining('version'),
      });

      expect(await store.getIncident(created.id)).toEqual(v2);
      expect(
        (await store.listIncidentEvents(created.id)).map(e => e.message),
      ).toEqual(['Declared']);
      const [{ n }] = await knex('ops_incident_events').count({ n: '*' });
      expect(Number(n)).toBe(1);
    },
  );

  it.each(databases.eachSupportedId())(
    'writes a change and its events together or not at all (%s)',
    async databaseId => {
      const { store, knex } = await createStore(databaseId);
      const created = await store.createIncident(incidentFields({}), {
        actor,
        events: [],
      });
      // an event the database refuses (type is NOT NULL), after a valid one
      const broken = { type: null, message: 'broken' } as any;

      expect(
        await refusal(
          store.updateIncident(
            created.id,
            { status: 'resolved' },
            {
              actor,
              expectedVersion: 1,
              events: [{ type: 'updated', message: 'fine' }, broken],
            },
          ),
        ),
      ).toMatch(NOT_NULL_VIOLATION);
      expect(await store.getIncident(created.id)).toEqual(created);
      expect(await store.listIncidentEvents(created.id)).toEqual([]);

      expect(
        await refusal(
          store.createIncident(incidentFields({ title: 'never stored' }), {
            actor,
            events: [{ type: 'created', message: 'fine' }, broken],
          }),
        ),
      ).toMatch(NOT_NULL_VIOLATION);
      expect((await store.listIncidents({})).items).toEqual([created]);
      const [{ n }] = await knex('ops_incident_events').count({ n: '*' });
      expect(Number(n)).toBe(0);
    },
  );

  it.each(databases.eachSupportedId())(
    'fails with NotFoundError for unknown ids (%s)',
    async databaseId => {
      const { store } = await createStore(databaseId);
      const unknown = '00000000-0000-4000-8000-000000000000';
      const notFound = { name: 'NotFoundError' };

      await expect(
        store.updateIncident(
          unknown,
          { title: 'x' },
          { actor, expectedVersion: 1, events: [] },
        ),
      ).rejects.toMatchObject(notFound);
      await expect(
        store.appendIncidentEvent(
          unknown,
          { type: 'note', message: 'x' },
          { actor },
        ),
      ).rejects.toMatchObject(notFound);
      await expect(
        store.updateDrill(unknown, { status: 'passed' }, {}),
      ).rejects.toMatchObject(notFound);
      await expect(
        store.updateDrill(
          unknown,
          { status: 'passed' },
          { expectedVersion: 1 },
        ),
      ).rejects.toMatchObject(notFound);
      await expect(
        store.upsertDrillStep(unknown, {
          name: 'restore',
          status: 'running',
          startedAt: '2026-11-21T08:00:00.000Z',
        }),
      ).rejects.toMatchObject(notFound);
      expect(await store.getDrill(unknown)).toBeUndefined();
      expect(await store.listIncidentEvents(unknown)).toEqual([]);
    },
  );

  it.each(databases.eachSupportedId())(
    'lets exactly one of 20 concurrent updates with the same version win (%s)',
    async databaseId => {
      const { store, knex } = await createStore(databaseId);
      const created = await store.createIncident(incidentFields({}), {
        actor,
        events: [{ type: 'created', message: 'Declared' }],
      });

      // The test pool holds 5 connections; give every writer its own, so
      // that all 20 transactions really race on PostgreSQL.
      const isPostgres = knex.client.config.client === 'pg';
      const wide = isPostgres
        ? knexFactory({
            client: 'pg',
            connection: knex.client.config.connection,
            pool: { min: 0, max: 20 },
          })
        : knex;
      try {
        const racingStore = await createRecordStores({
          database: databaseService(wide, true),
        });
        if (isPostgres) {
          // open all connections first, so that the writers start together
          await Promise.all(
            Array.from({ length: 20 }, () =>
              wide.transaction(async tx => {
                await tx.raw('select pg_sleep(0.05)');
              }),
            ),
          );
        }

        const results = await Promise.allSettled(
          Array.from({ length: 20 }, (_, i) =>
            racingStore.updateIncident(
              created.id,
              { title: `writer ${i}`, status: 'investigating' },
              {
                actor: `user:default/writer-${i}`,
                expectedVersion: 1,
                events: [
                  { type: 'status-changed', message: `writer ${i} status` },
                  { type: 'updated', message: `writer ${i} title` },
                ],
              },
            ),
          ),
        );

        const won = results.flatMap(r =>
          r.status === 'fulfilled' ? [r.value] : [],
        );
        const lost = results.flatMap(r =>
          r.status === 'rejected' ? [r.reason] : [],
        );
        expect(won).toHaveLength(1);
        expect(lost).toHaveLength(19);
        for (const reason of lost) {
          expect(reason).toMatchObject({ name: 'ConflictError' });
        }

        const winner = won[0];
        const final = await store.getIncident(created.id);
        expect(final).toEqual(winner);
        expect(final?.version).toBe(2);
        const writer = winner.title.replace('writer ', '');
        expect(winner.updatedBy).toBe(`user:default/writer-${writer}`);

        const rows = await knex('ops_incident_events')
          .where({ incident_id: created.id })
          .orderBy('id');
        expect(rows.map(r => r.message)).toEqual([
          'Declared',
          `writer ${writer} status`,
          `writer ${writer} title`,
        ]);
      } finally {
        if (wide !== knex) {
          await wide.destroy();
        }
      }
    },
  );

  it.each(databases.eachSupportedId())(
    'creates, updates and lists drills (%s)',
    async databaseId => {
      const { store } = await createStore(databaseId);
      const created = await store.createDrill(drillFields);
      expect(created).toEqual({
        ...drillFields,
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        steps: [],
        version: 1,
        createdAt: expect.stringMatching(ISO_UTC),
        updatedAt: expect.stringMatching(ISO_UTC),
      });

      // without a version: applied to the latest
      const finished = await store.updateDrill(
        created.id,
        {
          status: 'passed',
          finishedAt: '2026-11-21T08:20:00.000Z',
          rtoSeconds: 1200,
          rpoSeconds: 300,
          verification: [
            { name: 'row count', passed: true, expected: '10', actual: '10' },
            { name: 'checksum', passed: true },
          ],
          report: '# Drill report\n\nAll good.',
        },
        {},
      );
      expect(finished).toEqual({
        ...created,
        status: 'passed',
        finishedAt: '2026-11-21T08:20:00.000Z',
        rtoSeconds: 1200,
        rpoSeconds: 300,
        verification: [
          { name: 'row count', passed: true, expected: '10', actual: '10' },
          { name: 'checksum', passed: true },
        ],
        report: '# Drill report\n\nAll good.',
        version: 2,
        updatedAt: expect.stringMatching(ISO_UTC),
      });
      expect(await store.getDrill(created.id)).toEqual(finished);

      await expect(
        store.updateDrill(
          created.id,
          { status: 'failed' },
          { expectedVersion: 1 },
        ),
      ).rejects.toMatchObject({ name: 'ConflictError' });
      expect(await store.getDrill(created.id)).toEqual(finished);
      expect(
        (
          await store.updateDrill(
            created.id,
            { report: 'Amended' },
            { expectedVersion: 2 },
          )
        ).version,
      ).toBe(3);

      const failover = await store.createDrill({
        ...drillFields,
        kind: 'failover',
        entityRef: 'component:default/search',
        startedAt: '2026-11-22T08:00:00.000Z',
      });
      const ids = async (filter: Parameters<typeof store.listDrills>[0]) =>
        (await store.listDrills(filter)).items.map(d => d.id);
      expect(await ids({})).toEqual([failover.id, created.id]);
      expect(await ids({ kind: ['failover'] })).toEqual([failover.id]);
      expect(await ids({ status: ['passed'] })).toEqual([created.id]);
      expect(
        await ids({
          entityRef: 'component:default/payments',
          kind: ['rollback'],
        }),
      ).toEqual([]);
      expect(
        await ids({
          from: '2026-11-21T08:00:00.000Z',
          to: '2026-11-22T08:00:00.000Z',
        }),
      ).toEqual([created.id]);
    },
  );

  it.each(databases.eachSupportedId())(
    'upserts drill steps, keeping the position of the first insert (%s)',
    async databaseId => {
      const { store } = await createStore(databaseId);
      const drill = await store.createDrill(drillFields);
      const other = await store.createDrill(drillFields);

      await store.upsertDrillStep(drill.id, {
        name: 'snapshot',
        status: 'running',
        startedAt: '2026-11-21T08:00:00.000Z',
      });
      await store.upsertDrillStep(drill.id, {
        name: 'restore',
        status: 'running',
        startedAt: '2026-11-21T08:05:00.000Z',
      });
      await store.upsertDrillStep(other.id, {
        name: 'restore',
        status: 'skipped',
        startedAt: '2026-11-21T08:05:00.000Z',
      });
      // 'a-verify' sorts first by name: order must come from the position
      await store.upsertDrillStep(drill.id, {
        name: 'a-verify',
        status: 'running',
        startedAt: '2026-11-21T08:10:00.000Z',
        output: 'checking',
      });
      const result = await store.upsertDrillStep(drill.id, {
        name: 'snapshot',
        status: 'succeeded',
        startedAt: '2026-11-21T08:00:00.000Z',
        finishedAt: '2026-11-21T08:04:00.000Z',
        output: 'snapshot taken',
      });

      const expectedSteps = [
        {
          name: 'snapshot',
          status: 'succeeded',
          startedAt: '2026-11-21T08:00:00.000Z',
          finishedAt: '2026-11-21T08:04:00.000Z',
          output: 'snapshot taken',
        },
        {
          name: 'restore',
          status: 'running',
          startedAt: '2026-11-21T08:05:00.000Z',
        },
        {
          name: 'a-verify',
          status: 'running',
          startedAt: '2026-11-21T08:10:00.000Z',
          output: 'checking',
        },
      ];
      expect(result.steps).toEqual(expectedSteps);
      // a replaced step loses what the new one does not have
      const replaced = await store.upsertDrillStep(drill.id, {
        name: 'a-verify',
        status: 'failed',
        startedAt: '2026-11-21T08:10:00.000Z',
      });
      expect(replaced.steps[2]).toEqual({
        name: 'a-verify',
        status: 'failed',
        startedAt: '2026-11-21T08:10:00.000Z',
      });
      // steps are not a new version of the drill
      expect(replaced.version).toBe(1);

      expect((await store.getDrill(other.id))?.steps).toEqual([
        {
          name: 'restore',
          status: 'skipped',
          startedAt: '2026-11-21T08:05:00.000Z',
        },
      ]);
      const listed = await store.listDrills({});
      expect(listed.items.find(d => d.id === drill.id)?.steps).toEqual(
        replaced.steps,
      );
      expect(listed.items.find(d => d.id === other.id)?.steps).toHaveLength(1);
    },
  );

  it.each(databases.eachSupportedId())(
    'counts open incidents and drills for metrics (%s)',
    async databaseId => {
      const { store } = await createStore(databaseId);
      expect(await store.countOpenIncidents()).toEqual([]);
      expect(await store.countDrills()).toEqual([]);

      const incident = (overrides: Partial<IncidentFields>) =>
        store.createIncident(incidentFields(overrides), { actor, events: [] });
      await incident({ severity: 'SEV1' });
      await incident({ severity: 'SEV1', status: 'investigating' });
      await incident({ severity: 'SEV1', status: 'resolved' });
      await incident({ severity: 'SEV2', status: 'mitigated' });
      await incident({ entityRef: 'component:default/search' });

      expect(await store.countOpenIncidents()).toEqual([
        { entityRef: 'component:default/payments', severity: 'SEV1', count: 2 },
        { entityRef: 'component:default/payments', severity: 'SEV2', count: 1 },
        { entityRef: 'component:default/search', severity: 'SEV2', count: 1 },
      ]);

      await store.createDrill(drillFields);
      await store.createDrill(drillFields);
      await store.createDrill({ ...drillFields, status: 'passed' });
      await store.createDrill({ ...drillFields, kind: 'failover' });
      expect(await store.countDrills()).toEqual([
        { kind: 'backup-restore', status: 'passed', count: 1 },
        { kind: 'backup-restore', status: 'running', count: 2 },
        { kind: 'failover', status: 'running', count: 1 },
      ]);
    },
  );

  it.each(databases.eachSupportedId())(
    'lets one exclusive drill hold a target at a time, also under concurrent creates (%s)',
    async databaseId => {
      const { store } = await createStore(databaseId);
      const exclusive: DrillFields = {
        ...drillFields,
        kind: 'failover',
        exclusive: true,
      };
      // Two creates at the same moment: the database admits one.
      const results = await Promise.allSettled([
        store.createDrill(exclusive),
        store.createDrill({ ...exclusive, kind: 'backup-restore' }),
      ]);
      const created = results.flatMap(r =>
        r.status === 'fulfilled' ? [r.value] : [],
      );
      const refused = results.flatMap(r =>
        r.status === 'rejected' ? [r.reason] : [],
      );
      expect(created).toHaveLength(1);
      expect(created[0].exclusive).toBe(true);
      expect(refused).toHaveLength(1);
      expect(refused[0].name).toBe('ConflictError');
      expect(refused[0].message).toBe(
        `payments-db is held by a running ${created[0].kind} drill ${created[0].id} of component:default/payments, started 2026-11-21T08:00:00.000Z by user:default/bob (task task-1); one exclusive drill per target at a time`,
      );

      // Other targets, and drills that do not ask to hold, are not affected.
      await store.createDrill({ ...exclusive, target: 'orders-db' });
      const shared = await store.createDrill(drillFields);
      expect(shared.exclusive).toBeUndefined();

      // Finishing releases the target.
      await store.updateDrill(
        created[0].id,
        { status: 'passed', finishedAt: '2026-11-21T08:10:00.000Z' },
        {},
      );
      const next = await store.createDrill(exclusive);
      await expect(store.createDrill(exclusive)).rejects.toThrow(
        `drill ${next.id}`,
      );
    },
  );

  it.each(databases.eachSupportedId())(
    'takes a holder not written since the cutoff as abandoned, and only then (%s)',
    async databaseId => {
      const { store } = await createStore(databaseId);
      const exclusive: DrillFields = { ...drillFields, exclusive: true };
      const holder = await store.createDrill(exclusive);

      // Written after the cutoff: still alive.
      await expect(
        store.createDrill(exclusive, {
          abandonedBefore: new Date(Date.now() - 60_000),
        }),
      ).rejects.toThrow(`drill ${holder.id}`);

      // A step write counts as a sign of life.
      await new Promise(resolve => setTimeout(resolve, 20));
      const cutoff = new Date();
      await store.upsertDrillStep(holder.id, {
        name: 'Restore',
        status: 'running',
        startedAt: '2026-11-21T08:00:00.000Z',
      });
      await expect(
        store.createDrill(exclusive, { abandonedBefore: cutoff }),
      ).rejects.toThrow(`drill ${holder.id}`);

      await new Promise(resolve => setTimeout(resolve, 20));
      const taken = await store.createDrill(exclusive, {
        abandonedBefore: new Date(),
      });
      expect(taken.status).toBe('running');
      expect(await store.getDrill(holder.id)).toEqual(
        expect.objectContaining({
          status: 'aborted',
          finishedAt: expect.stringMatching(ISO_UTC),
          version: holder.version + 1,
        }),
      );
    },
  );

  it.each(databases.eachSupportedId())(
    'migrates up, down to zero and up again (%s)',
    async databaseId => {
      const knex = await databases.init(databaseId);
      const tables = [
        'ops_incidents',
        'ops_incident_events',
        'ops_drills',
        'ops_drill_steps',
      ];
      const existing = async () => {
        const found: string[] = [];
        for (const table of tables) {
          if (await knex.schema.hasTable(table)) {
            found.push(table);
          }
        }
        return found;
      };

      // skipped migrations leave the database alone
      await createRecordStores({ database: databaseService(knex, true) });
      expect(await existing()).toEqual([]);

      const store = await createRecordStores({
        database: databaseService(knex),
      });
      expect(await existing()).toEqual(tables);
      const incident = await store.createIncident(incidentFields({}), {
        actor,
        events: [{ type: 'created', message: 'Declared' }],
      });
      await store.upsertDrillStep((await store.createDrill(drillFields)).id, {
        name: 'restore',
        status: 'running',
        startedAt: '2026-11-21T08:00:00.000Z',
      });

      await knex.migrate.rollback({ directory: migrationsDir }, true);
      expect(await existing()).toEqual([]);
      const [completed] = await knex.migrate.list({ directory: migrationsDir });
      expect(completed).toEqual([]);

      await knex.migrate.latest({ directory: migrationsDir });
      expect(await existing()).toEqual(tables);
      expect(await store.getIncident(incident.id)).toBeUndefined();
      expect(
        (await store.createIncident(incidentFields({}), { actor, events: [] }))
          .version,
      ).toBe(1);
    },
  );
});
