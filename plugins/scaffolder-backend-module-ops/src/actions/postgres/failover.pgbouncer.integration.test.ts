import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import {
  atPort,
  missingInserts,
  startLedgerWriter,
} from '../../testUtils/ledgerWriter';
import {
  APP_PASSWORD,
  APP_USER,
  DATABASE,
  FAILOVER_INPUT,
  PAYMENTS_API,
  ReplicatedCluster,
} from '../../testUtils/replicatedCluster';
import { RecordingOpsClient } from '../../testUtils/RecordingOpsClient';
import { runFailoverTaskKilledAfter } from '../../__testUtils__/killedFailoverTask';
import {
  PGBOUNCER_ADMIN_PASSWORD,
  PgBouncerServer,
} from '../../__testUtils__/pgBouncer';
import { createPostgresFailoverAction } from './failover';

// SOP-02 behind a real PgBouncer 1.18 (transaction pooling) in front of a
// real PostgreSQL primary and streaming replica, all on free loopback ports.
// The writer keeps one connection to PgBouncer and never reconnects: any
// error the failover caused would be a failed write.

jest.setTimeout(120_000);

const PASSWORD_ENV = 'OPSDECK_TEST_PGBOUNCER_ADMIN_PASSWORD';

let cluster: ReplicatedCluster | undefined;
let bouncer: PgBouncerServer | undefined;
let workDir: string;

async function start() {
  cluster = await ReplicatedCluster.start({
    ports: { from: 5750, to: 5799 },
    name: 'pgbouncer-failover',
  });
  bouncer = await PgBouncerServer.start({
    routes: {
      [DATABASE]: {
        host: '127.0.0.1',
        port: cluster.primary.port,
        dbname: DATABASE,
      },
    },
    users: { [APP_USER]: APP_PASSWORD },
  });
  await fs.writeFile(
    path.join(workDir, 'payments-db.json'),
    JSON.stringify({ host: '127.0.0.1', port: cluster.primary.port }),
  );
  return { c: cluster, b: bouncer };
}

function targetConfig(c: ReplicatedCluster, b: PgBouncerServer): object {
  return c.targetConfig({
    workDir,
    objectives: { rto: '1m', rpo: '15m' },
    failover: {
      catchUpTimeout: '20s',
      repoint: {
        type: 'pgbouncer',
        admin: b.admin(PASSWORD_ENV),
        database: DATABASE,
        includeFile: b.includeFile,
      },
    },
  });
}

function createAction(
  c: ReplicatedCluster,
  b: PgBouncerServer,
  opsClient: RecordingOpsClient,
) {
  return createPostgresFailoverAction({
    config: new ConfigReader(targetConfig(c, b)),
    catalog: catalogServiceMock({ entities: [PAYMENTS_API] }),
    permissions: mockServices.permissions(),
    opsClient,
  });
}

/** One connection to PgBouncer, never reconnected: any error is a failed write. */
function startWriter(b: PgBouncerServer) {
  // Ids clear of the rows the tests insert directly.
  return startLedgerWriter(atPort(b.port), {
    reconnect: false,
    firstId: 1_000_000,
  });
}

beforeEach(async () => {
  workDir = await fs.mkdtemp(path.join(os.tmpdir(), 'opsdeck-pgbouncer-it-'));
  process.env[PASSWORD_ENV] = PGBOUNCER_ADMIN_PASSWORD;
});

afterEach(async () => {
  delete process.env[PASSWORD_ENV];
  const [c, b] = [cluster, bouncer];
  cluster = undefined;
  bouncer = undefined;
  await b?.stop();
  if (c) {
    await c.stop();
    const left = await c.runningServers();
    if (left.length > 0) {
      throw new Error(`Servers left running: ${left.join('; ')}`);
    }
  }
  await fs.rm(workDir, { recursive: true, force: true });
});

