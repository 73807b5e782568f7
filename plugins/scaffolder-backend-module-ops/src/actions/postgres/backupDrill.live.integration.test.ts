import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { createPostgresBackupDrillAction } from '../backupDrill';
import { BackupManifest } from '../../postgres/backup/manifest';
import {
  BIN,
  expectNothingLeft,
  requirePostgresPrograms,
  run,
  scratchPort,
  SourceCluster,
} from '../../__testUtils__/postgresTestCluster';
import { RUN_AS } from '../../testUtils/serverOwner';
import { RecordingOpsClient } from '../../testUtils/RecordingOpsClient';
import { serviceWithDatabases } from '../../testUtils/entities';

// Acceptance 0 of issue 16: a drill must hold on a database that keeps
// changing. A writer inserts, updates and deletes rows continuously, during
// the backup and after it, while the drills run; a good backup passes (with
// the manifest OpsDeck writes, and without one) and reports the drift; a
// backup that lacks a table's rows fails, naming the table.

const PASSWORD_ENV = 'OPSDECK_LIVE_IT_SOURCE_PASSWORD';
const INVOICES = 3_000;

jest.setTimeout(120_000);

let root: string;
let source: SourceCluster;

/** Writes continuously until stopped; counts its committed transactions. */
class Writer {
  committed = 0;
  #stopped = false;
  #done: Promise<void> = Promise.resolve();
  #client?: Client;

  async start() {
    this.#client = new Client({
      host: source.socketDir,
      port: source.port,
      user: 'postgres',
      database: 'shop',
    });
    await this.#client.connect();
    const client = this.#client;
    this.#done = (async () => {
      while (!this.#stopped) {
        // Each round adds two orders, changes one, deletes one; a new invoice
        // dated now and a new audit event. Old invoices and events are never
        // touched: they are the stable rows.
        await client.query(`BEGIN;
          INSERT INTO orders (amount, note) VALUES (random() * 100, 'new'), (random() * 100, 'new');
          UPDATE orders SET amount = amount + 1, note = 'changed'
            WHERE id = (SELECT id FROM orders ORDER BY random() LIMIT 1);
          DELETE FROM orders WHERE id = (SELECT min(id) FROM orders);
          INSERT INTO billing.invoices (created_at, amount) VALUES (now(), 10);
          INSERT INTO audit.events (message) VALUES ('written');
          COMMIT;`);
        this.committed++;
        await new Promise(resolve => setTimeout(resolve, 5));
      }
    })();
  }

  async stop() {
    this.#stopped = true;
    await this.#done.catch(() => {});
    await this.#client?.end().catch(() => {});
  }
}

async function pgDump(directory: string, extra: string[] = []) {
  await fs.mkdir(directory, { recursive: true });
  const file = path.join(directory, `shop-${Date.now()}`);
  await run(path.join(BIN, 'pg_dump'), [
    '--format=directory',
    `--file=${file}`,
    `--host=${source.socketDir}`,
    `--port=${source.port}`,
    '--username=postgres',
    '--dbname=shop',
    ...extra,
  ]);
  return file;
}

const entity = serviceWithDatabases('shop-api', 'shop-db');

async function drillOf(name: string, backupDirectory: string) {
  const opsClient = new RecordingOpsClient();
  const workDir = path.join(root, `work-${name}`);
  await fs.mkdir(workDir);
  await fs.chmod(workDir, 0o755);
  const config = new ConfigReader({
    ops: {
      databases: {
        'shop-db': {
          entities: ['component:default/shop-api'],
          primary: {
            host: '127.0.0.1',
            port: source.port,
            database: 'shop',
            user: 'drill_reader',
            passwordEnv: PASSWORD_ENV,
          },
          backup: { format: 'directory', directory: backupDirectory },
          objectives: { rto: '10m', rpo: '15m' },
          checks: [{ name: 'orders', sql: 'SELECT count(*) FROM orders' }],
          samplesPerTable: 10,
          verification: {
            amcheck: true,
            stableRows: [
              { table: 'billing.invoices', column: 'created_at' },
              { table: 'audit.events', appendOnly: true },
            ],
          },
          scratch: { binDir: BIN, workDir, runAsUser: RUN_AS },
        },
      },
    },
  });
  const action = createPostgresBackupDrillAction({
    config,
    catalog: catalogServiceMock({ entities: [entity] }),
    permissions: mockServices.permissions(),
    opsClient,
  });
  const context = (input: Record<string, unknown> = {}) =>
    createMockActionContext({
      input: {
        entityRef: 'component:default/shop-api',
        target: 'shop-db',
        ...input,
      },
    });
  return { opsClient, workDir, action, context };
}

function item(opsClient: RecordingOpsClient, name: string) {
  return opsClient.lastUpdate().verification?.find(v => v.name === name);
}

