import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { createBackendModule } from '@backstage/backend-plugin-api';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { opsReadinessExtensionPoint } from '@opsdeck/plugin-ops-node';
import { resolve } from 'node:path';
import request from 'supertest';
import { opsPlugin } from './plugin';

const examples = resolve(__dirname, '../../../examples');

const fullyReady = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'payments-api',
    annotations: {
      // The runbooks check reads the SLOs' alert policies from here.
      'backstage.io/managed-by-location': `file:${examples}/payments-api/catalog-info.yaml`,
      'opsdeck.dev/openslo': './slos.yaml',
      'opsdeck.dev/runbooks':
        'HighErrorRate: runbooks/high-error-rate, HighLatency: runbooks/high-latency',
      'opsdeck.dev/oncall-schedule': 'payments-primary',
      'opsdeck.dev/grafana-panels': 'payments-overview:2,4',
      'backstage.io/kubernetes-id': 'payments-api',
      'opsdeck.dev/databases': 'payments-db',
    },
  },
  spec: { type: 'service', owner: 'team-payments', lifecycle: 'production' },
};

const partlyReady = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'orders-api',
    annotations: {
      'backstage.io/kubernetes-id': 'orders-api',
      'pagerduty.com/service-id': 'P123ABC',
      // Blank values are as good as absent.
      'opsdeck.dev/openslo': '  ',
    },
  },
  spec: { type: 'service', owner: 'team-orders', lifecycle: 'production' },
};

async function startBackend(
  ...extra: Parameters<typeof startTestBackend>[0]['features'] & {}
) {
  const { server } = await startTestBackend({
    features: [
      opsPlugin,
      mockServices.rootConfig.factory({
        data: {
          app: { baseUrl: 'http://localhost:3000' },
          ops: {
            databases: {
              'payments-db': { entities: ['component:default/payments-api'] },
            },
            oncall: {
              schedules: {
                'payments-primary': {
                  rotation: { timeZone: 'Europe/Berlin', start: '2026-01-05' },
                  layers: [
                    { level: 'primary', participants: ['user:default/owner'] },
                  ],
                },
              },
            },
          },
        },
      }),
      catalogServiceMock.factory({ entities: [fullyReady, partlyReady] }),
      ...extra,
    ],
  });
  return server;
}

