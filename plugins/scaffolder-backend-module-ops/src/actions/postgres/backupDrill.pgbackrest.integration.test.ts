import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { JsonObject } from '@backstage/types';
import { Client } from 'pg';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { createPostgresBackupDrillAction } from '../backupDrill';
import {
  requirePostgresPrograms,
  BIN,
  SourceCluster,
} from '../../__testUtils__/postgresTestCluster';
import { RUN_AS } from '../../testUtils/serverOwner';
import {
  expectNothingLeftOfPhysicalDrill,
  PgBackRestRepo,
  requirePgBackRest,
} from '../../__testUtils__/pgBackRestRepo';
import {
  pgBackRestTarget,
  startArchivingSource,
} from '../../__testUtils__/pgBackRestSource';
import { RecordingOpsClient } from '../../testUtils/RecordingOpsClient';
import { serviceWithDatabases } from '../../testUtils/entities';

// A real PostgreSQL source archiving its WAL into a real pgBackRest
// repository (Debian's pgbackrest), backed up with `pgbackrest backup`. The
// action drills that repository: pgbackrest restore into an empty scratch
// data directory, recovery to the backup's end or to a requested time,
// verification against the source, cleanup. The source is quiet while a
// drill runs.

const PASSWORD_ENV = 'OPSDECK_PGBR_IT_SOURCE_PASSWORD';
const STANZA = 'orders';
const LINE_ITEMS = 3_000;

jest.setTimeout(120_000);

let root: string;
let source: SourceCluster;
let repo: PgBackRestRepo;
let firstBackup: string;

const entity = serviceWithDatabases('orders-api', 'orders-db');

function createAction(options: {
  workDir: string;
  opsClient: RecordingOpsClient;
  verify?: boolean;
  rpo?: string;
  checks?: Array<{ name: string; sql: string; expect?: string }>;
  verification?: JsonObject;
}) {
  const target = pgBackRestTarget({
    source,
    repo,
    database: 'orders',
    passwordEnv: PASSWORD_ENV,
  });
  const config = new ConfigReader({
    ops: {
      databases: {
        'orders-db': {
          entities: ['component:default/orders-api'],
          ...target,
          backup: { ...target.backup, verify: options.verify ?? false },
          objectives: { rto: '10m', rpo: options.rpo ?? '15m' },
          checks: options.checks ?? [],
          ...(options.verification
            ? { verification: options.verification }
            : {}),
          samplesPerTable: 5,
          scratch: { binDir: BIN, workDir: options.workDir, runAsUser: RUN_AS },
        },
      },
    },
  });
  return createPostgresBackupDrillAction({
    config,
    catalog: catalogServiceMock({ entities: [entity] }),
    permissions: mockServices.permissions(),
    opsClient: options.opsClient,
  });
}

async function drillOf(
  name: string,
  options: Omit<
    Parameters<typeof createAction>[0],
    'workDir' | 'opsClient'
  > = {},
) {
  const opsClient = new RecordingOpsClient();
  const workDir = path.join(root, name);
  await fs.mkdir(workDir);
  await fs.chmod(workDir, 0o755);
  return {
    opsClient,
    workDir,
    action: createAction({ ...options, workDir, opsClient }),
  };
}

function drillContext(input: Record<string, unknown> = {}) {
  return createMockActionContext({
    input: {
      entityRef: 'component:default/orders-api',
      target: 'orders-db',
      ...input,
    },
  });
}

/** The restored server's port, from the recorded restore step. */
function restoredPort(opsClient: RecordingOpsClient): number | undefined {
  const output = opsClient.step('Restore')?.output ?? '';
  const port = Number(output.match(/127\.0\.0\.1:(\d+)/)?.[1]);
  return port > 0 ? port : undefined;
}

const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));

beforeAll(async () => {
  await requirePostgresPrograms(['initdb', 'pg_ctl', 'psql', 'pg_waldump']);
  await requirePgBackRest();
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'opsdeck-pgbr-it-'));
  await fs.chmod(root, 0o755);
  ({ source, repo } = await startArchivingSource({
    root,
    stanza: STANZA,
    database: 'orders',
    readerPassword: 'drill-secret',
    firstPort: Number(process.env.OPSDECK_PGBR_IT_FIRST_PORT ?? 5800),
  }));
  await source.psql('orders', [
    `--command=
    CREATE TABLE customers (id int PRIMARY KEY, name text NOT NULL);
    INSERT INTO customers SELECT g, 'customer ' || g FROM generate_series(1, 2000) g;
    CREATE TABLE line_items (id int PRIMARY KEY, customer_id int NOT NULL REFERENCES customers, amount numeric(12, 2) NOT NULL);
    INSERT INTO line_items SELECT g, 1 + g % 2000, g / 10.0 FROM generate_series(1, ${LINE_ITEMS}) g;
    CREATE TABLE events (id serial PRIMARY KEY, note text NOT NULL, at timestamptz NOT NULL DEFAULT now());
    ANALYZE;`,
  ]);
  process.env[PASSWORD_ENV] = 'drill-secret';
  firstBackup = await repo.backup('full');
});

