import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { createPostgresBackupDrillAction } from '../backupDrill';
import {
  BIN,
  corruptLargestDataFile,
  expectNothingLeft,
  requirePostgresPrograms,
  scratchPort,
  SourceCluster,
} from '../../__testUtils__/postgresTestCluster';
import { RUN_AS } from '../../testUtils/serverOwner';
import { RecordingOpsClient } from '../../testUtils/RecordingOpsClient';
import { serviceWithDatabases } from '../../testUtils/entities';

// Acceptance: a backup drill of a database of at least 1 GB passes, also when
// a table was truncated after the backup (drift, reported), and fails loudly
// when the backup is corrupted, leaving no scratch instance behind (process,
// port, directory).
// Takes several minutes (seeding, pg_dump and three 1 GB restores).

const GIB = 1024 ** 3;
const ROWS = Number(process.env.OPSDECK_DRILL_LARGE_ROWS ?? 6_500_000);
const FIRST_PORT = Number(process.env.OPSDECK_DRILL_LARGE_FIRST_PORT ?? 5750);
const PASSWORD_ENV = 'OPSDECK_DRILL_LARGE_SOURCE_PASSWORD';
const SEED = path.join(__dirname, '../../testUtils', 'ledgerSeed.sql');

jest.setTimeout(20 * 60_000);

let root: string;
let source: SourceCluster;
let goodBackups: string;
let databaseBytes: number;

const entity = serviceWithDatabases('ledger-api', 'ledger-db');

function createAction(options: {
  backupDirectory: string;
  workDir: string;
  opsClient: RecordingOpsClient;
}) {
  return createPostgresBackupDrillAction({
    config: new ConfigReader({
      ops: {
        databases: {
          'ledger-db': {
            entities: ['component:default/ledger-api'],
            primary: {
              host: '127.0.0.1',
              port: source.port,
              database: 'ledger',
              user: 'drill_reader',
              passwordEnv: PASSWORD_ENV,
            },
            backup: { format: 'directory', directory: options.backupDirectory },
            checks: [
              {
                name: 'balance',
                sql: 'SELECT sum(amount_cents) FROM ledger_entries',
              },
            ],
            scratch: {
              binDir: BIN,
              workDir: options.workDir,
              runAsUser: RUN_AS,
            },
          },
        },
      },
    }),
    catalog: catalogServiceMock({ entities: [entity] }),
    permissions: mockServices.permissions(),
    opsClient: options.opsClient,
  });
}

function drill(action: ReturnType<typeof createAction>) {
  return action.handler(
    createMockActionContext({
      input: { entityRef: 'component:default/ledger-api', target: 'ledger-db' },
    }),
  );
}

async function newWorkDir(name: string): Promise<string> {
  const dir = path.join(root, name);
  await fs.mkdir(dir);
  await fs.chmod(dir, 0o755);
  return dir;
}

function log(message: string) {
  // The figures of this run, for the test report.
  // eslint-disable-next-line no-console
  console.log(message);
}

beforeAll(async () => {
  await requirePostgresPrograms([
    'initdb',
    'pg_ctl',
    'pg_dump',
    'pg_restore',
    'psql',
  ]);
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'opsdeck-drill-large-'));
  await fs.chmod(root, 0o755);
  source = await SourceCluster.start({
    root,
    firstPort: FIRST_PORT,
    lastPort: FIRST_PORT + 50,
    // A bulk load as a restore job would do it; the tables stay logged.
    settings: [
      'wal_level = minimal',
      'max_wal_senders = 0',
      'max_wal_size = 4GB',
      'shared_buffers = 256MB',
      'maintenance_work_mem = 256MB',
    ],
  });
  const started = performance.now();
  await source.psql('postgres', { command: 'CREATE DATABASE ledger' });
  await source.psql('ledger', [`--set=rows=${ROWS}`, `--file=${SEED}`]);
  await source.psql('ledger', {
    command: `CREATE ROLE drill_reader LOGIN PASSWORD 'drill-secret' IN ROLE pg_read_all_data`,
  });
  databaseBytes = Number(
    await source.psql('ledger', {
      command: "SELECT pg_database_size('ledger')",
    }),
  );
  const seeded = performance.now();
  goodBackups = path.join(root, 'backups', 'good');
  await source.dump({ database: 'ledger', directory: goodBackups, jobs: 2 });
  log(
    `Seeded ${ROWS} ledger entries, ${(databaseBytes / GIB).toFixed(
      2,
    )} GiB, in ${((seeded - started) / 1000).toFixed(
      1,
    )} s; pg_dump -Fd -j 2 in ${((performance.now() - seeded) / 1000).toFixed(
      1,
    )} s`,
  );
  process.env[PASSWORD_ENV] = 'drill-secret';
});

