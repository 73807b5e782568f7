import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { serviceWithDatabases } from '../../testUtils/entities';
import {
  atPort,
  missingInserts,
  startLedgerWriter,
} from '../../testUtils/ledgerWriter';
import {
  APP_PASSWORD,
  APP_USER,
  DATABASE,
} from '../../testUtils/replicatedCluster';
import { RecordingOpsClient } from '../../testUtils/RecordingOpsClient';
import { PatroniTestCluster } from '../../__testUtils__/patroniCluster';
import { PgBouncerServer } from '../../__testUtils__/pgBouncer';
import { createPostgresFailoverAction } from './failover';

// SOP-02 on Patroni 3 + etcd behind a real PgBouncer 1.18 (transaction
// pooling): `failover.ha: patroni` with `failover.repoint: pgbouncer`. The
// application keeps one connection to PgBouncer and never reconnects: an
// error the switchover caused would be a failed write; PAUSE makes it a stall.

jest.setTimeout(240_000);

const entity = serviceWithDatabases('orders-api', 'orders-db', 'team-orders');
const INPUT = {
  entityRef: 'component:default/orders-api',
  target: 'orders-db',
};

let cluster: PatroniTestCluster | undefined;
let bouncer: PgBouncerServer | undefined;
let workDir: string;

beforeAll(async () => {
  workDir = await fs.mkdtemp(path.join(os.tmpdir(), 'opsdeck-patroni-pgb-'));
  cluster = await PatroniTestCluster.start({ ports: { from: 6150, to: 6249 } });
  bouncer = await PgBouncerServer.start({
    routes: {
      [DATABASE]: {
        host: '127.0.0.1',
        port: cluster.node((await cluster.leader())!).pgPort,
        dbname: DATABASE,
      },
    },
    users: { [APP_USER]: APP_PASSWORD },
  });
});

afterAll(async () => {
  await bouncer?.stop();
  const left = await cluster?.stop();
  await fs.rm(workDir, { recursive: true, force: true });
  if (left && left.length > 0) {
    throw new Error(`Left behind: ${left.join('; ')}`);
  }
});

describe('ops:postgres:failover on Patroni through PgBouncer', () => {
  it('switches over under a writer that never reconnects: a stall, 0 failed writes, every acknowledged write on the new leader', async () => {
    const [c, b] = [cluster!, bouncer!];
    const leader = c.node((await c.leader())!);
    const candidate = c.nodes.find(n => n !== leader)!;
    const writer = await startLedgerWriter(atPort(b.port), {
      reconnect: false,
    });
    await writer.waitFor(200);
    const beforeSwitchover = writer.acknowledged.length;
    const opsClient = new RecordingOpsClient();
    const action = createPostgresFailoverAction({
      config: new ConfigReader(
        c.targetConfig({
          workDir,
          objectives: { rto: '1m', rpo: '15m' },
          failover: { repoint: b.repointConfig() },
        }),
      ),
      catalog: catalogServiceMock({ entities: [entity] }),
      permissions: mockServices.permissions(),
      opsClient,
    });

    await action.handler(createMockActionContext({ input: INPUT }));

    // The same connection goes on writing, now to the new leader.
    await writer.waitFor(200);
    const { acknowledged, failures, longestGapMs } = await writer.stop();
    // eslint-disable-next-line no-console
    console.log(
      `Patroni switchover through PgBouncer: ${
        failures.length
      } failed writes, longest stall ${longestGapMs.toFixed(0)} ms (${
        acknowledged.length
      } writes acknowledged, ${beforeSwitchover} before the switchover)`,
    );

    expect(failures).toEqual([]);
    expect(await c.leader()).toBe(candidate.name);
    // Counted on the new leader itself, not through PgBouncer.
    expect(await missingInserts(candidate.pgPort, acknowledged)).toEqual([]);
    // The last writes went to the new leader only: the old one is its replica.
    const last = acknowledged[acknowledged.length - 1];
    expect(
      await c.psql(
        candidate,
        DATABASE,
        `SELECT count(*) FROM ledger WHERE id = ${last.id}`,
      ),
    ).toBe('1');
    expect(await b.database(DATABASE)).toEqual({
      host: '127.0.0.1',
      port: candidate.pgPort,
      paused: false,
    });
    expect(opsClient.finalSteps()).toEqual([
      ['Attempt 1', 'succeeded'],
      ['Preflight', 'succeeded'],
      ['Pause clients', 'succeeded'],
      ['Switch over (Patroni)', 'succeeded'],
      ['Repoint clients', 'succeeded'],
      ['Resume clients', 'succeeded'],
      ['Verify', 'succeeded'],
    ]);
    expect(opsClient.step('Repoint clients')?.output).toContain(
      `now points at ${candidate.name}`,
    );
    expect(opsClient.lastUpdate().status).toBe('passed');
  });
});