beforeAll(async () => {
  await requirePostgresPrograms([
    'initdb',
    'pg_ctl',
    'pg_dump',
    'pg_restore',
    'pg_amcheck',
    'psql',
  ]);
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'opsdeck-live-drill-it-'));
  await fs.chmod(root, 0o755);
  source = await SourceCluster.start({
    root,
    firstPort: Number(process.env.OPSDECK_LIVE_IT_FIRST_PORT ?? 5700),
  });
  await source.psql('postgres', { command: 'CREATE DATABASE shop' });
  await source.psql('shop', {
    command: `
    CREATE ROLE drill_reader LOGIN PASSWORD 'drill-secret' IN ROLE pg_read_all_data;
    CREATE TABLE orders (id bigserial PRIMARY KEY, amount numeric(12, 2) NOT NULL, note text);
    CREATE INDEX orders_amount ON orders (amount);
    INSERT INTO orders (amount, note) SELECT g % 1000, 'seed' FROM generate_series(1, 20000) g;
    CREATE SCHEMA billing;
    CREATE TABLE billing.invoices (id bigserial PRIMARY KEY, created_at timestamptz NOT NULL, amount numeric NOT NULL);
    INSERT INTO billing.invoices (created_at, amount)
      SELECT timestamptz '2026-01-01 00:00:00+00' + g * interval '1 minute', g FROM generate_series(1, ${INVOICES}) g;
    CREATE SCHEMA audit;
    CREATE TABLE audit.events (id bigserial PRIMARY KEY, at timestamptz NOT NULL DEFAULT now(), message text);
    INSERT INTO audit.events (message) SELECT 'seed ' || g FROM generate_series(1, 5000) g;
    ANALYZE;`,
  });
  process.env[PASSWORD_ENV] = 'drill-secret';
});

afterAll(async () => {
  delete process.env[PASSWORD_ENV];
  await source?.stop();
  if (root) {
    await fs.rm(root, { recursive: true, force: true });
  }
});