afterAll(async () => {
  delete process.env[PASSWORD_ENV];
  await source?.stop();
  if (root) {
    await fs.rm(root, { recursive: true, force: true });
  }
});

describe('ops:postgres:backup-drill of a database of at least 1 GB', () => {
  it('passes, with every table counted and sampled and nothing left', async () => {
    expect(databaseBytes).toBeGreaterThanOrEqual(GIB);
    const opsClient = new RecordingOpsClient();
    const workDir = await newWorkDir('work-good');

    const started = performance.now();
    await drill(
      createAction({ backupDirectory: goodBackups, workDir, opsClient }),
    );
    const wallSeconds = (performance.now() - started) / 1000;

    const update = opsClient.lastUpdate();
    expect(update.status).toBe('passed');
    expect(opsClient.finalSteps()).toEqual([
      ['Find latest backup', 'succeeded'],
      ['Create scratch instance', 'succeeded'],
      ['Restore', 'succeeded'],
      ['Verify', 'succeeded'],
      ['Clean up', 'succeeded'],
    ]);
    expect(update.verification).toEqual(
      expect.arrayContaining([
        {
          name: 'row count of public.ledger_entries',
          passed: true,
          expected: String(ROWS),
          actual: String(ROWS),
        },
        expect.objectContaining({
          name: 'sampled rows of public.ledger_entries',
          passed: true,
        }),
        expect.objectContaining({ name: 'check balance', passed: true }),
      ]),
    );
    await expectNothingLeft(workDir, scratchPort(opsClient));
    log(
      `Drill of ${(databaseBytes / GIB).toFixed(
        2,
      )} GiB: wall ${wallSeconds.toFixed(1)} s, RTO ${update.rtoSeconds} s (${
        opsClient.step('Restore')?.output
      }); ${opsClient.step('Verify')?.output}`,
    );
  });

  // The drift case (a table truncated after the backup) runs on the small
  // database of backupDrill.integration.test.ts: at 1 GB it would be a third
  // full restore proving nothing the size adds.

  it('fails loudly at the restore when the backup is corrupted', async () => {
    const opsClient = new RecordingOpsClient();
    const workDir = await newWorkDir('work-corrupt');
    const corruptBackups = path.join(root, 'backups', 'corrupt');
    await fs.mkdir(corruptBackups, { recursive: true });
    // A copy of the good backup with 4 KiB overwritten in ledger_entries' data.
    const copy = path.join(corruptBackups, 'ledger-corrupt');
    await fs.cp(
      path.join(goodBackups, (await fs.readdir(goodBackups))[0]),
      copy,
      { recursive: true },
    );
    await corruptLargestDataFile(copy);

    await expect(
      drill(
        createAction({ backupDirectory: corruptBackups, workDir, opsClient }),
      ),
    ).rejects.toThrow(
      /^Backup drill of ledger-db failed: Restore failed: pg_restore exited with code 1: .*could not (read from input file|uncompress data)/,
    );
    expect(opsClient.finalSteps()).toEqual([
      ['Find latest backup', 'succeeded'],
      ['Create scratch instance', 'succeeded'],
      ['Restore', 'failed'],
      ['Verify', 'skipped'],
      ['Clean up', 'succeeded'],
    ]);
    expect(opsClient.lastUpdate().status).toBe('failed');
    await expectNothingLeft(workDir, scratchPort(opsClient));
  });
});