describe('ops:postgres:failover through PgBouncer', () => {
  it('repoints PgBouncer under a writer that never reconnects: a stall, 0 failed writes, every acknowledged write on the new primary', async () => {
    const { c, b } = await start();
    const includedBefore = await fs.readFile(b.includeFile, 'utf8');
    const writer = await startWriter(b);
    await writer.waitFor(200);

    // The dry run names PgBouncer in its plan and touches nothing.
    const dryRun = {
      ...createMockActionContext({ input: FAILOVER_INPUT }),
      isDryRun: true,
    };
    await createAction(c, b, new RecordingOpsClient()).handler(dryRun);
    const plan: string[] = (dryRun.output as jest.Mock).mock.calls.find(
      ([output]) => output === 'plan',
    )?.[1];
    expect(plan).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /^would hold the clients: PgBouncer 127\.0\.0\.1:\d+ database payments: PAUSE before the fence/,
        ),
        expect.stringContaining('would rewrite'),
      ]),
    );
    expect((await b.database(DATABASE)).paused).toBe(false);

    const opsClient = new RecordingOpsClient();
    const ctx = createMockActionContext({ input: FAILOVER_INPUT });

    await createAction(c, b, opsClient).handler(ctx);

    // The same connection goes on writing, now to the promoted replica.
    await writer.waitFor(200);
    const { acknowledged, failures, longestGapMs } = await writer.stop();
    const promotedPort = c.replicas[0].port;
    // eslint-disable-next-line no-console
    console.log(
      `PgBouncer failover: ${
        failures.length
      } failed writes, longest stall ${longestGapMs.toFixed(0)} ms (${
        acknowledged.length
      } writes acknowledged)`,
    );

    expect(failures).toEqual([]);
    expect(await missingInserts(promotedPort, acknowledged)).toEqual([]);
    // The last writes went to the new primary only: the old one never saw them.
    const last = acknowledged[acknowledged.length - 1];
    expect(
      await c.psql(
        c.primary,
        DATABASE,
        `SELECT count(*) FROM ledger WHERE id = ${last.id}`,
      ),
    ).toBe('0');
    expect(await b.database(DATABASE)).toEqual({
      host: '127.0.0.1',
      port: promotedPort,
      paused: false,
    });
    // Only the entry changed; the rest of the action's file is kept.
    expect(await fs.readFile(b.includeFile, 'utf8')).toBe(
      includedBefore.replace(`port=${c.primary.port}`, `port=${promotedPort}`),
    );

    expect(opsClient.lastUpdate().status).toBe('passed');
    expect(opsClient.finalSteps()).toEqual([
      ['Attempt 1', 'succeeded'],
      ['Preflight', 'succeeded'],
      ['Pause clients', 'succeeded'],
      ['Fence writers', 'succeeded'],
      ['Wait for replay', 'succeeded'],
      ['Promote', 'succeeded'],
      ['Repoint clients', 'succeeded'],
      ['Restore writers', 'succeeded'],
      ['Verify', 'succeeded'],
    ]);
    expect(opsClient.step('Pause clients')?.output).toMatch(
      /^PgBouncer 127\.0\.0\.1:\d+ database payments paused in \d+ ms/,
    );
    expect(opsClient.step('Repoint clients')?.output).toContain(
      `RELOAD: PgBouncer sends payments to 127.0.0.1:${promotedPort} (still paused)`,
    );
    expect(opsClient.step('Restore writers')?.output).toMatch(
      new RegExp(
        `accepts writes; .* resumed: clients go on to 127\\.0\\.0\\.1:${promotedPort}`,
      ),
    );
  });

  it('after a failure past the PAUSE, resumes PgBouncer with the old entry: the writer stalls and carries on on the old primary', async () => {
    const { c, b } = await start();
    const includedBefore = await fs.readFile(b.includeFile, 'utf8');
    const replica = c.replicas[0];
    const writer = await startWriter(b);
    await writer.waitFor(100);
    // Right after PgBouncer paused, the replica stops replaying and the
    // primary takes one more write (directly): the replica cannot catch up
    // with the fenced primary, so the failover must not promote.
    class ReplayStopsAfterPause extends RecordingOpsClient {
      override async appendIncidentEvent(
        ...args: Parameters<RecordingOpsClient['appendIncidentEvent']>
      ) {
        if (args[0].message.startsWith('Pause clients: succeeded')) {
          await c.psql(replica, 'postgres', 'SELECT pg_wal_replay_pause()');
          await c.psql(
            c.primary,
            DATABASE,
            'INSERT INTO ledger (id) VALUES (1)',
          );
        }
        return super.appendIncidentEvent(...args);
      }
    }
    const opsClient = new ReplayStopsAfterPause();

    await expect(
      createAction(c, b, opsClient).handler(
        createMockActionContext({ input: FAILOVER_INPUT }),
      ),
    ).rejects.toThrow(
      /^Failover of payments-db failed: Wait for replay failed: .*\(replay is paused\); not promoting/,
    );

    await writer.waitFor(100);
    const { acknowledged, failures, longestGapMs } = await writer.stop();
    // eslint-disable-next-line no-console
    console.log(
      `PgBouncer failover refused after PAUSE: ${
        failures.length
      } failed writes, longest stall ${longestGapMs.toFixed(0)} ms`,
    );

    expect(failures).toEqual([]);
    expect(opsClient.lastUpdate().status).toBe('failed');
    expect(opsClient.step('Wait for replay')).toEqual(
      expect.objectContaining({
        status: 'failed',
        output: expect.stringContaining('(replay is paused); not promoting'),
      }),
    );
    expect(opsClient.step('Restore writers')).toEqual(
      expect.objectContaining({
        status: 'succeeded',
        output: expect.stringMatching(
          new RegExp(
            `^Not promoted: .*accepts writes again.*; PgBouncer: .*resumed: clients go on to 127\\.0\\.0\\.1:${c.primary.port}$`,
          ),
        ),
      }),
    );
    expect(await b.database(DATABASE)).toEqual({
      host: '127.0.0.1',
      port: c.primary.port,
      paused: false,
    });
    expect(await fs.readFile(b.includeFile, 'utf8')).toBe(includedBefore);
    expect(
      await c.psql(replica, 'postgres', 'SELECT pg_is_in_recovery()'),
    ).toBe('t');
    // Everything acknowledged, before and after, is on the old primary.
    expect(await missingInserts(c.primary.port, acknowledged)).toEqual([]);
  });
  it('a task killed right after the PAUSE is retried: PAUSE again, promote once, RESUME on the new primary, still 0 failed writes', async () => {
    const { c, b } = await start();
    const writer = await startWriter(b);
    await writer.waitFor(100);
    const killed = await runFailoverTaskKilledAfter({
      workDir,
      config: targetConfig(c, b),
      entity: PAYMENTS_API,
      input: FAILOVER_INPUT,
      killAfterStep: 'Pause clients',
    });
    const { signal, childOutput } = killed;
    expect({ signal, childOutput }).toEqual({
      signal: 'SIGKILL',
      childOutput: expect.stringContaining('Pause clients: succeeded'),
    });
    // Killed while PgBouncer holds the clients, nothing else changed yet.
    expect(await b.database(DATABASE)).toEqual({
      host: '127.0.0.1',
      port: c.primary.port,
      paused: true,
    });

    const { calls, checkpoint } = await killed.stored();
    const opsClient = new RecordingOpsClient({ calls });
    await createAction(c, b, opsClient).handler({
      ...createMockActionContext({ input: FAILOVER_INPUT }),
      task: { id: 'killed-task' },
      checkpoint,
    });

    await writer.waitFor(100);
    const { acknowledged, failures, longestGapMs } = await writer.stop();
    // eslint-disable-next-line no-console
    console.log(
      `PgBouncer failover killed after PAUSE and retried: ${
        failures.length
      } failed writes, longest stall ${longestGapMs.toFixed(0)} ms`,
    );
    const promotedPort = c.replicas[0].port;
    expect(failures).toEqual([]);
    expect(await missingInserts(promotedPort, acknowledged)).toEqual([]);
    expect(await b.database(DATABASE)).toEqual({
      host: '127.0.0.1',
      port: promotedPort,
      paused: false,
    });
    expect(opsClient.finalSteps()).toEqual([
      ['Attempt 1', 'failed'],
      ['Preflight', 'succeeded'],
      ['Pause clients', 'succeeded'],
      ['Attempt 2', 'succeeded'],
      ['Pause clients (attempt 2)', 'succeeded'],
      ['Fence writers (attempt 2)', 'succeeded'],
      ['Wait for replay (attempt 2)', 'succeeded'],
      ['Promote (attempt 2)', 'succeeded'],
      ['Repoint clients (attempt 2)', 'succeeded'],
      ['Restore writers (attempt 2)', 'succeeded'],
      ['Verify (attempt 2)', 'succeeded'],
    ]);
    expect(opsClient.step('Promote (attempt 2)')?.output).toMatch(
      /^pg_promote\(\); 127\.0\.0\.1:\d+ is the primary on timeline 2/,
    );
    expect(opsClient.lastUpdate().status).toBe('passed');
  });
});
