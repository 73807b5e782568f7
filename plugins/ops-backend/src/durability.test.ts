import { databaseServiceFactory } from '@backstage/backend-defaults/database';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import request from 'supertest';
import { opsPlugin } from './plugin';

// Acknowledged records survive a restart of the backend and of PostgreSQL
// under it, and the API answers again once the database is back. The test
// restarts PostgreSQL, so it runs a cluster of its own (with
// scripts/postgres-for-tests.sh), not the one other suites share.
const SCRIPT = path.resolve(
  __dirname,
  '../../../scripts/postgres-for-tests.sh',
);
const CLUSTER_ENV = {
  ...process.env,
  OPSDECK_PG_TESTS_DIR: path.resolve(__dirname, '../../../.run/pg-durability'),
  OPSDECK_PG_TESTS_PORT: '5533',
};
let CONNECTION = '';

function cluster(command: 'start' | 'restart' | 'stop') {
  const result = spawnSync('bash', [SCRIPT, command], {
    encoding: 'utf8',
    env: CLUSTER_ENV,
  });
  if (result.status !== 0) {
    throw new Error(
      `postgres-for-tests.sh ${command} failed: ${result.stderr}`,
    );
  }
  return result.stdout;
}

const entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'payments-api', namespace: 'default' },
  spec: { type: 'service', owner: 'team-payments', lifecycle: 'production' },
};

async function startBackend(prefix: string) {
  return startTestBackend({
    features: [
      opsPlugin,
      mockServices.rootConfig.factory({
        data: {
          app: { baseUrl: 'http://localhost:3000' },
          backend: {
            database: { client: 'pg', connection: CONNECTION, prefix },
          },
        },
      }),
      databaseServiceFactory,
      catalogServiceMock.factory({ entities: [entity] }),
    ],
  });
}

async function eventually<T>(
  fn: () => Promise<T>,
  timeoutMs: number,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await fn();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise(resolve => setTimeout(resolve, 250));
    }
  }
}

describe('durability on PostgreSQL', () => {
  jest.setTimeout(120_000);

  beforeAll(() => {
    const exported = /=(postgres\S+)/.exec(cluster('start'));
    CONNECTION = exported?.[1] ?? '';
  }, 60_000);

  afterAll(() => {
    cluster('stop');
  }, 60_000);

  it('runs on a PostgreSQL of its own', () => {
    expect(CONNECTION).toMatch(/^postgres(ql)?:\/\/.*:5[5-9]\d\d\//);
  });

  it('keeps every acknowledged record across backend and PostgreSQL restarts', async () => {
    const prefix = `durability_${randomUUID().slice(0, 8)}_`;
    let backend = await startBackend(prefix);

    const acknowledged: string[] = [];
    for (let i = 0; i < 25; i++) {
      const res = await request(backend.server)
        .post('/api/ops/incidents')
        .send({
          entityRef: 'component:default/payments-api',
          title: `Incident ${i}`,
          severity: 'SEV3',
        });
      expect(res.status).toBe(201);
      acknowledged.push(res.body.id);
    }

    const listIds = async (server: typeof backend.server) => {
      const res = await request(server).get(
        '/api/ops/incidents?entityRef=component:default/payments-api&limit=500',
      );
      if (res.status !== 200) {
        throw new Error(
          `list answered ${res.status}: ${JSON.stringify(res.body)}`,
        );
      }
      return (res.body.items as Array<{ id: string }>).map(i => i.id).sort();
    };

    // The backend restarts: a new process over the same database.
    await backend.stop();
    backend = await startBackend(prefix);
    expect(await listIds(backend.server)).toEqual([...acknowledged].sort());

    // PostgreSQL restarts under the running backend.
    cluster('restart');
    const afterRestart = await eventually(
      () => listIds(backend.server),
      30_000,
    );
    expect(afterRestart).toEqual([...acknowledged].sort());

    const res = await request(backend.server).post('/api/ops/incidents').send({
      entityRef: 'component:default/payments-api',
      title: 'After the restart',
      severity: 'SEV3',
    });
    expect(res.status).toBe(201);
    await backend.stop();
  });

  it('lets exactly one of 20 concurrent PATCHes with the same version win', async () => {
    const backend = await startBackend(
      `concurrency_${randomUUID().slice(0, 8)}_`,
    );
    const created = await request(backend.server)
      .post('/api/ops/incidents')
      .send({
        entityRef: 'component:default/payments-api',
        title: 'Contended',
        severity: 'SEV2',
      });
    const responses = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        request(backend.server)
          .patch(`/api/ops/incidents/${created.body.id}`)
          .send({ version: 1, summary: `writer ${i}` }),
      ),
    );
    const statuses = responses.map(r => r.status).sort();
    expect(statuses).toEqual([200, ...Array(19).fill(409)]);

    const winner = responses.find(r => r.status === 200)!.body;
    const current = await request(backend.server).get(
      `/api/ops/incidents/${created.body.id}`,
    );
    expect(current.body).toMatchObject({ version: 2, summary: winner.summary });
    const events = await request(backend.server).get(
      `/api/ops/incidents/${created.body.id}/events`,
    );
    expect(events.body.items.map((e: { type: string }) => e.type)).toEqual([
      'created',
      'updated',
    ]);
    await backend.stop();
  });
});
