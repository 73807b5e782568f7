import {
  mockServices,
  startTestBackend,
  TestDatabaseId,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { Knex } from 'knex';
import request from 'supertest';
import { opsPlugin } from './plugin';

jest.setTimeout(60_000);

/*
 * Acceptance 3: every malformed request on the post-mortem routes is refused
 * with a 4xx whose message names what is wrong, and writes nothing: the rows
 * of both tables are the same before and after.
 */

const POSTGRES_VARIABLE =
  'BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING';
const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

const PAYMENTS = 'component:default/payments-api';
const entities = [
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name: 'payments-api', namespace: 'default' },
    spec: { type: 'service', owner: 'team-payments', lifecycle: 'production' },
  },
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: { name: 'team-payments', namespace: 'default' },
    spec: { type: 'team', children: [] },
  },
];
const UNKNOWN_ID = '00000000-0000-4000-8000-000000000000';
const item = {
  title: 'Alert on pool saturation',
  ownerRef: 'group:default/team-payments',
  dueDate: '2026-12-20',
};

type Case = {
  name: string;
  method: 'get' | 'post' | 'patch' | 'put';
  /** `{open}`, `{resolved}`, `{postmortem}` and `{item}` are replaced by record ids. */
  path: string;
  body?: unknown;
  status?: number;
  /** Part of the error message: the field or value at fault. */
  message: string | RegExp;
};

const cases: Case[] = [
  // starting one
  {
    name: 'an incident id that is no UUID',
    method: 'post',
    path: '/incidents/42/postmortem',
    message: 'id',
  },
  {
    name: 'an incident that is still open',
    method: 'post',
    path: '/incidents/{open}/postmortem',
    status: 409,
    message:
      'is open: a post-mortem starts from a mitigated or resolved incident',
  },
  {
    name: 'a second post-mortem of an incident',
    method: 'post',
    path: '/incidents/{resolved}/postmortem',
    status: 409,
    message: 'has a post-mortem already',
  },
  {
    name: 'an unknown incident',
    method: 'post',
    path: `/incidents/${UNKNOWN_ID}/postmortem`,
    status: 404,
    message: UNKNOWN_ID,
  },
  // saving the text
  {
    name: 'a save without body',
    method: 'put',
    path: '/postmortems/{postmortem}',
    body: { version: 1 },
    message: 'body',
  },
  {
    name: 'a save without version',
    method: 'put',
    path: '/postmortems/{postmortem}',
    body: { body: 'text' },
    message: 'version',
  },
  {
    name: 'version 0',
    method: 'put',
    path: '/postmortems/{postmortem}',
    body: { body: 'text', version: 0 },
    message: 'version',
  },
  {
    name: 'a version that is text',
    method: 'put',
    path: '/postmortems/{postmortem}',
    body: { body: 'text', version: 'one' },
    message: 'version',
  },
  {
    name: 'an oversized body',
    method: 'put',
    path: '/postmortems/{postmortem}',
    body: { body: 'x'.repeat(200_001), version: 1 },
    message: 'body',
  },
  {
    name: 'a NUL byte in the body',
    method: 'put',
    path: '/postmortems/{postmortem}',
    body: { body: 'a\u0000b', version: 1 },
    message: 'body',
  },
  {
    name: 'an empty title',
    method: 'put',
    path: '/postmortems/{postmortem}',
    body: { body: 'text', version: 1, title: '' },
    message: 'title',
  },
  {
    name: 'a group among the authors',
    method: 'put',
    path: '/postmortems/{postmortem}',
    body: {
      body: 'text',
      version: 1,
      authors: ['group:default/team-payments'],
    },
    message: 'authors',
  },
  {
    name: 'too many reviewers',
    method: 'put',
    path: '/postmortems/{postmortem}',
    body: {
      body: 'text',
      version: 1,
      reviewers: Array.from({ length: 21 }, (_, i) => `user:default/r${i}`),
    },
    message: 'reviewers',
  },
  {
    name: 'authors that are not a list',
    method: 'put',
    path: '/postmortems/{postmortem}',
    body: { body: 'text', version: 1, authors: 'user:default/alice' },
    message: 'authors',
  },
  {
    name: 'a stale version',
    method: 'put',
    path: '/postmortems/{postmortem}',
    body: { body: 'text', version: 7 },
    status: 409,
    message: 'not 7',
  },
  {
    name: 'an unknown post-mortem',
    method: 'put',
    path: `/postmortems/${UNKNOWN_ID}`,
    body: { body: 'text', version: 1 },
    status: 404,
    message: `No post-mortem with id '${UNKNOWN_ID}'`,
  },
  // review and publication
  {
    name: 'an unknown status',
    method: 'post',
    path: '/postmortems/{postmortem}/status',
    body: { status: 'closed', version: 1 },
    message: 'status',
  },
  {
    name: 'publishing a draft without review',
    method: 'post',
    path: '/postmortems/{postmortem}/status',
    body: { status: 'published', version: 1 },
    status: 409,
    message: 'from draft to published',
  },
  {
    name: 'a status change without version',
    method: 'post',
    path: '/postmortems/{postmortem}/status',
    body: { status: 'in-review' },
    message: 'version',
  },
  {
    name: 'a field the API does not know',
    method: 'post',
    path: '/postmortems/{postmortem}/status',
    body: { status: 'in-review', version: 1, approver: 'me' },
    message: 'approver is not a field of this request',
  },
  // action items
  {
    name: 'an action item without owner',
    method: 'post',
    path: '/postmortems/{postmortem}/action-items',
    body: { ...item, ownerRef: undefined },
    message: 'ownerRef',
  },
  {
    name: 'a component as owner',
    method: 'post',
    path: '/postmortems/{postmortem}/action-items',
    body: { ...item, ownerRef: PAYMENTS },
    message: 'ownerRef',
  },
  {
    name: 'an owner the catalog does not know',
    method: 'post',
    path: '/postmortems/{postmortem}/action-items',
    body: { ...item, ownerRef: 'group:default/team-nobody' },
    message: "Invalid ownerRef 'group:default/team-nobody'",
  },
  {
    name: 'a due date with a time',
    method: 'post',
    path: '/postmortems/{postmortem}/action-items',
    body: { ...item, dueDate: '2026-12-20T10:00:00Z' },
    message: 'dueDate',
  },
  {
    name: 'a due date on February 30th',
    method: 'post',
    path: '/postmortems/{postmortem}/action-items',
    body: { ...item, dueDate: '2027-02-30' },
    message: 'dueDate',
  },
  {
    name: 'a link that is not http',
    method: 'post',
    path: '/postmortems/{postmortem}/action-items',
    body: { ...item, link: 'ftp://example.com/runbook' },
    message: 'link',
  },
  {
    name: 'an oversized action item title',
    method: 'post',
    path: '/postmortems/{postmortem}/action-items',
    body: { ...item, title: 'x'.repeat(201) },
    message: 'title',
  },
  {
    name: 'an unknown action item status',
    method: 'patch',
    path: '/action-items/{item}',
    body: { status: 'closed', version: 1 },
    message: 'status',
  },
  {
    name: 'an action item change of nothing',
    method: 'patch',
    path: '/action-items/{item}',
    body: { version: 1 },
    message: 'Nothing to change',
  },
  {
    name: 'a stale action item change',
    method: 'patch',
    path: '/action-items/{item}',
    body: { status: 'done', version: 3 },
    status: 409,
    message: 'not 3',
  },
  // lists
  {
    name: 'an unknown status filter',
    method: 'get',
    path: '/postmortems?status=closed',
    message: 'status',
  },
  {
    name: 'an overdue filter that is not a boolean',
    method: 'get',
    path: '/postmortems?overdue=yes',
    message: 'overdue',
  },
  {
    name: 'a post-mortem filter that is no UUID',
    method: 'get',
    path: '/action-items?postmortemId=42',
    message: 'postmortemId',
  },
  {
    name: 'an entity ref without a name',
    method: 'get',
    path: '/action-items?entityRef=component:',
    message: 'entityRef',
  },
];

