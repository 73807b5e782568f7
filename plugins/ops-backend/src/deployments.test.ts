import { BackstageCredentials } from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { authServiceFactory } from '@backstage/backend-defaults/auth';
import { httpAuthServiceFactory } from '@backstage/backend-defaults/httpAuth';
import request from 'supertest';
import { createBackendModule } from '@backstage/backend-plugin-api';
import { opsDeploymentHistoryExtensionPoint } from '@opsdeck/plugin-ops-node';
import {
  deployReleases,
  FakeKubernetesApiServer,
} from '@opsdeck/plugin-ops-node/testUtils';
import { DatabaseIncidentStore } from './incidents/DatabaseIncidentStore';
import { DatabaseDeploymentStore } from './deployments/DatabaseDeploymentStore';
import { opsPlugin } from './plugin';

const service = (name: string, owner: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name, namespace: 'default' },
  spec: { type: 'service', owner, lifecycle: 'production' },
  relations: [{ type: 'ownedBy', targetRef: `group:default/${owner}` }],
});
const group = (name: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Group',
  metadata: { name, namespace: 'default' },
  spec: { type: 'team', children: [] },
});

const OWNER = 'user:default/owner';
const OUTSIDER = 'user:default/outsider';
const CI = mockCredentials.service.header({
  onBehalfOf: mockCredentials.service('github-actions'),
  targetPluginId: 'ops',
});
const payments = 'component:default/payments-api';

async function startBackend(ops?: object) {
  const { server } = await startTestBackend({
    features: [
      opsPlugin,
      mockServices.rootConfig.factory({
        data: {
          app: { baseUrl: 'http://localhost:3000' },
          ops: { principals: { deployments: ['github-actions'] }, ...ops },
        },
      }),
      catalogServiceMock.factory({
        entities: [
          service('payments-api', 'team-payments'),
          service('ledger-api', 'team-payments'),
          service('orders-api', 'team-orders'),
          group('team-payments'),
          group('team-orders'),
        ],
      }),
      mockServices.permissions.mock({
        authorize: async (requests, options) =>
          requests.map(() => ({
            result:
              (
                options.credentials as BackstageCredentials<{
                  userEntityRef?: string;
                }>
              ).principal.userEntityRef === OUTSIDER
                ? AuthorizeResult.DENY
                : AuthorizeResult.ALLOW,
          })),
      }).factory,
    ],
  });
  return server;
}

const deploy = (overrides: object) => ({
  entityRef: payments,
  environment: 'production',
  version: '1.0.0',
  status: 'succeeded',
  ...overrides,
});