describe('ops:postgres:backup-drill under a continuous writer', () => {
  it('passes a backup OpsDeck takes, verified exactly against its manifest, and pg_amcheck finds nothing', async () => {
    const backups = path.join(root, 'backups', 'manifest');
    await fs.mkdir(backups, { recursive: true });
    const { opsClient, workDir, action, context } = await drillOf(
      'manifest',
      backups,
    );
    const writer = new Writer();
    await writer.start();
    try {
      await new Promise(resolve => setTimeout(resolve, 300));
      await action.handler(context({ takeBackup: true }));
    } finally {
      await writer.stop();
    }
    expect(writer.committed).toBeGreaterThan(20);

    const [dump, manifestFile] = (await fs.readdir(backups)).sort();
    expect(manifestFile).toBe(`${dump}.manifest.json`);
    const manifest = JSON.parse(
      await fs.readFile(path.join(backups, manifestFile), 'utf8'),
    );
    expect(manifest).toEqual(
      expect.objectContaining({
        version: 1,
        database: 'shop',
        indexes: expect.arrayContaining(['public.orders_amount']),
        sequences: expect.arrayContaining(['public.orders_id_seq']),
      }),
    );
    const update = opsClient.lastUpdate();
    expect(update.status).toBe('passed');
    expect(opsClient.finalSteps()).toEqual([
      ['Take backup', 'succeeded'],
      ['Find latest backup', 'succeeded'],
      ['Create scratch instance', 'succeeded'],
      ['Restore', 'succeeded'],
      ['Verify', 'succeeded'],
      ['Check integrity (pg_amcheck)', 'succeeded'],
      ['Clean up', 'succeeded'],
    ]);
    expect(opsClient.step('Verify')?.output).toMatch(
      /^Against the backup's manifest, sampled rows and checks against the primary 127\.0\.0\.1:\d+: against the backup's manifest \(.*\): 3 tables, rows and checksums equal on 3/,
    );
    const orders = manifest.tables.find(
      (table: { table: string }) => table.table === 'public.orders',
    );
    expect(item(opsClient, 'rows of public.orders')).toEqual({
      name: 'rows of public.orders',
      passed: true,
      expected: `${orders.rows} rows, checksum ${orders.checksum}`,
      actual: `${orders.rows} rows, checksum ${orders.checksum}`,
    });
    expect(item(opsClient, 'pg_amcheck (heap and btree)')?.passed).toBe(true);
    // The writer ran on after the backup: the live check differs, as drift.
    expect(item(opsClient, 'check orders')).toEqual(
      expect.objectContaining({
        passed: true,
        actual: expect.stringContaining('drift since the backup'),
      }),
    );
    await expectNothingLeft(workDir, scratchPort(opsClient));
  });

  it('passes a backup without a manifest and reports the drift since it', async () => {
    const writer = new Writer();
    await writer.start();
    const { opsClient, workDir, action, context } = await drillOf(
      'no-manifest',
      path.join(root, 'backups', 'plain'),
    );
    try {
      await new Promise(resolve => setTimeout(resolve, 200));
      await pgDump(path.join(root, 'backups', 'plain'));
      const before = writer.committed;
      // Writes after the backup, then the drill while they go on.
      while (writer.committed < before + 20) {
        await new Promise(resolve => setTimeout(resolve, 20));
      }
      await action.handler(context());
    } finally {
      await writer.stop();
    }
    const update = opsClient.lastUpdate();
    expect(update.status).toBe('passed');
    expect(item(opsClient, 'row count of public.orders')).toEqual(
      expect.objectContaining({
        passed: true,
        actual: expect.stringMatching(
          /^\d+ \(drift since the backup: \+\d+ rows on the source\)$/,
        ),
      }),
    );
    expect(item(opsClient, 'row count of billing.invoices')?.actual).toMatch(
      /drift since the backup: \+\d+ rows on the source/,
    );
    expect(item(opsClient, 'stable rows of billing.invoices')).toEqual(
      expect.objectContaining({
        passed: true,
        expected: expect.stringMatching(
          new RegExp(`^${INVOICES} rows with created_at before `),
        ),
        actual: `${INVOICES} rows, equal`,
      }),
    );
    expect(item(opsClient, 'stable rows of audit.events')).toEqual(
      expect.objectContaining({
        passed: true,
        actual: expect.stringMatching(/^\d+ rows, equal$/),
      }),
    );
    expect(item(opsClient, 'indexes present')?.passed).toBe(true);
    expect(opsClient.step('Verify')?.output).toMatch(
      /^Against the primary 127\.0\.0\.1:\d+ \(the backup has no manifest: differences since the backup are drift\): 3 tables, row counts equal on 0 \(drift since the backup on 3\); stable rows equal on 2 of 2 tables/,
    );
    expect(update.report).toContain('drift since the backup');
    await expectNothingLeft(workDir, scratchPort(opsClient));
  });

  it("fails, naming the table, a backup made without a table's rows (no manifest)", async () => {
    const backups = path.join(root, 'backups', 'excluded');
    await pgDump(backups, ['--exclude-table-data=billing.invoices']);
    const { opsClient, workDir, action, context } = await drillOf(
      'excluded',
      backups,
    );
    await expect(action.handler(context())).rejects.toThrow(
      /^Backup drill of shop-db failed: stable rows of billing\.invoices \(created_at before \S+\): the restored copy has 0, the source \d+; these rows predate the backup/,
    );
    expect(opsClient.finalSteps()).toContainEqual(['Verify', 'failed']);
    expect(opsClient.finalSteps()).toContainEqual(['Clean up', 'succeeded']);
    await expectNothingLeft(workDir, scratchPort(opsClient));
  });

  it('fails, naming the table, a dump that lacks rows the manifest of opsdeck-pg-dump lists', async () => {
    const backups = path.join(root, 'backups', 'manifest-mismatch');
    await fs.mkdir(backups, { recursive: true });
    const file = path.join(backups, 'shop-broken');
    // The command teams add to their own backup jobs.
    const { stdout } = await run(
      process.execPath,
      [
        path.resolve(__dirname, '../../../bin/opsdeck-pg-dump'),
        `--host=${source.socketDir}`,
        `--port=${source.port}`,
        '--username=postgres',
        '--dbname=shop',
        `--file=${file}`,
        `--bin-dir=${BIN}`,
      ],
      { env: { ...process.env, PGPASSWORD: '' } },
    );
    expect(stdout).toContain(`${file}.manifest.json: 3 tables, `);
    const manifest: BackupManifest = JSON.parse(
      await fs.readFile(`${file}.manifest.json`, 'utf8'),
    );
    // A dump job that skipped the table's data, from the same (unchanged) state.
    await fs.rm(file, { recursive: true });
    await run(path.join(BIN, 'pg_dump'), [
      '--format=directory',
      `--file=${file}`,
      `--host=${source.socketDir}`,
      `--port=${source.port}`,
      '--username=postgres',
      '--dbname=shop',
      '--exclude-table-data=audit.events',
    ]);
    const events = manifest.tables.find(t => t.table === 'audit.events')!;
    const { opsClient, workDir, action, context } = await drillOf(
      'manifest-mismatch',
      backups,
    );
    await expect(action.handler(context())).rejects.toThrow(
      `Backup drill of shop-db failed: audit.events: the restored copy has 0 rows, the backup's manifest ${events.rows}`,
    );
    expect(opsClient.lastUpdate().status).toBe('failed');
    await expectNothingLeft(workDir, scratchPort(opsClient));
  });
});
