import type { DatabaseService } from '@backstage/backend-plugin-api';
import { TestDatabaseId, TestDatabases } from '@backstage/backend-test-utils';
import { Knex } from 'knex';
import { DatabaseIncidentStore } from './incidents/DatabaseIncidentStore';
import { DatabasePostmortemStore } from './postmortems/DatabasePostmortemStore';

jest.setTimeout(60_000);

/*
 * Acceptance 1: the post-mortem store on SQLite and PostgreSQL, and its
 * optimistic concurrency: of 20 saves based on one version exactly one is
 * written, the 19 others are refused with a conflict and change nothing.
 */

const POSTGRES_VARIABLE =
  'BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING';
const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

const actor = 'user:default/alice';
const ENTITY = 'component:default/payments-api';
/** A clock pinned for the overdue flags. */
const NOW = new Date('2026-12-03T12:00:00.000Z');

function databaseService(knex: Knex): DatabaseService {
  return { getClient: async () => knex, migrations: { skip: false } };
}

async function setUp(databaseId: TestDatabaseId) {
  const knex = await databases.init(databaseId);
  const database = databaseService(knex);
  const incidents = await DatabaseIncidentStore.create({ database });
  // the migrations are applied by the incident store's create
  const store = new DatabasePostmortemStore(knex, () => NOW);
  const incident = await incidents.createIncident(
    {
      entityRef: ENTITY,
      title: 'Checkout returns 502',
      severity: 'SEV1',
      status: 'resolved',
      detectedAt: '2026-11-20T10:00:00.000Z',
      mitigatedAt: '2026-11-20T10:20:00.000Z',
      resolvedAt: '2026-11-20T10:30:00.000Z',
      labels: {},
    },
    { actor, events: [] },
  );
  return { knex, store, incident };
}

/** The error's name and message, whatever realm the driver threw it in. */
async function outcome(promise: Promise<unknown>) {
  return promise.then(
    value => ({ ok: true as const, value }),
    error => ({
      ok: false as const,
      name: error?.name,
      message: String(error?.message),
    }),
  );
}

