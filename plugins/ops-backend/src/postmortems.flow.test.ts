import { BackstageCredentials } from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { Knex } from 'knex';
import request from 'supertest';
import { opsPlugin } from './plugin';

jest.setTimeout(60_000);

/*
 * A post-mortem from start to publication through the API: the ownership
 * rule and the audit log on every write, the review, the action items and
 * the readiness item "learning from incidents" that follows them.
 */

const databases = TestDatabases.create({ ids: ['SQLITE_3'] });
const OWNER = 'user:default/owner';
const OUTSIDER = 'user:default/outsider';
const PAYMENTS = 'component:default/payments-api';

const userOf = (credentials: BackstageCredentials) =>
  (credentials.principal as { userEntityRef?: string }).userEntityRef;

async function startBackend(knex: Knex) {
  const auditor = mockServices.auditor.mock();
  const audit: Array<{ eventId: string; outcome: string }> = [];
  auditor.createEvent.mockImplementation(async ({ eventId }) => ({
    success: async () => {
      audit.push({ eventId, outcome: 'succeeded' });
    },
    fail: async () => {
      audit.push({ eventId, outcome: 'failed' });
    },
  }));
  const { server } = await startTestBackend({
    features: [
      opsPlugin,
      mockServices.rootConfig.factory({
        data: { app: { baseUrl: 'http://localhost:3000' } },
      }),
      mockServices.database.factory({ knex }),
      catalogServiceMock.factory({
        entities: [
          {
            apiVersion: 'backstage.io/v1alpha1',
            kind: 'Component',
            metadata: { name: 'payments-api', namespace: 'default' },
            spec: {
              type: 'service',
              owner: 'team-payments',
              lifecycle: 'production',
            },
          },
          {
            apiVersion: 'backstage.io/v1alpha1',
            kind: 'Group',
            metadata: { name: 'team-payments', namespace: 'default' },
            spec: { type: 'team', children: [] },
          },
        ],
      }),
      mockServices.permissions.mock({
        authorize: async (requests, options) =>
          requests.map(() => ({
            result:
              userOf(options.credentials) === OUTSIDER
                ? AuthorizeResult.DENY
                : AuthorizeResult.ALLOW,
          })),
      }).factory,
      auditor.factory,
    ],
  });
  return { server, audit };
}

