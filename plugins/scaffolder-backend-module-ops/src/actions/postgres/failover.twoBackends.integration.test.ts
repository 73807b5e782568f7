import { spawnSync } from 'node:child_process';
import fs from 'node:fs/promises';
import { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { databaseServiceFactory } from '@backstage/backend-defaults/database';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
// A test-only dependency: the acceptance test needs two real ops backends;
// the action itself only talks to them over HTTP through the OpsService.
// eslint-disable-next-line @backstage/no-mixed-plugin-imports
import opsPlugin from '@opsdeck/plugin-ops-backend';
import { DefaultOpsService } from '@opsdeck/plugin-ops-node';
import {
  FAILOVER_INPUT,
  PAYMENTS_API,
  ReplicatedCluster,
} from '../../testUtils/replicatedCluster';
import { createPostgresFailoverAction } from './failover';

// Acceptance 5: two failovers of one target started at the same moment
// through two ops backend instances that share one PostgreSQL database (as
// replicas of a Backstage backend do): one runs, the other is refused by the
// database, not by memory of either instance.

jest.setTimeout(180_000);

const SCRIPT = path.resolve(
  __dirname,
  '../../../../../scripts/postgres-for-tests.sh',
);
const entity = PAYMENTS_API;

let recordsDir: string;
let cluster: ReplicatedCluster | undefined;
let workDir: string;

function recordsDatabase(command: 'start' | 'stop'): string {
  const result = spawnSync('bash', [SCRIPT, command], {
    encoding: 'utf8',
    env: {
      ...process.env,
      OPSDECK_PG_TESTS_DIR: recordsDir,
      OPSDECK_PG_TESTS_PORT: '5745',
    },
  });
  if (result.status !== 0) {
    throw new Error(`postgres-for-tests.sh ${command}: ${result.stderr}`);
  }
  return /=(postgresql:\/\/\S+)/.exec(result.stdout)?.[1] ?? '';
}

/** An ops backend instance over the shared records database, and a client of it. */
async function startOpsBackend(connection: string) {
  const { server } = await startTestBackend({
    features: [
      opsPlugin,
      mockServices.rootConfig.factory({
        data: {
          app: { baseUrl: 'http://localhost:3000' },
          backend: {
            database: { client: 'pg', connection, prefix: 'failover_2b_' },
          },
          // The lease is taken only for an entity the target is bound to.
          ops: {
            databases: {
              'payments-db': { entities: ['component:default/payments-api'] },
            },
          },
        },
      }),
      databaseServiceFactory,
      catalogServiceMock.factory({ entities: [entity] }),
    ],
  });
  const { port } = server.address() as AddressInfo;
  const opsClient = DefaultOpsService.create({
    discovery: {
      getBaseUrl: async () => `http://localhost:${port}/api/ops`,
      getExternalBaseUrl: async () => `http://localhost:${port}/api/ops`,
    },
    auth: mockServices.auth(),
  });
  return { server, opsClient };
}

afterAll(async () => {
  await cluster?.stop();
  if (recordsDir) {
    recordsDatabase('stop');
    await fs.rm(recordsDir, { recursive: true, force: true });
  }
  if (workDir) {
    await fs.rm(workDir, { recursive: true, force: true });
  }
});

it('runs one of two failovers started at once on two backend instances, and refuses the other', async () => {
  recordsDir = await fs.mkdtemp(path.join(os.tmpdir(), 'opsdeck-2b-records-'));
  workDir = await fs.mkdtemp(path.join(os.tmpdir(), 'opsdeck-2b-work-'));
  const connection = recordsDatabase('start');
  cluster = await ReplicatedCluster.start({
    ports: { from: 5700, to: 5739 },
    name: 'failover-2b',
  });
  const c = cluster;
  const config = new ConfigReader(c.targetConfig({ workDir }));
  const backends = [
    await startOpsBackend(connection),
    await startOpsBackend(connection),
  ];
  const credentials = mockCredentials.user('user:default/guest');
  const runs = backends.map(({ opsClient }, i) =>
    createPostgresFailoverAction({
      config,
      catalog: catalogServiceMock({ entities: [entity] }),
      permissions: mockServices.permissions(),
      opsClient,
    }).handler({
      ...createMockActionContext({ input: FAILOVER_INPUT }),
      task: { id: `task-on-backend-${i + 1}` },
      getInitiatorCredentials: async () => credentials,
    }),
  );

  const results = await Promise.allSettled(runs);

  const refused = results.flatMap(r =>
    r.status === 'rejected' ? [String(r.reason?.message)] : [],
  );
  expect(results.filter(r => r.status === 'fulfilled')).toHaveLength(1);
  expect(refused).toEqual([
    expect.stringMatching(
      /^Refusing to fail payments-db over: payments-db is held by a running failover drill [0-9a-f-]{36} of component:default\/payments-api, started .* \(task task-on-backend-\d\); one exclusive drill per target at a time\. Nothing was changed\.$/,
    ),
  ]);

  // Both instances see the one failover, through the shared database.
  for (const { opsClient } of backends) {
    const drills = await opsClient.listDrills(
      { entityRef: 'component:default/payments-api' },
      { credentials },
    );
    expect(drills.items.map(d => [d.kind, d.status])).toEqual([
      ['failover', 'passed'],
    ]);
    const incidents = await opsClient.listIncidents(
      { entityRef: 'component:default/payments-api' },
      { credentials },
    );
    expect(incidents.items.map(i => i.title)).toEqual([
      'Database failover of payments-db',
    ]);
  }
  // Promoted once: timeline 1 became 2.
  expect(
    await c.psql(
      c.replicas[0],
      'postgres',
      'SELECT substr(pg_walfile_name(pg_current_wal_lsn()), 1, 8)',
    ),
  ).toBe('00000002');

  for (const { server } of backends) {
    await new Promise(resolve => server.close(resolve));
  }
});