describe('deployments API', () => {
  it('records what CI posts with an external access token, and lists it', async () => {
    const server = await startBackend();
    const created = await request(server)
      .post('/api/ops/deployments')
      .set('Authorization', CI)
      .send(
        deploy({
          version: '1.4.2',
          commitSha: '7f9c2ba',
          commitTime: '2026-11-20T09:00:00Z',
          startedAt: '2026-11-20T10:00:00Z',
          finishedAt: '2026-11-20T10:05:00Z',
          url: 'https://ci.example.com/runs/42',
          image: 'registry.example.com/shop/payments-api:1.4.2',
        }),
      );
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      entityRef: payments,
      version: '1.4.2',
      image: 'registry.example.com/shop/payments-api:1.4.2',
      createdBy: 'github-actions',
    });

    const listed = await request(server).get(
      `/api/ops/deployments?entityRef=${payments}`,
    );
    expect(listed.status).toBe(200);
    expect(listed.body.items).toEqual([created.body]);
  });

  it('refuses an image that is no image reference, naming the field, and records nothing', async () => {
    const server = await startBackend();
    const refused = await request(server)
      .post('/api/ops/deployments')
      .set('Authorization', CI)
      .send(
        deploy({
          startedAt: '2026-11-20T10:00:00Z',
          image: 'payments-api 1.4.2; rm -rf /',
        }),
      );
    expect(refused.status).toBe(400);
    expect(refused.body.error.message).toMatch(/image/);
    const listed = await request(server).get(
      `/api/ops/deployments?entityRef=${payments}`,
    );
    expect(listed.body.items).toEqual([]);
  });

  it('lets a user record a deployment only with the operation permission', async () => {
    const server = await startBackend();
    const body = deploy({ startedAt: '2026-11-20T10:00:00Z' });
    const refused = await request(server)
      .post('/api/ops/deployments')
      .set('Authorization', mockCredentials.user.header(OUTSIDER))
      .send(body);
    expect(refused.status).toBe(403);
    const allowed = await request(server)
      .post('/api/ops/deployments')
      .set('Authorization', mockCredentials.user.header(OWNER))
      .send({ ...body, status: 'rolled-back', description: 'Rollback' });
    expect(allowed.status).toBe(201);
    expect(allowed.body.createdBy).toBe(OWNER);
    const listed = await request(server).get(
      `/api/ops/deployments?entityRef=${payments}`,
    );
    expect(listed.body.items).toHaveLength(1);
  });

  it('refuses a request without credentials', async () => {
    const server = await startBackend();
    const res = await request(server)
      .post('/api/ops/deployments')
      .set('Authorization', mockCredentials.none.header())
      .send(deploy({ startedAt: '2026-11-20T10:00:00Z' }));
    expect(res.status).toBe(401);
  });

  it('answers a window up to ops.deployments.maxWindow and refuses a wider one', async () => {
    const window = (days: number) =>
      `from=2026-01-01T00:00:00Z&to=${new Date(
        Date.parse('2026-01-01T00:00:00Z') + days * 86_400_000,
      ).toISOString()}`;
    const get = (
      server: Awaited<ReturnType<typeof startBackend>>,
      query: string,
    ) =>
      request(server)
        .get(`/api/ops/${query}`)
        .set('Authorization', mockCredentials.user.header(OWNER));

    const defaults = await startBackend();
    expect(
      (await get(defaults, `dora?entityRef=${payments}&${window(366)}`)).status,
    ).toBe(200);
    expect(
      (await get(defaults, `deployments?entityRef=${payments}&${window(366)}`))
        .status,
    ).toBe(200);

    const narrow = await startBackend({
      deployments: { maxWindow: { days: 30 } },
    });
    expect(
      (await get(narrow, `dora?entityRef=${payments}&${window(30)}`)).status,
    ).toBe(200);
    const wide = await get(narrow, `dora?entityRef=${payments}&${window(31)}`);
    expect(wide.status).toBe(400);
    expect(wide.body.error.message).toMatch(
      /at most 30 days \(ops\.deployments\.maxWindow\)/,
    );
    const list = await get(
      narrow,
      `deployments?entityRef=${payments}&${window(31)}`,
    );
    expect(list.status).toBe(400);
    expect(list.body.error.message).toMatch(/at most 30 days/);
  });

  it('computes the four keys of an entity and of its owning group', async () => {
    const server = await startBackend();
    const post = (entityRef: string, overrides: object) =>
      request(server)
        .post('/api/ops/deployments')
        .set('Authorization', CI)
        .send(deploy({ entityRef, ...overrides }));
    // payments: lead times 60 and 180 min; the second is rolled back
    const first = await post(payments, {
      commitTime: '2026-11-02T09:00:00Z',
      startedAt: '2026-11-02T10:00:00Z',
    });
    await post(payments, {
      commitTime: '2026-11-03T07:00:00Z',
      startedAt: '2026-11-03T10:00:00Z',
    });
    await post(payments, {
      startedAt: '2026-11-03T11:00:00Z',
      status: 'rolled-back',
    });
    // ledger (same team): lead time 30 min
    await post('component:default/ledger-api', {
      commitTime: '2026-11-04T09:30:00Z',
      startedAt: '2026-11-04T10:00:00Z',
    });
    // orders (another team): not in the group's figures
    await post('component:default/orders-api', {
      startedAt: '2026-11-04T10:00:00Z',
    });
    // an incident caused by payments' first deployment, restored in 90 min
    const incident = await request(server)
      .post('/api/ops/incidents')
      .set('Authorization', mockCredentials.user.header(OWNER))
      .send({
        entityRef: payments,
        title: 'Checkout fails',
        severity: 'SEV2',
        startedAt: '2026-11-02T10:30:00Z',
        detectedAt: '2026-11-02T10:35:00Z',
        deploymentId: first.body.id,
      });
    expect(incident.status).toBe(201);
    await request(server)
      .patch(`/api/ops/incidents/${incident.body.id}`)
      .set('Authorization', mockCredentials.user.header(OWNER))
      .send({
        version: 1,
        status: 'resolved',
        resolvedAt: '2026-11-02T12:00:00Z',
      });

    const window = 'from=2026-11-01T00:00:00Z&to=2026-11-07T23:59:59Z';
    const entity = await request(server).get(
      `/api/ops/dora?entityRef=${payments}&${window}`,
    );
    expect(entity.status).toBe(200);
    expect(entity.body).toMatchObject({
      entityRefs: [payments],
      deploymentFrequency: { deployments: 2, days: 7 },
      leadTimeForChanges: { samples: 2, medianMinutes: 120 },
      changeFailureRate: { deployments: 2, failures: 2, rate: 1 },
      timeToRestore: { samples: 1, medianMinutes: 90 },
    });

    const team = await request(server).get(
      `/api/ops/dora?group=team-payments&${window}`,
    );
    expect(team.status).toBe(200);
    expect(team.body.entityRefs.sort()).toEqual([
      'component:default/ledger-api',
      payments,
    ]);
    expect(team.body).toMatchObject({
      deploymentFrequency: { deployments: 3 },
      leadTimeForChanges: { samples: 3, medianMinutes: 60 },
      changeFailureRate: { failures: 2, rate: 2 / 3 },
    });
  });

  it('keeps the figures of a window only until a deployment or an incident of its entities changes', async () => {
    const server = await startBackend();
    const now = Date.now();
    const hoursAgo = (hours: number) =>
      new Date(now - hours * 3600_000).toISOString();
    const dora = async () => {
      const response = await request(server).get(
        `/api/ops/dora?group=team-payments`,
      );
      expect(response.status).toBe(200);
      return response.body;
    };
    const post = (overrides: object) =>
      request(server)
        .post('/api/ops/deployments')
        .set('Authorization', CI)
        .send(deploy(overrides));
    await post({ commitTime: hoursAgo(5), startedAt: hoursAgo(4) });

    const before = await dora();
    // A window that ends now ends at the next whole minute.
    expect(Date.parse(before.window.to) % 60_000).toBe(0);
    expect(Date.parse(before.window.to)).toBeGreaterThanOrEqual(now);
    expect(before.deploymentFrequency.deployments).toBe(1);
    expect(await dora()).toEqual(before);

    // A deployment of another team's service changes nothing here.
    await post({
      entityRef: 'component:default/orders-api',
      startedAt: hoursAgo(3),
    });
    expect(await dora()).toEqual(before);

    const second = await post({
      entityRef: 'component:default/ledger-api',
      commitTime: hoursAgo(3),
      startedAt: hoursAgo(2),
    });
    const afterDeployment = await dora();
    expect(afterDeployment.deploymentFrequency.deployments).toBe(2);
    expect(afterDeployment.changeFailureRate).toMatchObject({ failures: 0 });

    const incident = await request(server)
      .post('/api/ops/incidents')
      .set('Authorization', mockCredentials.user.header(OWNER))
      .send({
        entityRef: 'component:default/ledger-api',
        title: 'Ledger writes fail',
        severity: 'SEV2',
        detectedAt: hoursAgo(1.5),
        deploymentId: second.body.id,
      });
    expect(incident.status).toBe(201);
    const afterIncident = await dora();
    expect(afterIncident.changeFailureRate).toMatchObject({ failures: 1 });
    expect(afterIncident.timeToRestore.samples).toBe(0);

    // A change of the incident (its version) is seen at once.
    const resolved = await request(server)
      .patch(`/api/ops/incidents/${incident.body.id}`)
      .set('Authorization', mockCredentials.user.header(OWNER))
      .send({ version: 1, status: 'resolved', resolvedAt: hoursAgo(1) });
    expect(resolved.status).toBe(200);
    expect((await dora()).timeToRestore).toMatchObject({
      samples: 1,
      medianMinutes: 30,
    });
  });

  it('accepts a static external access token from backend.auth.externalAccess', async () => {
    const { server } = await startTestBackend({
      features: [
        opsPlugin,
        authServiceFactory,
        httpAuthServiceFactory,
        mockServices.rootConfig.factory({
          data: {
            app: { baseUrl: 'http://localhost:3000' },
            backend: {
              auth: {
                externalAccess: [
                  {
                    type: 'static',
                    options: {
                      token: 'ci-token-0123456789abcdef',
                      subject: 'github-actions',
                    },
                  },
                ],
              },
            },
            ops: { principals: { deployments: ['github-actions'] } },
          },
        }),
        catalogServiceMock.factory({
          entities: [service('payments-api', 'team-payments')],
        }),
      ],
    });
    const body = deploy({ startedAt: '2026-11-20T10:00:00Z' });
    const refused = await request(server)
      .post('/api/ops/deployments')
      .set('Authorization', 'Bearer not-the-token')
      .send(body);
    expect(refused.status).toBe(401);
    const created = await request(server)
      .post('/api/ops/deployments')
      .set('Authorization', 'Bearer ci-token-0123456789abcdef')
      .send(body);
    expect(created.status).toBe(201);
    expect(created.body.createdBy).toBe('github-actions');
  });

  it('serves the history of every source: Kubernetes from config, and one a module adds', async () => {
    const cluster = await FakeKubernetesApiServer.start({
      port: 6443,
      token: 'sa-token',
    });
    try {
      deployReleases(cluster, {
        name: 'payments-api',
        namespace: 'payments',
        kubernetesId: 'payments-api',
        releases: [
          { image: 'payments-api:1.0.0' },
          { image: 'payments-api:1.1.0', changeCause: 'release 1.1.0' },
        ],
      });
      const paymentsEntity = service('payments-api', 'team-payments');
      paymentsEntity.metadata.annotations = {
        'backstage.io/kubernetes-id': 'payments-api',
      };
      const { server } = await startTestBackend({
        features: [
          opsPlugin,
          createBackendModule({
            pluginId: 'ops',
            moduleId: 'test-history',
            register(env) {
              env.registerInit({
                deps: { history: opsDeploymentHistoryExtensionPoint },
                async init({ history }) {
                  history.addSources({
                    id: 'broken',
                    async getHistory() {
                      throw new Error('source unavailable');
                    },
                  });
                },
              });
            },
          }),
          mockServices.rootConfig.factory({
            data: {
              app: { baseUrl: 'http://localhost:3000' },
              kubernetes: cluster.clusterConfig(),
            },
          }),
          catalogServiceMock.factory({ entities: [paymentsEntity] }),
        ],
      });
      const res = await request(server).get(
        `/api/ops/deployments/history?entityRef=${payments}`,
      );
      expect(res.status).toBe(200);
      expect(res.body.errors).toEqual([
        { source: 'broken', message: 'source unavailable' },
      ]);
      expect(res.body.items).toHaveLength(1);
      expect(res.body.items[0]).toMatchObject({
        source: 'kubernetes',
        cluster: 'production',
        namespace: 'payments',
        name: 'payments-api',
        rollout: { state: 'complete' },
      });
      expect(
        res.body.items[0].revisions.map(
          (r: { revision: number; images: string[] }) => [
            r.revision,
            r.images[0],
          ],
        ),
      ).toEqual([
        [2, 'payments-api:1.1.0'],
        [1, 'payments-api:1.0.0'],
      ]);
    } finally {
      await cluster.stop();
    }
  });
});

