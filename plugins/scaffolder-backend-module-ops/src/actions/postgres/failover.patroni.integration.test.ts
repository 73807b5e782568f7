import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { serviceWithDatabases } from '../../testUtils/entities';
import {
  fromConnectionFile,
  missingInserts,
  startLedgerWriter,
} from '../../testUtils/ledgerWriter';
import { DATABASE } from '../../testUtils/replicatedCluster';
import { RecordingOpsClient } from '../../testUtils/RecordingOpsClient';
import { runFailoverTaskKilledAfter } from '../../__testUtils__/killedFailoverTask';
import { PatroniTestCluster } from '../../__testUtils__/patroniCluster';
import { createPostgresFailoverAction } from './failover';

// SOP-02 on a Patroni 3 cluster from Debian: one etcd and two members on
// loopback, started once for the file (about 20 s); the tests run in order
// and each leaves the cluster healthy, with whichever member leads.

jest.setTimeout(240_000);

const entity = serviceWithDatabases('orders-api', 'orders-db', 'team-orders');
const INPUT = {
  entityRef: 'component:default/orders-api',
  target: 'orders-db',
};

let cluster: PatroniTestCluster;
let workDir: string;
let stopped = false;
const connectionFile = () => path.join(workDir, 'orders-db.json');

function config(failover: Record<string, unknown> = {}) {
  return cluster.targetConfig({
    workDir,
    objectives: { rto: '1m', rpo: '15m' },
    failover: {
      connectionFile: { path: connectionFile() },
      ...failover,
    },
  });
}

function createAction(c: object, opsClient: RecordingOpsClient) {
  return createPostgresFailoverAction({
    config: new ConfigReader(c),
    catalog: catalogServiceMock({ entities: [entity] }),
    permissions: mockServices.permissions(),
    opsClient,
  });
}

async function leaderNode() {
  const name = await cluster.leader();
  return cluster.node(name!);
}

async function timelineOf(name: string): Promise<number> {
  const state = await cluster.clusterState();
  return state.members.find((m: any) => m.name === name).timeline;
}

async function writeConnectionFile(port: number) {
  await fs.writeFile(
    connectionFile(),
    JSON.stringify({ host: '127.0.0.1', port, database: DATABASE }),
  );
}

beforeAll(async () => {
  workDir = await fs.mkdtemp(path.join(os.tmpdir(), 'opsdeck-patroni-it-'));
  cluster = await PatroniTestCluster.start({
    ports: { from: 5850, to: 5949 },
  });
  await writeConnectionFile((await leaderNode()).pgPort);
});

afterAll(async () => {
  // Only when a test failed before the last one stopped the cluster.
  if (!stopped) {
    await cluster?.stop();
  }
  await fs.rm(workDir, { recursive: true, force: true });
});

