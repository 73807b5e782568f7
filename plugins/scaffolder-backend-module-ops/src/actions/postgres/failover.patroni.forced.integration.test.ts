import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { serviceWithDatabases } from '../../testUtils/entities';
import { DATABASE } from '../../testUtils/replicatedCluster';
import { RecordingOpsClient } from '../../testUtils/RecordingOpsClient';
import { PatroniTestCluster } from '../../__testUtils__/patroniCluster';
import { createPostgresFailoverAction } from './failover';

// The forced path of SOP-02 on Patroni 3 + etcd: the leader's host dies
// (its Patroni killed, its PostgreSQL stopped at once). Its leader lock
// stays in etcd until the lease runs out (ttl 30 s), and until then Patroni
// will not fail over by itself; a switchover needs the leader, so only
// `POST /failover` with `force` and a reason may move the leadership.

jest.setTimeout(240_000);

const entity = serviceWithDatabases('orders-api', 'orders-db', 'team-orders');
const INPUT = {
  entityRef: 'component:default/orders-api',
  target: 'orders-db',
};
const REASON = 'orders-1 host lost (drill)';

let cluster: PatroniTestCluster | undefined;
let workDir: string;

function createAction(c: PatroniTestCluster, opsClient: RecordingOpsClient) {
  return createPostgresFailoverAction({
    config: new ConfigReader(
      c.targetConfig({ workDir, objectives: { rto: '2m', rpo: '15m' } }),
    ),
    catalog: catalogServiceMock({ entities: [entity] }),
    permissions: mockServices.permissions(),
    opsClient,
  });
}

beforeAll(async () => {
  workDir = await fs.mkdtemp(path.join(os.tmpdir(), 'opsdeck-patroni-forced-'));
  cluster = await PatroniTestCluster.start({ ports: { from: 6050, to: 6149 } });
});

afterAll(async () => {
  const left = await cluster?.stop();
  await fs.rm(workDir, { recursive: true, force: true });
  if (left && left.length > 0) {
    throw new Error(`Left behind: ${left.join('; ')}`);
  }
});

describe('ops:postgres:failover with the Patroni leader unreachable', () => {
  it('refuses without force and changes nothing; with force, Patroni fails over to the candidate and the reason is recorded', async () => {
    const c = cluster!;
    const leader = c.node((await c.leader())!);
    const candidate = c.nodes.find(n => n !== leader)!;
    await c.psql(
      leader,
      DATABASE,
      'INSERT INTO ledger (id) SELECT g FROM generate_series(1, 500) g',
    );
    await c.waitForStreamingReplica(candidate.name);
    while (
      (await c.psql(candidate, DATABASE, 'SELECT count(*) FROM ledger')) !==
      '500'
    ) {
      await new Promise(resolve => setTimeout(resolve, 50));
    }

    await c.killMember(leader.name);

    // Without force: refused before anything is recorded or asked of Patroni.
    const refused = new RecordingOpsClient();
    await expect(
      createAction(c, refused).handler(
        createMockActionContext({ input: INPUT }),
      ),
    ).rejects.toThrow(
      /^Refusing to fail orders-db over: .*leader REST API: orders-\d .*only a forced failover \(POST \/failover\) is possible.*Nothing was changed\.$/,
    );
    expect(refused.calls).toEqual([]);
    expect(
      await c.psql(candidate, 'postgres', 'SELECT pg_is_in_recovery()'),
    ).toBe('t');
    const lockLeft = await c.leaderLockSecondsLeft();
    expect(lockLeft).toBeGreaterThan(0);

    // Patroni answers POST /failover once the candidate holds the lock, and
    // waits 20 s for that; the dead leader's lock must run out meanwhile, but
    // not before the request (Patroni would then fail over by itself).
    while (((await c.leaderLockSecondsLeft()) ?? 0) > 12) {
      await new Promise(resolve => setTimeout(resolve, 200));
    }
    const forced = new RecordingOpsClient();
    const ctx = createMockActionContext({
      input: { ...INPUT, force: true, reason: REASON },
    });
    // The dead host comes back once the candidate leads, as after a repair:
    // Patroni starts it as a replica of the new leader.
    const rejoined = (async () => {
      while ((await c.leader().catch(() => undefined)) !== candidate.name) {
        await new Promise(resolve => setTimeout(resolve, 200));
      }
      await c.startMember(leader.name);
    })();

    await createAction(c, forced).handler(ctx);
    await rejoined;

    expect(await c.leader()).toBe(candidate.name);
    expect(
      await c.psql(candidate, DATABASE, 'SELECT count(*) FROM ledger'),
    ).toBe('500');
    expect(forced.step('Preflight')?.output).toMatch(
      new RegExp(
        `^FAILED, forced \\(reason: ${REASON.replace(/[()]/g, '\\$&')}\\): `,
      ),
    );
    expect(forced.step('Switch over (Patroni)')?.output).toContain(
      `leader unreachable, forced (reason: ${REASON}): POST ${candidate.apiUrl}/failover {candidate: ${candidate.name}}: Successfully failed over to "${candidate.name}"`,
    );
    const update = forced.lastUpdate();
    expect(update.report).toContain(`- Forced: ${REASON}`);
    expect(forced.incidentsCreated[0].summary).toContain(`forced: ${REASON}`);
    // eslint-disable-next-line no-console
    console.log(
      `Forced Patroni failover: lock had ${lockLeft} s left after the refusal; status ${
        update.status
      }; ${forced
        .finalSteps()
        .map(([step, status]) => `${step} ${status}`)
        .join(', ')}; ${forced.step('Verify')?.output}`,
    );
    expect(update.status).toBe('passed');
    expect(ctx.output).toHaveBeenCalledWith(
      'newPrimary',
      `127.0.0.1:${candidate.pgPort}`,
    );
  });
});