describe('GET /dora reads only the incidents its window can count', () => {
  const FROM = '2026-11-01T00:00:00.000Z';
  const TO = '2026-11-07T23:59:59.000Z';

  afterEach(() => jest.restoreAllMocks());

  it('leaves out incidents resolved outside the window and caused by no deployment of it', async () => {
    const server = await startBackend();
    const post = async (path: string, body: object) => {
      const res = await request(server)
        .post(`/api/ops${path}`)
        .set('Authorization', mockCredentials.user.header(OWNER))
        .send(body);
      expect(res.status).toBe(201);
      return res.body;
    };
    const deployAt = (startedAt: string) =>
      post('/deployments', deploy({ startedAt, version: startedAt }));
    const declare = (
      title: string,
      times: { startedAt?: string; detectedAt: string },
      deploymentId?: string,
    ) =>
      post('/incidents', {
        entityRef: payments,
        title,
        severity: 'SEV2',
        ...times,
        deploymentId,
      });
    const resolve = async (id: string, resolvedAt: string) => {
      const res = await request(server)
        .patch(`/api/ops/incidents/${id}`)
        .set('Authorization', mockCredentials.user.header(OWNER))
        .send({ version: 1, status: 'resolved', resolvedAt });
      expect(res.status).toBe(200);
    };
    const resolved = async (
      title: string,
      times: { startedAt?: string; detectedAt: string; resolvedAt: string },
    ) => {
      const { resolvedAt, ...declared } = times;
      await resolve((await declare(title, declared)).id, resolvedAt);
    };

    const inWindow = await deployAt('2026-11-02T10:00:00Z');
    const earlier = await deployAt('2026-10-25T10:00:00Z');
    // Counted: restored in 60 min, resolved at the window's first instant.
    await resolved('resolved at from', {
      startedAt: '2026-10-31T23:00:00Z',
      detectedAt: '2026-10-31T23:10:00Z',
      resolvedAt: FROM,
    });
    // Counted: restored in 30 min, resolved at its last instant.
    await resolved('resolved at to', {
      detectedAt: '2026-11-07T23:29:59Z',
      resolvedAt: TO,
    });
    // Counted: detected 13 days before the window, resolved in it.
    await resolved('long, detected before the window', {
      detectedAt: '2026-10-20T00:00:00Z',
      resolvedAt: '2026-11-02T00:00:00Z',
    });
    // Counted: blames the window's deployment, found after the window.
    await declare(
      'caused by the deployment, found later',
      { detectedAt: '2026-11-20T10:00:00Z' },
      inWindow.id,
    );
    // Not counted, so not read, although the last two were detected in it.
    await resolved('resolved just before', {
      detectedAt: '2026-10-31T22:00:00Z',
      resolvedAt: '2026-10-31T23:59:59.999Z',
    });
    await resolved('resolved just after', {
      detectedAt: '2026-11-07T23:00:00Z',
      resolvedAt: '2026-11-07T23:59:59.001Z',
    });
    await declare(
      'caused by an earlier deployment, open',
      { detectedAt: '2026-11-03T00:00:00Z' },
      earlier.id,
    );

    const listAll = jest.spyOn(
      DatabaseIncidentStore.prototype,
      'listIncidents',
    );
    const read = jest.spyOn(
      DatabaseDeploymentStore.prototype,
      'readDoraWindow',
    );
    const res = await request(server).get(
      `/api/ops/dora?entityRef=${payments}&from=${FROM}&to=${TO}`,
    );
    expect(res.status).toBe(200);

    expect(listAll).not.toHaveBeenCalled();
    expect(read).toHaveBeenCalledTimes(1);
    const { incidents: readIncidents } = await read.mock.results[0].value;
    // By detection time: from, to, the long one and the one found later.
    expect(
      readIncidents
        .map((i: { detectedAt: number }) =>
          new Date(i.detectedAt).toISOString(),
        )
        .sort(),
    ).toEqual([
      '2026-10-20T00:00:00.000Z',
      '2026-10-31T23:10:00.000Z',
      '2026-11-07T23:29:59.000Z',
      '2026-11-20T10:00:00.000Z',
    ]);
    // Restore times 60, 30 and 18720 min; the one deployment failed.
    expect(res.body).toMatchObject({
      deploymentFrequency: { deployments: 1 },
      changeFailureRate: { deployments: 1, failures: 1, rate: 1 },
      timeToRestore: { samples: 3, medianMinutes: 60 },
    });
  });
});
