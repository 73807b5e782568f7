import {
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { authServiceFactory } from '@backstage/backend-defaults/auth';
import { httpAuthServiceFactory } from '@backstage/backend-defaults/httpAuth';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import request from 'supertest';
import { opsPlugin } from './plugin';
import {
  oncallEntities,
  oncallSchedules,
} from './__testUtils__/oncallFixtures';

// Each caller gets exactly its rights: the CI token only records deployments,
// the Alertmanager token only calls the webhook, another plugin only what
// ops.principals names it for; every other route answers them 403.

/** A service principal's header, as a static external access token gives. */
const asService = (subject: string) =>
  mockCredentials.service.header({
    onBehalfOf: mockCredentials.service(subject),
    targetPluginId: 'ops',
  });
const CI = asService('ci-deployments');
const ALERTMANAGER = asService('alertmanager');
const SCAFFOLDER = asService('plugin:scaffolder');
const OPS_MODULE = asService('plugin:ops');
const OWNER = mockCredentials.user.header('user:default/alice');

const payments = 'component:default/payments-api';
const WEBHOOK = '/api/ops/alerts/alertmanager';

async function startBackend() {
  const { server } = await startTestBackend({
    features: [
      opsPlugin,
      mockServices.rootConfig.factory({
        data: {
          app: { baseUrl: 'http://localhost:3000' },
          ops: {
            oncall: { schedules: oncallSchedules },
            principals: {
              deployments: ['ci-deployments'],
              alertmanager: ['alertmanager'],
            },
          },
        },
      }),
      catalogServiceMock.factory({ entities: oncallEntities }),
    ],
  });
  return server;
}
type Server = Awaited<ReturnType<typeof startBackend>>;

const start = new Date(Date.now() + 3600_000).toISOString();
const end = new Date(Date.now() + 5 * 3600_000).toISOString();
const override = {
  entityRef: payments,
  level: 'primary',
  userRef: 'user:default/erin',
  start,
  end,
};
const deployment = {
  entityRef: payments,
  environment: 'production',
  version: '1.0.0',
  status: 'succeeded',
  startedAt: '2026-11-20T10:00:00Z',
};

function firing(service: string) {
  return {
    version: '4',
    groupKey: `{}:{service="${service}"}`,
    truncatedAlerts: 0,
    status: 'firing',
    receiver: 'opsdeck',
    groupLabels: { alertname: 'HighErrorRate' },
    commonLabels: { alertname: 'HighErrorRate' },
    commonAnnotations: {},
    externalURL: 'http://alertmanager.example.com',
    alerts: [
      {
        status: 'firing',
        labels: { alertname: 'HighErrorRate', service, severity: 'critical' },
        annotations: {},
        startsAt: '2026-11-24T10:00:00.000Z',
        endsAt: '0001-01-01T00:00:00Z',
        generatorURL: 'http://prometheus.example.com/graph',
        fingerprint: Buffer.from(service).toString('hex'),
      },
    ],
  };
}

/** Records a user made, for the routes that change one. */
async function seed(server: Server) {
  const incident = await request(server)
    .post('/api/ops/incidents')
    .set('Authorization', OWNER)
    .send({ entityRef: payments, title: 'Checkout 502', severity: 'SEV2' })
    .expect(201);
  const drill = await request(server)
    .post('/api/ops/drills')
    .set('Authorization', OWNER)
    .send({ entityRef: payments, kind: 'backup-restore', target: 'pay-db' })
    .expect(201);
  const swap = await request(server)
    .post('/api/ops/oncall/overrides')
    .set('Authorization', OWNER)
    .send(override)
    .expect(201);
  return {
    incident: incident.body.id as string,
    drill: drill.body.id as string,
    override: swap.body.id as string,
  };
}

type Ids = Awaited<ReturnType<typeof seed>>;
type Call = (server: Server, ids: Ids) => request.Test;

const routes: Record<string, Call> = {
  'POST /incidents': s =>
    request(s)
      .post('/api/ops/incidents')
      .send({ entityRef: payments, title: 'Fake', severity: 'SEV1' }),
  'PATCH /incidents/:id': (s, ids) =>
    request(s)
      .patch(`/api/ops/incidents/${ids.incident}`)
      .send({ version: 1, severity: 'SEV1' }),
  'POST /incidents/:id/events': (s, ids) =>
    request(s)
      .post(`/api/ops/incidents/${ids.incident}/events`)
      .send({ type: 'note', message: 'Fake' }),
  'GET /incidents': s =>
    request(s).get(`/api/ops/incidents?entityRef=${payments}`),
  'POST /drills': s =>
    request(s)
      .post('/api/ops/drills')
      .send({ entityRef: payments, kind: 'backup-restore', target: 'pay-db' }),
  'PATCH /drills/:id': (s, ids) =>
    request(s)
      .patch(`/api/ops/drills/${ids.drill}`)
      .send({ status: 'passed', rtoSeconds: 1, rpoSeconds: 1 }),
  'POST /oncall/overrides': s =>
    request(s).post('/api/ops/oncall/overrides').send(override),
  'DELETE /oncall/overrides/:id': (s, ids) =>
    request(s).delete(`/api/ops/oncall/overrides/${ids.override}`),
  'GET /oncall': s => request(s).get(`/api/ops/oncall?entityRef=${payments}`),
  'GET /readiness': s =>
    request(s).get(`/api/ops/readiness?entityRef=${payments}`),
  'GET /slos': s => request(s).get(`/api/ops/slos?entityRef=${payments}`),
  'GET /deployments': s =>
    request(s).get(`/api/ops/deployments?entityRef=${payments}`),
  'GET /dora': s => request(s).get(`/api/ops/dora?entityRef=${payments}`),
  'GET /metrics': s => request(s).get('/api/ops/metrics'),
  'POST /deployments': s =>
    request(s).post('/api/ops/deployments').send(deployment),
  'POST /alerts/alertmanager': s =>
    request(s).post(WEBHOOK).send(firing('payments-api')),
};

/** What a user sees on payments-api afterwards: nothing the refused calls wrote. */
async function records(server: Server) {
  const read = async (path: string) =>
    (await request(server).get(path).set('Authorization', OWNER).expect(200))
      .body.items;
  return {
    incidents: await read(`/api/ops/incidents?entityRef=${payments}`),
    drills: await read(`/api/ops/drills?entityRef=${payments}`),
    overrides: await read(`/api/ops/oncall/overrides?entityRef=${payments}`),
    deployments: await read(`/api/ops/deployments?entityRef=${payments}`),
  };
}

describe.each([
  ['the CI token', CI, 'POST /deployments'],
  ['the Alertmanager token', ALERTMANAGER, 'POST /alerts/alertmanager'],
])('%s', (_name, header, allowed) => {
  const refused = Object.keys(routes).filter(route => route !== allowed);

  it(`may call ${allowed}`, async () => {
    const server = await startBackend();
    const ids = await seed(server);
    const response = await routes[allowed](server, ids).set(
      'Authorization',
      header,
    );
    expect([200, 201]).toContain(response.status);
  });

  it.each(refused)(
    'is refused with 403 on %s, and writes nothing',
    async route => {
      const server = await startBackend();
      const ids = await seed(server);
      const before = await records(server);
      const response = await routes[route](server, ids).set(
        'Authorization',
        header,
      );
      expect(response.status).toBe(403);
      expect(response.body.error.name).toBe('NotAllowedError');
      expect(response.body.error.message).toMatch(/may not call this route/);
      expect(await records(server)).toEqual(before);
    },
  );
});

describe('services not named in ops.principals', () => {
  it('refuses an unknown service on the webhook and on POST /deployments', async () => {
    const server = await startBackend();
    const stranger = asService('external:someone-else');
    const webhook = await request(server)
      .post(WEBHOOK)
      .set('Authorization', stranger)
      .send(firing('payments-api'));
    expect(webhook.status).toBe(403);
    expect(webhook.body.error.message).toMatch(/ops\.principals\.alertmanager/);
    const deploy = await request(server)
      .post('/api/ops/deployments')
      .set('Authorization', stranger)
      .send(deployment);
    expect(deploy.status).toBe(403);
    expect(deploy.body.error.message).toMatch(/ops\.principals\.deployments/);
    expect((await records(server)).incidents).toEqual([]);
    expect((await records(server)).deployments).toEqual([]);
  });

  it('lets the scaffolder record drills (scheduled drills) but nothing else', async () => {
    const server = await startBackend();
    const drill = await request(server)
      .post('/api/ops/drills')
      .set('Authorization', SCAFFOLDER)
      .send({ entityRef: payments, kind: 'backup-restore', target: 'pay-db' });
    expect(drill.status).toBe(201);
    expect(drill.body.triggeredBy).toBe('plugin:scaffolder');
    const incident = await request(server)
      .post('/api/ops/incidents')
      .set('Authorization', SCAFFOLDER)
      .send({ entityRef: payments, title: 'Fake', severity: 'SEV1' });
    expect(incident.status).toBe(403);
  });

  it('refuses to start when a static token would pass for a plugin', async () => {
    const externalAccess = [
      { type: 'static', options: { token: 'a'.repeat(32), subject: 'ci' } },
      {
        type: 'static',
        options: { token: 'b'.repeat(32), subject: 'plugin:ops' },
      },
    ];
    await expect(
      startTestBackend({
        features: [
          opsPlugin,
          mockServices.rootConfig.factory({
            data: {
              app: { baseUrl: 'http://localhost:3000' },
              backend: { auth: { externalAccess } },
            },
          }),
          catalogServiceMock.factory({ entities: oncallEntities }),
        ],
      }),
    ).rejects.toThrow(
      "Invalid backend.auth.externalAccess[1]: the static token's subject 'plugin:ops' would pass for a backend plugin",
    );
  });

  it("lets the plugin's own modules (plugin:ops) write records", async () => {
    const server = await startBackend();
    const incident = await request(server)
      .post('/api/ops/incidents')
      .set('Authorization', OPS_MODULE)
      .send({ entityRef: payments, title: 'Example', severity: 'SEV3' });
    expect(incident.status).toBe(201);
  });
});

describe('the Alertmanager webhook', () => {
  it('opens no incident on an entity that is not a Component or Resource', async () => {
    const server = await startBackend();
    const response = await request(server)
      .post(WEBHOOK)
      .set('Authorization', ALERTMANAGER)
      .send(firing('user:default/alice'));
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ incidents: [], ignored: 1 });
    const onUser = await request(server)
      .get('/api/ops/incidents?entityRef=user:default/alice')
      .set('Authorization', OWNER);
    expect(onUser.body.items).toEqual([]);
  });
});