describe('DatabasePostmortemStore', () => {
  it(`runs the PostgreSQL cases (${POSTGRES_VARIABLE} names a server: scripts/postgres-for-tests.sh starts one)`, () => {
    expect(databases.supports('POSTGRES_15')).toBe(true);
  });

  it.each(databases.eachSupportedId())(
    'creates, reads, lists and publishes a post-mortem (%s)',
    async databaseId => {
      const { store, incident } = await setUp(databaseId);
      const created = await store.createPostmortem(
        {
          incidentId: incident.id,
          entityRef: ENTITY,
          severity: 'SEV1',
          title: incident.title,
          body: '# Draft\n',
          authors: [actor],
          dueAt: '2026-11-27T10:30:00.000Z',
        },
        actor,
      );
      expect(created).toMatchObject({
        incidentId: incident.id,
        status: 'draft',
        version: 1,
        authors: [actor],
        reviewers: [],
        dueAt: '2026-11-27T10:30:00.000Z',
        // due before NOW and not published
        overdue: true,
        createdBy: actor,
      });
      expect(await store.getPostmortemOfIncident(incident.id)).toEqual(created);
      expect(
        await store.listPostmortems({ entityRef: ENTITY, overdueAt: NOW }, 10),
      ).toEqual([created]);

      const published = await store.updatePostmortem(
        created.id,
        {
          status: 'published',
          reviewers: ['user:default/bob'],
          published: { by: 'user:default/bob', at: NOW.toISOString() },
        },
        { expectedVersion: 1, actor: 'user:default/bob' },
      );
      expect(published).toMatchObject({
        status: 'published',
        version: 2,
        reviewers: ['user:default/bob'],
        publishedBy: 'user:default/bob',
        publishedAt: NOW.toISOString(),
        overdue: false,
      });
      expect(await store.listPostmortems({ overdueAt: NOW }, 10)).toEqual([]);
    },
  );

  it.each(databases.eachSupportedId())(
    'of 20 concurrent saves with one version writes exactly one (%s)',
    async databaseId => {
      const { knex, store, incident } = await setUp(databaseId);
      const created = await store.createPostmortem(
        {
          incidentId: incident.id,
          entityRef: ENTITY,
          severity: 'SEV1',
          title: incident.title,
          body: 'the draft',
          authors: [],
        },
        actor,
      );
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          outcome(
            store.updatePostmortem(
              created.id,
              { body: `save ${i}` },
              { expectedVersion: 1, actor: `user:default/writer-${i}` },
            ),
          ),
        ),
      );
      const won = results.flatMap((r, i) => (r.ok ? [i] : []));
      const refused = results.filter(r => !r.ok);
      expect(won).toHaveLength(1);
      expect(refused).toHaveLength(19);
      for (const r of refused) {
        expect(r).toMatchObject({
          name: 'ConflictError',
          message: expect.stringMatching(/has version 2, not 1/),
        });
      }
      const row = await knex('ops_postmortems')
        .where({ id: created.id })
        .first();
      expect(row.body).toBe(`save ${won[0]}`);
      expect(Number(row.version)).toBe(2);
      expect(row.updated_by).toBe(`user:default/writer-${won[0]}`);
    },
  );

  it.each(databases.eachSupportedId())(
    'keeps one post-mortem per incident when two start at once (%s)',
    async databaseId => {
      const { knex, store, incident } = await setUp(databaseId);
      const fields = {
        incidentId: incident.id,
        entityRef: ENTITY,
        severity: 'SEV1',
        title: incident.title,
        body: 'draft',
        authors: [],
      };
      const results = await Promise.all([
        outcome(store.createPostmortem(fields, actor)),
        outcome(store.createPostmortem(fields, actor)),
      ]);
      expect(results.filter(r => r.ok)).toHaveLength(1);
      expect(results.find(r => !r.ok)).toMatchObject({
        name: 'ConflictError',
        message: `Incident '${incident.id}' has a post-mortem already`,
      });
      const [{ count }] = await knex('ops_postmortems').count({ count: '*' });
      expect(Number(count)).toBe(1);
    },
  );

  it.each(databases.eachSupportedId())(
    'lists action items overdue first, then by due date, and refuses a stale change (%s)',
    async databaseId => {
      const { store, incident } = await setUp(databaseId);
      const postmortem = await store.createPostmortem(
        {
          incidentId: incident.id,
          entityRef: ENTITY,
          severity: 'SEV1',
          title: incident.title,
          body: 'draft',
          authors: [],
        },
        actor,
      );
      const item = (title: string, dueDate: string) =>
        store.createActionItem(
          {
            postmortemId: postmortem.id,
            entityRef: ENTITY,
            title,
            ownerRef: 'group:default/team-payments',
            dueDate,
          },
          actor,
        );
      const later = await item('Alert on pool saturation', '2026-12-20');
      const done = await item('Raise the pool size', '2026-11-25');
      const overdue = await item('Load test checkout', '2026-12-01');
      await store.updateActionItem(
        done.id,
        { status: 'done', completedAt: NOW.toISOString() },
        { expectedVersion: 1, actor },
      );

      const listed = await store.listActionItems({ entityRef: ENTITY }, 10);
      expect(listed.map(i => [i.title, i.overdue])).toEqual([
        ['Load test checkout', true],
        ['Raise the pool size', false],
        ['Alert on pool saturation', false],
      ]);
      expect(listed[0]).toMatchObject({
        id: overdue.id,
        incidentId: incident.id,
        postmortemId: postmortem.id,
        status: 'open',
        dueDate: '2026-12-01',
      });
      expect(
        (await store.listActionItems({ status: 'open' }, 10)).map(i => i.id),
      ).toEqual([overdue.id, later.id]);

      const stale = await outcome(
        store.updateActionItem(
          done.id,
          { status: 'open', completedAt: null },
          { expectedVersion: 1, actor },
        ),
      );
      expect(stale).toMatchObject({ ok: false, name: 'ConflictError' });
      expect((await store.getActionItem(done.id))?.status).toBe('done');
    },
  );
});