describe('post-mortems through the API', () => {
  it('starts, reviews and publishes one, with action items and the readiness item', async () => {
    const knex = await databases.init('SQLITE_3');
    const { server, audit } = await startBackend(knex);
    const as = (user: string) => mockCredentials.user.header(user);
    const learning = async () => {
      const res = await request(server)
        .get(`/api/ops/readiness?entityRef=${PAYMENTS}`)
        .set('Authorization', as(OWNER));
      return res.body.items.find((i: { id: string }) => i.id === 'learning');
    };

    // A SEV1 resolved on Monday 2026-11-02 11:00: due 5 business days later.
    const declared = await request(server)
      .post('/api/ops/incidents')
      .set('Authorization', as(OWNER))
      .send({
        entityRef: PAYMENTS,
        title: 'Payments down',
        severity: 'SEV1',
        detectedAt: '2026-11-02T10:00:00Z',
      });
    const resolved = await request(server)
      .patch(`/api/ops/incidents/${declared.body.id}`)
      .set('Authorization', as(OWNER))
      .send({
        version: declared.body.version,
        status: 'resolved',
        mitigatedAt: '2026-11-02T10:40:00Z',
        resolvedAt: '2026-11-02T11:00:00Z',
      });
    expect(resolved.status).toBe(200);
    const incidentId = declared.body.id;

    expect(await learning()).toMatchObject({
      title: 'Learning from incidents',
      status: 'missing',
      detail:
        'Overdue: no post-mortem started for SEV1 "Payments down" (due 2026-11-09).',
    });

    // Someone outside the owners may read but not start it.
    const refused = await request(server)
      .post(`/api/ops/incidents/${incidentId}/postmortem`)
      .set('Authorization', as(OUTSIDER));
    expect(refused.status).toBe(403);
    expect(await knex('ops_postmortems').count({ n: '*' })).toEqual([{ n: 0 }]);

    const started = await request(server)
      .post(`/api/ops/incidents/${incidentId}/postmortem`)
      .set('Authorization', as(OWNER));
    expect(started.status).toBe(201);
    const id = started.body.id;
    expect(started.body).toMatchObject({
      status: 'draft',
      authors: [OWNER],
      dueAt: '2026-11-09T11:00:00.000Z',
      overdue: true,
    });
    const linked = await request(server)
      .get(`/api/ops/incidents/${incidentId}/postmortem`)
      .set('Authorization', as(OUTSIDER));
    expect(linked.body.id).toBe(id);
    const overdue = await request(server)
      .get('/api/ops/postmortems?overdue=true')
      .set('Authorization', as(OWNER));
    expect(overdue.body.items.map((p: { id: string }) => p.id)).toEqual([id]);

    const saved = await request(server)
      .put(`/api/ops/postmortems/${id}`)
      .set('Authorization', as(OWNER))
      .send({
        version: 1,
        body: '# Payments down\n\nThe pool ran dry.\n',
        reviewers: ['user:default/lead'],
      });
    expect(saved.body).toMatchObject({
      version: 2,
      reviewers: ['user:default/lead'],
    });
    const inReview = await request(server)
      .post(`/api/ops/postmortems/${id}/status`)
      .set('Authorization', as(OWNER))
      .send({ status: 'in-review', version: 2 });
    expect(inReview.body).toMatchObject({ status: 'in-review', version: 3 });
    const published = await request(server)
      .post(`/api/ops/postmortems/${id}/status`)
      .set('Authorization', as(OWNER))
      .send({ status: 'published', version: 3 });
    expect(published.body).toMatchObject({
      status: 'published',
      publishedBy: OWNER,
      overdue: false,
    });
    const final = await request(server)
      .put(`/api/ops/postmortems/${id}`)
      .set('Authorization', as(OWNER))
      .send({ version: 4, body: 'rewritten' });
    expect(final.status).toBe(409);
    expect(final.body.error.message).toContain('is published');
    expect(await learning()).toMatchObject({ status: 'present' });

    // An action item owned by the team, past its due date.
    const added = await request(server)
      .post(`/api/ops/postmortems/${id}/action-items`)
      .set('Authorization', as(OWNER))
      .send({
        title: 'Alert on pool saturation',
        ownerRef: 'group:team-payments',
        dueDate: '2026-11-20',
      });
    expect(added.status).toBe(201);
    expect(added.body).toMatchObject({
      ownerRef: 'group:default/team-payments',
      incidentId,
      status: 'open',
      overdue: true,
    });
    const open = await request(server)
      .get(`/api/ops/action-items?entityRef=${PAYMENTS}&status=open`)
      .set('Authorization', as(OUTSIDER));
    expect(open.body.items.map((i: { id: string }) => i.id)).toEqual([
      added.body.id,
    ]);
    expect(await learning()).toMatchObject({
      status: 'missing',
      detail:
        'Overdue: action item overdue: "Alert on pool saturation" (group:default/team-payments, due 2026-11-20).',
    });
    const outsiderCloses = await request(server)
      .patch(`/api/ops/action-items/${added.body.id}`)
      .set('Authorization', as(OUTSIDER))
      .send({ status: 'done', version: 1 });
    expect(outsiderCloses.status).toBe(403);
    const done = await request(server)
      .patch(`/api/ops/action-items/${added.body.id}`)
      .set('Authorization', as(OWNER))
      .send({ status: 'done', version: 1 });
    expect(done.body).toMatchObject({
      status: 'done',
      overdue: false,
      version: 2,
    });
    expect(done.body.completedAt).toBeDefined();
    expect(await learning()).toMatchObject({ status: 'present' });

    // The export names the action item in its front matter.
    const exported = await request(server)
      .get(`/api/ops/postmortems/${id}/markdown`)
      .set('Authorization', as(OWNER));
    expect(exported.headers['content-disposition']).toBe(
      `attachment; filename="${started.body.createdAt.slice(
        0,
        10,
      )}-payments-down.md"`,
    );
    expect(exported.text).toContain(
      'actionItems:\n  - title: "Alert on pool saturation"\n    owner: "group:default/team-payments"\n    due: "2026-11-20"\n    status: "done"\n',
    );

    // Every write is in the audit log, the refused ones as failed.
    expect(audit).toEqual(
      expect.arrayContaining([
        { eventId: 'postmortem-create', outcome: 'failed' },
        { eventId: 'postmortem-create', outcome: 'succeeded' },
        { eventId: 'postmortem-update', outcome: 'succeeded' },
        { eventId: 'postmortem-update', outcome: 'failed' },
        { eventId: 'postmortem-status', outcome: 'succeeded' },
        { eventId: 'action-item-create', outcome: 'succeeded' },
        { eventId: 'action-item-update', outcome: 'failed' },
        { eventId: 'action-item-update', outcome: 'succeeded' },
      ]),
    );
  });
});
