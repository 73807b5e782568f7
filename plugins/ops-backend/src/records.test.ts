import {
  BackstageCredentials,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import request from 'supertest';
import { opsPlugin } from './plugin';

const service = (name: string, owner: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name, namespace: 'default' },
  spec: { type: 'service', owner, lifecycle: 'production' },
});

const OWNER_REF = 'user:default/owner';
const OUTSIDER_REF = 'user:default/outsider';

function userOf(credentials: BackstageCredentials) {
  return (credentials.principal as { userEntityRef?: string }).userEntityRef;
}

/**
 * A backend with the ops plugin over a catalog where `secret-api` is hidden
 * from the outsider, and a policy that lets only the owner write.
 */
async function startBackend() {
  const catalog = catalogServiceMock({
    entities: [
      service('payments-api', 'team-payments'),
      service('secret-api', 'team-secret'),
    ],
  });
  const hidden = (ref: string, credentials: BackstageCredentials) =>
    ref.endsWith('/secret-api') && userOf(credentials) === OUTSIDER_REF;
  const auditor = mockServices.auditor.mock();
  const events: Array<{ eventId: string; outcome: string }> = [];
  auditor.createEvent.mockImplementation(async ({ eventId }) => ({
    success: async () => {
      events.push({ eventId, outcome: 'succeeded' });
    },
    fail: async () => {
      events.push({ eventId, outcome: 'failed' });
    },
  }));

  const { server } = await startTestBackend({
    features: [
      opsPlugin,
      mockServices.rootConfig.factory({
        data: { app: { baseUrl: 'http://localhost:3000' } },
      }),
      createServiceFactory({
        service: catalogServiceRef,
        deps: {},
        factory: () => ({
          ...catalog,
          getEntityByRef: async (ref, options) =>
            hidden(String(ref), options.credentials)
              ? undefined
              : catalog.getEntityByRef(ref, options),
          getEntitiesByRefs: async (req, options) => {
            const result = await catalog.getEntitiesByRefs(req, options);
            return {
              items: result.items.map((entity, i) =>
                hidden(req.entityRefs[i], options.credentials)
                  ? undefined
                  : entity,
              ),
            };
          },
        }),
      }),
      mockServices.permissions.mock({
        authorize: async (requests, options) =>
          requests.map(() => ({
            result:
              userOf(options.credentials) === OUTSIDER_REF
                ? AuthorizeResult.DENY
                : AuthorizeResult.ALLOW,
          })),
      }).factory,
      auditor.factory,
    ],
  });
  return { server, events };
}

const newIncident = {
  entityRef: 'component:default/payments-api',
  title: 'Checkout returns 502',
  severity: 'SEV2',
};

describe('incidents API', () => {
  it('declares, lists, moves an incident to resolved and keeps its timeline', async () => {
    const { server, events } = await startBackend();
    const created = await request(server)
      .post('/api/ops/incidents')
      .set('Authorization', mockCredentials.user.header(OWNER_REF))
      .send({ ...newIncident, labels: { alertname: 'HighErrorRate' } });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      ...newIncident,
      status: 'open',
      version: 1,
      labels: { alertname: 'HighErrorRate' },
    });
    const id = created.body.id;

    const listed = await request(server).get(
      '/api/ops/incidents?entityRef=component:default/payments-api&status=open',
    );
    expect(listed.status).toBe(200);
    expect(listed.body.items.map((i: { id: string }) => i.id)).toEqual([id]);

    const investigating = await request(server)
      .patch(`/api/ops/incidents/${id}`)
      .send({
        version: 1,
        status: 'investigating',
        commander: 'user:default/jane',
      });
    expect(investigating.status).toBe(200);
    expect(investigating.body.version).toBe(2);

    const resolved = await request(server)
      .patch(`/api/ops/incidents/${id}`)
      .send({ version: 2, status: 'resolved', rootCause: 'Bad deploy' });
    expect(resolved.status).toBe(200);
    expect(resolved.body).toMatchObject({ status: 'resolved', version: 3 });
    expect(resolved.body.resolvedAt).toEqual(expect.any(String));
    expect(resolved.body.mitigatedAt).toBe(resolved.body.resolvedAt);

    const note = await request(server)
      .post(`/api/ops/incidents/${id}/events`)
      .send({ type: 'note', message: 'Rolled back to revision 41' });
    expect(note.status).toBe(201);

    const timeline = await request(server).get(
      `/api/ops/incidents/${id}/events`,
    );
    expect(timeline.body.items.map((e: { type: string }) => e.type)).toEqual([
      'created',
      'status-changed',
      'updated',
      'status-changed',
      'updated',
      'note',
    ]);
    expect(timeline.body.items[1].data).toEqual({
      from: 'open',
      to: 'investigating',
    });

    expect(
      events
        .filter(e => !e.eventId.endsWith('-fetch'))
        .map(e => `${e.eventId}:${e.outcome}`),
    ).toEqual([
      'incident-create:succeeded',
      'incident-update:succeeded',
      'incident-update:succeeded',
      'incident-event-append:succeeded',
    ]);
  });

  it('refuses a change based on a stale version with 409 and keeps the winner', async () => {
    const { server } = await startBackend();
    const { body } = await request(server)
      .post('/api/ops/incidents')
      .send(newIncident);
    await request(server)
      .patch(`/api/ops/incidents/${body.id}`)
      .send({ version: 1, status: 'mitigated' })
      .expect(200);
    const stale = await request(server)
      .patch(`/api/ops/incidents/${body.id}`)
      .send({ version: 1, status: 'resolved' });
    expect(stale.status).toBe(409);
    expect(stale.body.error.name).toBe('ConflictError');
    const current = await request(server).get(`/api/ops/incidents/${body.id}`);
    expect(current.body).toMatchObject({ status: 'mitigated', version: 2 });
  });

  it('hides records of entities the caller cannot read, and refuses writes outside the owning group', async () => {
    const { server, events } = await startBackend();
    const secret = await request(server)
      .post('/api/ops/incidents')
      .send({ ...newIncident, entityRef: 'component:default/secret-api' });
    expect(secret.status).toBe(201);

    const asOutsider = (req: request.Test) =>
      req.set('Authorization', mockCredentials.user.header(OUTSIDER_REF));
    const read = await asOutsider(
      request(server).get(`/api/ops/incidents/${secret.body.id}`),
    );
    expect(read.status).toBe(404);
    const listAll = await asOutsider(request(server).get('/api/ops/incidents'));
    expect(listAll.status).toBe(200);
    expect(listAll.body.items).toEqual([]);
    const listSecret = await asOutsider(
      request(server).get(
        '/api/ops/incidents?entityRef=component:default/secret-api',
      ),
    );
    expect(listSecret.status).toBe(404);

    const write = await asOutsider(
      request(server).post('/api/ops/incidents').send(newIncident),
    );
    expect(write.status).toBe(403);
    expect(write.body.error.message).toContain('ops.incident.write');
    expect(events.at(-1)).toEqual({
      eventId: 'incident-create',
      outcome: 'failed',
    });
    // the hidden record and the refused list were audited as failed reads
    expect(
      events.filter(e => e.eventId === 'incident-fetch').map(e => e.outcome),
    ).toEqual(['failed', 'succeeded', 'failed']);

    const listed = await request(server).get(
      '/api/ops/incidents?entityRef=component:default/payments-api',
    );
    expect(listed.body.items).toEqual([]);
  });
});