describe("app-config.yaml's demo tokens, with their access restrictions", () => {
  const CI_TOKEN = 'opsdeck-demo-ci-token-2026';
  const ALERTMANAGER_TOKEN = 'opsdeck-demo-alertmanager-token';

  async function startWithRealAuth() {
    // Like the real catalog client, the catalog is asked with a token made
    // on the caller's behalf, which Backstage refuses when the caller's
    // access restrictions do not allow the catalog.
    const catalog = catalogServiceMock({ entities: oncallEntities });
    const { server } = await startTestBackend({
      features: [
        opsPlugin,
        authServiceFactory,
        httpAuthServiceFactory,
        createServiceFactory({
          service: catalogServiceRef,
          deps: { auth: coreServices.auth },
          factory: ({ auth }) => {
            const delegated =
              <T extends (...args: any[]) => any>(call: T) =>
              async (...args: any[]) => {
                await auth.getPluginRequestToken({
                  onBehalfOf: args[args.length - 1].credentials,
                  targetPluginId: 'catalog',
                });
                return call.apply(catalog, args);
              };
            return {
              ...catalog,
              getEntityByRef: delegated(catalog.getEntityByRef),
              getEntitiesByRefs: delegated(catalog.getEntitiesByRefs),
              getEntities: delegated(catalog.getEntities),
            };
          },
        }),
        mockServices.rootConfig.factory({
          data: {
            app: { baseUrl: 'http://localhost:3000' },
            backend: {
              auth: {
                externalAccess: [
                  {
                    type: 'static',
                    options: {
                      token: ALERTMANAGER_TOKEN,
                      subject: 'alertmanager',
                    },
                    accessRestrictions: [
                      {
                        plugin: 'ops',
                        permissionAttribute: { action: 'read' },
                      },
                    ],
                  },
                  {
                    type: 'static',
                    options: { token: CI_TOKEN, subject: 'demo-ci' },
                    accessRestrictions: [
                      {
                        plugin: 'ops',
                        permissionAttribute: { action: 'read' },
                      },
                      { plugin: 'catalog' },
                    ],
                  },
                ],
              },
            },
            ops: {
              oncall: { schedules: oncallSchedules },
              principals: {
                deployments: ['demo-ci'],
                alertmanager: ['alertmanager'],
              },
            },
          },
        }),
      ],
    });
    return server;
  }

  it('lets CI post a deployment and Alertmanager open an incident, and nothing else', async () => {
    const server = await startWithRealAuth();
    const deployed = await request(server)
      .post('/api/ops/deployments')
      .set('Authorization', `Bearer ${CI_TOKEN}`)
      .send(deployment);
    expect(deployed.status).toBe(201);
    expect(deployed.body.createdBy).toBe('demo-ci');
    const alerted = await request(server)
      .post(WEBHOOK)
      .set('Authorization', `Bearer ${ALERTMANAGER_TOKEN}`)
      .send(firing('payments-api'));
    expect(alerted.status).toBe(200);
    expect(alerted.body.incidents).toHaveLength(1);

    for (const token of [CI_TOKEN, ALERTMANAGER_TOKEN]) {
      const declared = await request(server)
        .post('/api/ops/incidents')
        .set('Authorization', `Bearer ${token}`)
        .send({ entityRef: payments, title: 'Fake', severity: 'SEV1' });
      expect(declared.status).toBe(403);
    }
  });
});