describe('ops:postgres:failover against Patroni 3 + etcd', () => {
  it('in a dry run shows the Patroni plan and changes nothing', async () => {
    const leader = await leaderNode();
    const opsClient = new RecordingOpsClient();
    const ctx = createMockActionContext({
      input: { ...INPUT, dryRun: true },
    });

    await createAction(config(), opsClient).handler(ctx);

    expect(opsClient.calls).toEqual([]);
    const plan = (ctx.output as jest.Mock).mock.calls.find(
      ([name]) => name === 'plan',
    )?.[1];
    const other = cluster.nodes.find(n => n !== leader)!;
    expect(plan).toEqual([
      expect.stringMatching(
        /^preflight passed: ✓ Patroni REST API: .*✓ Patroni not paused: .*✓ replay lag \(bytes\)/,
      ),
      'would record a failover drill of orders-db for component:default/orders-api and declare a SEV2 incident',
      `would ask Patroni to switch over: POST ${leader.apiUrl}/switchover {leader: ${leader.name}, candidate: ${other.name}}`,
      `would wait up to 30s for ${other.name} (127.0.0.1:${other.pgPort}) to lead`,
      `would rewrite ${connectionFile()} to name 127.0.0.1:${other.pgPort}`,
      expect.stringMatching(
        /^would verify a write into opsdeck_failover_canary/,
      ),
      'would not call pg_promote or ALTER SYSTEM: Patroni owns promotion and fencing',
    ]);
    expect(await cluster.leader()).toBe(leader.name);
  });

  it('refuses and changes nothing when replay is paused on the replica and it lags', async () => {
    const leader = await leaderNode();
    const replica = cluster.nodes.find(n => n !== leader)!;
    // Patroni 3.0 resumes a paused replay on PostgreSQL 14+ in its next loop
    // (handle_parameter_change): keep it paused the way an operator's script
    // or a stuck replica would, for the length of the preflight.
    let holding = true;
    const hold = (async () => {
      while (holding) {
        await cluster
          .psql(replica, 'postgres', 'SELECT pg_wal_replay_pause()')
          .catch(() => {});
        await new Promise(resolve => setTimeout(resolve, 50));
      }
    })();
    try {
      await new Promise(resolve => setTimeout(resolve, 300));
      // Writes until the replica has received more than 1 KiB it has not
      // replayed: the WAL may not have arrived yet, and Patroni's loop may
      // have resumed replay between two pauses and caught up.
      for (let batch = 1; ; batch++) {
        await cluster.psql(
          leader,
          DATABASE,
          `INSERT INTO ledger (id) SELECT g FROM generate_series(${
            -2000 * batch
          }, ${-2000 * (batch - 1) - 1}) g`,
        );
        await new Promise(resolve => setTimeout(resolve, 200));
        const unreplayed = Number(
          await cluster.psql(
            replica,
            'postgres',
            'SELECT CASE WHEN pg_is_wal_replay_paused() THEN pg_wal_lsn_diff(pg_last_wal_receive_lsn(), pg_last_wal_replay_lsn()) ELSE 0 END',
          ),
        );
        if (unreplayed > 1024) break;
        if (batch === 50) {
          throw new Error('the replica never lagged by more than 1 KiB');
        }
      }
      const opsClient = new RecordingOpsClient();
      await expect(
        createAction(config({ maxReplayLagBytes: 1024 }), opsClient).handler(
          createMockActionContext({ input: INPUT }),
        ),
      ).rejects.toThrow(
        /^Refusing to fail orders-db over: .*replay not paused: WAL replay is paused .*replay lag \(bytes\): .* \(limit 1\.0 KiB\).*Nothing was changed\.$/,
      );
      expect(opsClient.calls).toEqual([]);
      expect(await cluster.leader()).toBe(leader.name);
      expect(
        await cluster.psql(replica, 'postgres', 'SELECT pg_is_in_recovery()'),
      ).toBe('t');
    } finally {
      holding = false;
      await hold;
      await cluster
        .psql(replica, 'postgres', 'SELECT pg_wal_replay_resume()')
        .catch(() => {});
    }
  });

  it('refuses while Patroni is paused (maintenance mode)', async () => {
    const leader = await leaderNode();
    await cluster.patronictl(['pause', '--wait']);
    try {
      const opsClient = new RecordingOpsClient();
      await expect(
        createAction(config(), opsClient).handler(
          createMockActionContext({ input: INPUT }),
        ),
      ).rejects.toThrow(
        /^Refusing to fail orders-db over: Patroni not paused: Patroni is paused \(maintenance mode\).*Nothing was changed\.$/,
      );
      expect(opsClient.calls).toEqual([]);
      expect(await cluster.leader()).toBe(leader.name);
    } finally {
      await cluster.patronictl(['resume', '--wait']);
    }
  });

  it('switches over under a continuous writer: every acknowledged write is on the new leader', async () => {
    const leader = await leaderNode();
    const candidate = cluster.nodes.find(n => n !== leader)!;
    const timeline = await timelineOf(leader.name);
    await writeConnectionFile(leader.pgPort);
    const writer = await startLedgerWriter(
      fromConnectionFile(connectionFile()),
    );
    await writer.waitFor(200);
    const opsClient = new RecordingOpsClient();
    const ctx = createMockActionContext({ input: INPUT });

    await createAction(config(), opsClient).handler(ctx);

    await writer.waitFor(200, candidate.pgPort);
    const { acknowledged, failures, longestGapMs } = await writer.stop();
    expect(await cluster.leader()).toBe(candidate.name);
    expect(await timelineOf(candidate.name)).toBe(timeline + 1);
    // Counted independently of the action: every id the server acknowledged is on the new leader.
    expect(await missingInserts(candidate.pgPort, acknowledged)).toEqual([]);
    expect(
      acknowledged.filter(a => a.port === leader.pgPort).length,
    ).toBeGreaterThan(200);

    expect(opsClient.finalSteps()).toEqual([
      ['Attempt 1', 'succeeded'],
      ['Preflight', 'succeeded'],
      ['Switch over (Patroni)', 'succeeded'],
      ['Repoint clients', 'succeeded'],
      ['Verify', 'succeeded'],
    ]);
    expect(opsClient.step('Switch over (Patroni)')?.output).toContain(
      `POST ${leader.apiUrl}/switchover {leader: ${leader.name}, candidate: ${candidate.name}}: Successfully switched over to "${candidate.name}"`,
    );
    const update = opsClient.lastUpdate();
    expect(update.status).toBe('passed');
    expect(update.verification).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          name: 'new primary accepts writes',
          passed: true,
        }),
        expect.objectContaining({
          name: 'old leader streams from the new one',
          passed: true,
        }),
        expect.objectContaining({
          name: 'old primary refuses writes',
          passed: true,
        }),
        expect.objectContaining({ name: 'data loss', passed: true }),
      ]),
    );
    expect(update.report).toContain('- Switched over by: Patroni');
    expect(ctx.output).toHaveBeenCalledWith('dataLossBytes', 0);
    expect(ctx.output).toHaveBeenCalledWith(
      'newPrimary',
      `127.0.0.1:${candidate.pgPort}`,
    );
    const downtime = (ctx.output as jest.Mock).mock.calls.find(
      ([name]) => name === 'writeDowntimeSeconds',
    )?.[1];
    // eslint-disable-next-line no-console
    console.log(
      `Patroni switchover under a continuous writer: write downtime ${downtime.toFixed(
        3,
      )} s as the action measured it (request to first canary write), longest gap the writer saw ${longestGapMs.toFixed(
        0,
      )} ms; ${
        acknowledged.length
      } inserts acknowledged, all on the new leader; ${
        failures.length
      } failed writes`,
    );
  });

  it('a task killed right after the switchover and retried does not switch over twice', async () => {
    const leader = await leaderNode();
    const candidate = cluster.nodes.find(n => n !== leader)!;
    const timeline = await timelineOf(leader.name);
    await writeConnectionFile(leader.pgPort);
    const c = config();
    const killed = await runFailoverTaskKilledAfter({
      workDir,
      config: c,
      entity: entity,
      input: INPUT,
      killAfterStep: 'Switch over (Patroni)',
    });
    const { signal, childOutput } = killed;
    expect({ signal, childOutput }).toEqual({
      signal: 'SIGKILL',
      childOutput: expect.stringContaining('Switch over (Patroni): succeeded'),
    });
    expect(await cluster.leader()).toBe(candidate.name);

    // The scaffolder retries the task with the checkpoints it stored.
    const { calls, checkpoint } = await killed.stored();
    const opsClient = new RecordingOpsClient({ calls });
    await createAction(c, opsClient).handler({
      ...createMockActionContext({ input: INPUT }),
      task: { id: 'killed-task' },
      checkpoint,
    });

    expect(opsClient.finalSteps()).toEqual([
      ['Attempt 1', 'failed'],
      ['Preflight', 'succeeded'],
      ['Switch over (Patroni)', 'succeeded'],
      ['Attempt 2', 'succeeded'],
      ['Switch over (Patroni) (attempt 2)', 'succeeded'],
      ['Repoint clients (attempt 2)', 'succeeded'],
      ['Verify (attempt 2)', 'succeeded'],
    ]);
    // Killed after Patroni switched over, before the checkpoint was stored:
    // the retry asks /cluster first and finds the candidate leading.
    expect(opsClient.step('Switch over (Patroni) (attempt 2)')?.output).toMatch(
      new RegExp(
        `^${candidate.name} leads already \\(switched over by an earlier attempt\\): not asked again; `,
      ),
    );
    expect(opsClient.lastUpdate().status).toBe('passed');
    // One switchover: the candidate still leads, one timeline further.
    expect(await cluster.leader()).toBe(candidate.name);
    expect(await timelineOf(candidate.name)).toBe(timeline + 1);
    expect(JSON.parse(await fs.readFile(connectionFile(), 'utf8')).port).toBe(
      candidate.pgPort,
    );
  });

  it('leaves nothing behind: no process naming its directory, no port open, no directory', async () => {
    const { root } = cluster;
    stopped = true;
    expect(await cluster.stop()).toEqual([]);
    await expect(fs.access(root)).rejects.toThrow();
  });
});