describe('GET /api/ops/readiness', () => {
  it('lists every item present for a fully annotated, drilled service', async () => {
    const server = await startBackend();
    const drill = await request(server).post('/api/ops/drills').send({
      entityRef: 'component:default/payments-api',
      kind: 'backup-restore',
      target: 'payments-db',
    });
    await request(server)
      .patch(`/api/ops/drills/${drill.body.id}`)
      .send({ status: 'passed', rtoSeconds: 252, rpoSeconds: 300 })
      .expect(200);
    const res = await request(server).get(
      '/api/ops/readiness?entityRef=component:default/payments-api',
    );
    expect(res.status).toBe(200);
    expect(res.body.entityRef).toBe('component:default/payments-api');
    // Every annotation is there, but the SLO item is live: documents that
    // cannot be read (this entity has no catalog location to resolve
    // ./slos.yaml against) do not count. slos.test.ts shows it present.
    expect(res.body.present).toBe(6);
    expect(res.body.total).toBe(7);
    expect(res.body.items[0]).toMatchObject({
      id: 'slos',
      status: 'missing',
      detail: expect.stringContaining(
        'SLO documents at ./slos.yaml are not evaluating',
      ),
    });
    expect(res.body.items.map((i: { id: string }) => i.id)).toEqual([
      'slos',
      'runbooks',
      'oncall',
      'dashboards',
      'rollback',
      'databases',
      'learning',
    ]);
    expect(res.body.items[1]).toMatchObject({
      title: 'Runbooks linked',
      status: 'present',
      detail: '2 alerts mapped to TechDocs runbooks',
    });
    // Live: the schedule puts someone on call now.
    expect(res.body.items[2]).toMatchObject({
      title: 'On-call schedule',
      status: 'present',
      detail:
        'user:default/owner is on call (primary, schedule payments-primary)',
    });
  });

  it('wants a passed drill in the last quarter for database targets', async () => {
    const server = await startBackend();
    const before = await request(server).get(
      '/api/ops/readiness?entityRef=component:default/payments-api',
    );
    expect(before.body.present).toBe(5);
    expect(before.body.items[5]).toMatchObject({
      id: 'databases',
      status: 'missing',
      detail:
        'Database targets: payments-db; drill overdue: payments-db (no backup-restore drill passed in the last 91 days). Run the backup-restore drill.',
    });

    const failed = await request(server).post('/api/ops/drills').send({
      entityRef: 'component:default/payments-api',
      kind: 'backup-restore',
      target: 'payments-db',
    });
    await request(server)
      .patch(`/api/ops/drills/${failed.body.id}`)
      .send({ status: 'failed' })
      .expect(200);
    const after = await request(server).get(
      '/api/ops/readiness?entityRef=component:default/payments-api',
    );
    expect(after.body.items[5].status).toBe('missing');
  });

  it('marks what is missing with a hint and a documentation link', async () => {
    const server = await startBackend();
    const res = await request(server).get(
      '/api/ops/readiness?entityRef=component:orders-api',
    );
    expect(res.status).toBe(200);
    // learning from incidents: no incident owes a post-mortem
    expect(res.body.present).toBe(2);
    const byId = Object.fromEntries(
      res.body.items.map((i: { id: string }) => [i.id, i]),
    );
    // Without the PagerDuty module nobody answers for the annotation.
    expect(byId.oncall).toMatchObject({
      status: 'missing',
      detail: expect.stringContaining(
        'add @opsdeck/plugin-ops-backend-module-pagerduty',
      ),
    });
    expect(byId.slos).toMatchObject({
      status: 'missing',
      detail: expect.stringContaining('opsdeck.dev/openslo'),
      documentationUrl: 'http://localhost:3000/ops/annotations#openslo',
    });
  });

  it.each([
    ['no entityRef', '', 'entityRef is required'],
    ['a ref without a name', '?entityRef=component:', 'entityRef must match'],
    [
      'a ref with an empty kind',
      '?entityRef=:default/x',
      'entityRef must match',
    ],
    [
      'a repeated parameter',
      '?entityRef=a:b&entityRef=c:d',
      'entityRef must be string',
    ],
    [
      'an unknown parameter',
      '?entityRef=component:x&limit=3',
      "Unknown query parameter 'limit'",
    ],
    [
      'an oversized ref',
      `?entityRef=component:${'x'.repeat(600)}`,
      'entityRef must be at most 255 characters',
    ],
  ])('answers 400 for %s', async (_name, query, message) => {
    const server = await startBackend();
    const res = await request(server).get(`/api/ops/readiness${query}`);
    expect(res.status).toBe(400);
    expect(res.body.error.name).toBe('InputError');
    expect(res.body.error.message).toContain(message);
  });

  it('answers 404 for an entity that is not in the catalog', async () => {
    const server = await startBackend();
    const res = await request(server).get(
      '/api/ops/readiness?entityRef=component:default/unknown-api',
    );
    expect(res.status).toBe(404);
    expect(res.body.error).toMatchObject({
      name: 'NotFoundError',
      message: "No entity found for ref 'component:default/unknown-api'",
    });
  });

  it('answers 401 without credentials', async () => {
    const server = await startBackend();
    const res = await request(server)
      .get('/api/ops/readiness?entityRef=component:default/payments-api')
      .set('Authorization', mockCredentials.none.header());
    expect(res.status).toBe(401);
  });

  it('lets a module replace a built-in check and reports a failing check as missing', async () => {
    const module = createBackendModule({
      pluginId: 'ops',
      moduleId: 'test-checks',
      register(env) {
        env.registerInit({
          deps: { readiness: opsReadinessExtensionPoint },
          async init({ readiness }) {
            readiness.addChecks(
              {
                id: 'dashboards',
                title: 'Dashboards',
                documentationAnchor: 'grafana-panels',
                evaluate: async () => {
                  throw new Error('Grafana is unreachable');
                },
              },
              {
                id: 'security-scan',
                title: 'Security scan',
                documentationAnchor: 'security',
                evaluate: async () => ({
                  status: 'present',
                  detail: 'scanned',
                }),
              },
            );
          },
        });
      },
    });
    const server = await startBackend(module);
    const res = await request(server).get(
      '/api/ops/readiness?entityRef=component:default/payments-api',
    );
    expect(res.status).toBe(200);
    expect(res.body.total).toBe(8);
    // dashboards failed, databases has no drill, and the SLO documents
    // cannot be read (no catalog location)
    expect(res.body.present).toBe(5);
    expect(res.body.items[3]).toMatchObject({
      id: 'dashboards',
      status: 'missing',
      detail: 'Could not be checked: Grafana is unreachable',
    });
    expect(res.body.items[7]).toMatchObject({
      id: 'security-scan',
      status: 'present',
    });
  });
});
