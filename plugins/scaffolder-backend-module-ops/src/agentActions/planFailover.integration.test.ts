import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { actionsRegistryServiceMock } from '@backstage/backend-test-utils/alpha';
import { ConfigReader } from '@backstage/config';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { KubernetesWorkloads } from '@opsdeck/plugin-ops-node';
import {
  DATABASE,
  FAILOVER_INPUT,
  PAYMENTS_API,
  ReplicatedCluster,
} from '../testUtils/replicatedCluster';
import { registerAgentActions } from './registerAgentActions';

// plan-failover as an agent calls it (through the actions registry, with the
// caller's credentials) against real PostgreSQL 15: a primary and a streaming
// replica on loopback, on free ports from 6250 to 6299.

jest.setTimeout(120_000);

const OWNER = 'user:default/owner';
const OUTSIDER = 'user:default/outsider';

let cluster: ReplicatedCluster | undefined;
let workDir: string;

function registry(config: object) {
  const actions = actionsRegistryServiceMock();
  registerAgentActions(actions, {
    config: new ConfigReader(config),
    catalog: catalogServiceMock({ entities: [PAYMENTS_API] }),
    // The ownership rule of the real policy, reduced to its outcome.
    permissions: mockServices.permissions.mock({
      authorize: async (requests, options) =>
        requests.map(() => ({
          result:
            (options.credentials.principal as { userEntityRef?: string })
              .userEntityRef === OWNER
              ? AuthorizeResult.ALLOW
              : AuthorizeResult.DENY,
        })),
    }),
    workloads: KubernetesWorkloads.fromConfig(new ConfigReader({})),
  });
  return actions;
}

/** What a failover would change, read from the servers and the client file. */
async function stateOf(c: ReplicatedCluster) {
  return {
    replicaInRecovery: await c.psql(
      c.replicas[0],
      'postgres',
      'SELECT pg_is_in_recovery()',
    ),
    primaryReadOnly: await c.psql(
      c.primary,
      'postgres',
      'SHOW default_transaction_read_only',
    ),
    streaming: await c.psql(
      c.primary,
      'postgres',
      "SELECT count(*) FROM pg_stat_replication WHERE state = 'streaming'",
    ),
    connectionFile: await fs.readFile(
      path.join(workDir, 'payments-db.json'),
      'utf8',
    ),
  };
}

beforeEach(async () => {
  workDir = await fs.mkdtemp(path.join(os.tmpdir(), 'opsdeck-plan-failover-'));
});

afterEach(async () => {
  const stopped = cluster;
  cluster = undefined;
  if (stopped) {
    await stopped.stop();
    const left = await stopped.runningServers();
    if (left.length > 0) {
      throw new Error(`Servers left running: ${left.join('; ')}`);
    }
  }
  await fs.rm(workDir, { recursive: true, force: true });
});

describe('scaffolder.plan-failover', () => {
  it('gives the owner the preflight and the plan, and changes nothing', async () => {
    const c = (cluster = await ReplicatedCluster.start({
      ports: { from: 6250, to: 6299 },
    }));
    await fs.writeFile(
      path.join(workDir, 'payments-db.json'),
      JSON.stringify({
        host: '127.0.0.1',
        port: c.primary.port,
        database: DATABASE,
      }),
    );
    const actions = registry(
      c.targetConfig({ workDir, failover: { catchUpTimeout: '20s' } }),
    );
    const before = await stateOf(c);

    const { output } = await actions.invoke({
      id: 'test:plan-failover',
      input: FAILOVER_INPUT,
      credentials: mockCredentials.user(OWNER),
    });

    expect(output).toEqual({
      entityRef: 'component:default/payments-api',
      target: 'payments-db',
      preflightPassed: true,
      preflight: expect.arrayContaining([
        {
          name: 'WAL receiver streaming',
          passed: true,
          detail: expect.any(String),
        },
      ]),
      plan: [
        expect.stringMatching(/^preflight passed: /),
        'would record a failover drill of payments-db for component:default/payments-api and declare a SEV2 incident',
        expect.stringMatching(/^would make 127\.0\.0\.1:\d+ read-only/),
        expect.stringMatching(
          /^would wait up to 20s for 127\.0\.0\.1:\d+ to replay/,
        ),
        `would promote 127.0.0.1:${c.replicas[0].port} with pg_promote()`,
        expect.stringContaining('would rewrite'),
        expect.stringContaining(
          'would verify a write into opsdeck_failover_canary',
        ),
      ],
    });
    expect(before).toEqual({
      replicaInRecovery: 't',
      primaryReadOnly: 'off',
      streaming: '1',
      connectionFile: expect.stringContaining(`"port":${c.primary.port}`),
    });
    expect(await stateOf(c)).toEqual(before);
    // The primary still takes writes, and the replica still replays them.
    await c.psql(c.primary, DATABASE, 'INSERT INTO ledger (id) VALUES (1)');
    await c.waitForStreaming();
  });

  it('refuses a caller who may not operate on the service, before reading the target', async () => {
    // No cluster: a refused caller never reaches the database.
    const actions = registry({
      ops: {
        databases: {
          'payments-db': {
            entities: ['component:default/payments-api'],
            primary: { host: '127.0.0.1', port: 1 },
          },
        },
      },
    });
    await expect(
      actions.invoke({
        id: 'test:plan-failover',
        input: FAILOVER_INPUT,
        credentials: mockCredentials.user(OUTSIDER),
      }),
    ).rejects.toThrow(
      'You are not allowed to fail over payments-db for component:default/payments-api: ops.operation.execute on component:default/payments-api is reserved to the members of its owning group and OpsDeck admins',
    );
  });
});