describe('malformed post-mortem requests', () => {
  it(`runs on PostgreSQL too (${POSTGRES_VARIABLE} names a server: scripts/postgres-for-tests.sh starts one)`, () => {
    expect(databases.supports('POSTGRES_15')).toBe(true);
  });

  it('has a table of at least 20 cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(20);
  });

  describe.each(databases.eachSupportedId())('on %s', databaseId => {
    refusesMalformedRequests(databaseId);
  });
});

function escapeRegExp(text: string) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function refusesMalformedRequests(databaseId: TestDatabaseId) {
  let server: Awaited<ReturnType<typeof startTestBackend>>['server'];
  let knex: Knex;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    knex = await databases.init(databaseId);
    ({ server } = await startTestBackend({
      features: [
        opsPlugin,
        mockServices.rootConfig.factory({
          data: { app: { baseUrl: 'http://localhost:3000' } },
        }),
        mockServices.database.factory({ knex }),
        catalogServiceMock.factory({ entities }),
      ],
    }));
    const incident = (status: string) =>
      request(server).post('/api/ops/incidents').send({
        entityRef: PAYMENTS,
        title: 'Checkout 502',
        severity: 'SEV2',
        status,
      });
    ids.open = (await incident('open')).body.id;
    ids.resolved = (await incident('resolved')).body.id;
    const postmortem = await request(server).post(
      `/api/ops/incidents/${ids.resolved}/postmortem`,
    );
    expect(postmortem.status).toBe(201);
    ids.postmortem = postmortem.body.id;
    const actionItem = await request(server)
      .post(`/api/ops/postmortems/${ids.postmortem}/action-items`)
      .send(item);
    expect(actionItem.status).toBe(201);
    ids.item = actionItem.body.id;
  });

  /** Every row of both tables, in a fixed order. */
  async function snapshot() {
    const postmortems = await knex('ops_postmortems').orderBy('id');
    const actionItems = await knex('ops_action_items').orderBy('id');
    return JSON.stringify({ postmortems, actionItems });
  }

  it.each(cases)(
    'refuses $name',
    async ({ method, path, body, status, message }) => {
      const before = await snapshot();
      const url = `/api/ops${path.replace(
        /\{(\w+)\}/g,
        (_, name) => ids[name],
      )}`;
      let req = request(server)[method](url);
      if (body !== undefined) {
        req = req
          .set('Content-Type', 'application/json')
          .send(JSON.stringify(body));
      }
      const res = await req;

      expect({ status: res.status, message: res.body.error?.message }).toEqual({
        status: status ?? 400,
        message: expect.stringMatching(
          typeof message === 'string'
            ? new RegExp(escapeRegExp(message))
            : message,
        ),
      });
      expect(await snapshot()).toBe(before);
    },
  );
}