afterAll(async () => {
  delete process.env[PASSWORD_ENV];
  if (!root) {
    return;
  }
  await source?.stop();
  await fs.rm(root, { recursive: true, force: true });
});

describe('ops:postgres:backup-drill from a pgBackRest repository', () => {
  it('drills the latest backup: verifies the repository, restores to its end, passes, leaves nothing', async () => {
    const { opsClient, workDir, action } = await drillOf('work-latest', {
      verify: true,
    });

    await action.handler(drillContext());

    expect(opsClient.finalSteps()).toEqual([
      ['Find latest backup', 'succeeded'],
      ['Verify repository', 'succeeded'],
      ['Create scratch instance', 'succeeded'],
      ['Restore', 'succeeded'],
      ['Verify', 'succeeded'],
      ['Clean up', 'succeeded'],
    ]);
    expect(opsClient.step('Find latest backup')?.output).toContain(
      `${firstBackup} (full) of stanza ${STANZA}`,
    );
    expect(opsClient.step('Verify repository')?.output).toContain(
      `backup: ${firstBackup}, status: valid`,
    );
    expect(opsClient.step('Restore')?.output).toContain('--type=immediate');
    const update = opsClient.lastUpdate();
    expect(update.status).toBe('passed');
    expect(update.rtoSeconds).toBeGreaterThan(0);
    expect(update.rpoSeconds).toBeLessThan(600);
    expect(update.verification).toEqual(
      expect.arrayContaining([
        {
          name: 'row count of public.line_items',
          passed: true,
          expected: String(LINE_ITEMS),
          actual: String(LINE_ITEMS),
        },
      ]),
    );
    expect(update.report).toContain(`Backup ${firstBackup} (full)`);
    await expectNothingLeftOfPhysicalDrill(workDir, restoredPort(opsClient));
  });

  it('plans in a dry run from the repository, creating and recording nothing', async () => {
    const { opsClient, workDir, action } = await drillOf('work-dry', {
      verify: true,
    });
    const ctx = drillContext({ dryRun: true });
    await action.handler(ctx);
    const plan = (ctx.output as jest.Mock).mock.calls.find(
      ([name]) => name === 'plan',
    )?.[1] as string[];
    expect(plan).toEqual(
      expect.arrayContaining([
        expect.stringContaining(`latest backup ${firstBackup} (full)`),
        expect.stringContaining('would check the repository first'),
        expect.stringMatching(
          /would restore it with pgbackrest .*--archive-mode=off .*--type=immediate .*restore/,
        ),
      ]),
    );
    expect(opsClient.created).toEqual([]);
    await expectNothingLeftOfPhysicalDrill(workDir, undefined);
  });

  it('restores to a point in time: the copy has the write before targetTime and not the one after', async () => {
    await source.psql('orders', {
      command: `INSERT INTO events (note) VALUES ('before the target')`,
    });
    await sleep(1000);
    const targetTime = new Date();
    await sleep(1000);
    await source.psql('orders', {
      command: `INSERT INTO events (note) VALUES ('after the target')`,
    });
    await repo.switchWalAndWaitArchived('orders');
    // The source itself goes back to the target's state, so the row counts
    // compare equal and only the checks tell the two writes apart.
    await source.psql('orders', {
      command: `DELETE FROM events WHERE note = 'after the target'`,
    });

    const { opsClient, workDir, action } = await drillOf('work-pitr', {
      checks: [
        {
          name: 'write before the target',
          sql: `SELECT count(*) FROM events WHERE note = 'before the target'`,
          expect: '1',
        },
        {
          name: 'write after the target',
          sql: `SELECT count(*) FROM events WHERE note = 'after the target'`,
          expect: '0',
        },
      ],
    });
    await action.handler(
      drillContext({ targetTime: targetTime.toISOString() }),
    );

    expect(opsClient.step('Find latest backup')?.output).toMatch(
      /recoverable until .* \(per the newest commit in archived WAL [0-9A-F]{24} \(pg_waldump\)\)/,
    );
    expect(opsClient.step('Restore')?.output).toContain(
      `to ${targetTime.toISOString()} (--type=time)`,
    );
    const update = opsClient.lastUpdate();
    expect(update.status).toBe('passed');
    expect(update.verification).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          name: 'check write before the target',
          passed: true,
          actual: '1',
        }),
        expect.objectContaining({
          name: 'check write after the target',
          passed: true,
          actual: '0',
        }),
      ]),
    );
    await expectNothingLeftOfPhysicalDrill(workDir, restoredPort(opsClient));
  });

  it('refuses, before creating anything, a repository whose newest restorable point is older than the RPO objective', async () => {
    await sleep(2100);
    const { opsClient, workDir, action } = await drillOf('work-rpo', {
      rpo: '2s',
    });
    await expect(action.handler(drillContext())).rejects.toThrow(
      /Find latest backup failed: refused before restoring: the newest restorable point is .* old .* more than the RPO objective 2s/,
    );
    expect(opsClient.finalSteps()).toEqual([
      ['Find latest backup', 'failed'],
      ['Create scratch instance', 'skipped'],
      ['Restore', 'skipped'],
      ['Verify', 'skipped'],
      ['Clean up', 'succeeded'],
    ]);
    await expectNothingLeftOfPhysicalDrill(workDir, undefined);
  });

  it('fails loudly on a corrupted repository file, blaming the backup, and creates nothing', async () => {
    const { file, repair } = await repo.corruptLargestFile(firstBackup);
    try {
      const { opsClient, workDir, action } = await drillOf('work-corrupt', {
        verify: true,
      });
      await expect(action.handler(drillContext())).rejects.toThrow(
        /Verify repository failed: pgbackrest verify of stanza orders found a damaged repository: .*checksum invalid: 1/,
      );
      expect(opsClient.finalSteps()).toEqual([
        ['Find latest backup', 'succeeded'],
        ['Verify repository', 'failed'],
        ['Create scratch instance', 'skipped'],
        ['Restore', 'skipped'],
        ['Verify', 'skipped'],
        ['Clean up', 'succeeded'],
      ]);
      expect(opsClient.lastUpdate().status).toBe('failed');
      expect(opsClient.lastUpdate().report).toContain(
        '## FAILED (backup failure): backup-restore drill of',
      );
      expect(file).toContain(firstBackup);
      await expectNothingLeftOfPhysicalDrill(workDir, undefined);
    } finally {
      await repair();
    }
  });

  it('passes while the source keeps taking writes during and after the backup, reporting the drift', async () => {
    // Each round inserts two line items, deletes one and renames a customer:
    // the live source moves on from the backup all through the drill.
    const client = new Client({
      host: source.socketDir,
      port: source.port,
      user: 'postgres',
      database: 'orders',
    });
    await client.connect();
    let stopped = false;
    let committed = 0;
    let next = 10_000_000;
    const writing = (async () => {
      while (!stopped) {
        const first = next++;
        const second = next++;
        await client.query(`BEGIN;
          INSERT INTO line_items VALUES (${first}, 1, 1.00), (${second}, 2, 2.00);
          UPDATE customers SET name = name || '.' WHERE id = ${
            1 + (committed % 2000)
          };
          DELETE FROM line_items WHERE id = ${first};
          COMMIT;`);
        committed++;
        await sleep(5);
      }
    })();
    try {
      await repo.backup('full');
      const { opsClient, workDir, action } = await drillOf('work-live');
      await action.handler(drillContext());
      const update = opsClient.lastUpdate();
      expect(update.status).toBe('passed');
      expect(JSON.stringify(update.verification)).toContain(
        'drift since the backup',
      );
      await expectNothingLeftOfPhysicalDrill(workDir, restoredPort(opsClient));
    } finally {
      stopped = true;
      await writing.catch(() => {});
      await client.end().catch(() => {});
    }
    expect(committed).toBeGreaterThan(20);
  });

  it('fails a backup that lacks a table’s rows, naming the table', async () => {
    // The events are emptied while the backup is taken, then put back as
    // they were: the source has them, all dated before the backup, and the
    // backup does not. Rows added since the backup are drift, so only rows
    // a timestamp dates before the backup can convict it
    // (verification.stableRows).
    await source.psql('orders', {
      command: `INSERT INTO events (note, at) SELECT 'event ' || g, now() - interval '1 hour' FROM generate_series(1, 500) g`,
    });
    await source.psql('orders', {
      command: `CREATE TABLE saved_events AS SELECT * FROM events; DELETE FROM events`,
    });
    await repo.backup('full');
    await source.psql('orders', {
      command: `INSERT INTO events SELECT * FROM saved_events; DROP TABLE saved_events`,
    });

    const { opsClient, workDir, action } = await drillOf('work-lacking', {
      verification: { stableRows: [{ table: 'public.events', column: 'at' }] },
    });
    await expect(action.handler(drillContext())).rejects.toThrow(
      /stable rows of public\.events/,
    );
    const update = opsClient.lastUpdate();
    expect(update.status).toBe('failed');
    expect(update.verification).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          name: 'stable rows of public.events',
          passed: false,
        }),
      ]),
    );
    await expectNothingLeftOfPhysicalDrill(workDir, restoredPort(opsClient));
  });
});
