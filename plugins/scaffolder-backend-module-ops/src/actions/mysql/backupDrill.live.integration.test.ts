import fs from 'node:fs/promises';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { createMysqlBackupDrillAction } from '../backupDrill';
import { processesNaming } from '../../__testUtils__/postgresTestCluster';
import { MysqlScratchInstance } from '../../mysql/scratch/scratchInstance';
import {
  instanceOptions,
  MARIADB_BIN,
  MARIADB_MISSING,
  MARIADB_RUN_AS,
  MARIADB_SERVER,
  makeWorkDir,
  startedInstance,
} from '../../mysql/testUtils/mariadbTestServer';
import { isLoopbackPortOpen } from '../../postgres/scratch/network';
import { runCommand } from '../../postgres/processes';
import { RecordingOpsClient } from '../../testUtils/RecordingOpsClient';
import { serviceWithDatabases } from '../../testUtils/entities';
import { createDrillReader } from '../../testUtils/mysql/drillReader';
import {
  MAINTENANCE_DATABASE,
  MAINTENANCE_OBJECTS,
  MAINTENANCE_STABLE_ROWS,
} from '../../testUtils/mysql/maintenanceSchema';
import { startMaintenanceWriter } from '../../testUtils/mysql/maintenanceWriter';
import { seedMaintenanceDatabase } from '../../testUtils/mysql/seed';

// Issue 17, acceptance 1: a MySQL drill holds on a database that keeps
// changing. A writer inserts, updates and deletes rows on a seeded MariaDB
// source during its dump and during the drill; the drill passes, reports
// the drift, finds every view, routine, trigger and event, and leaves no
// process, port or directory behind.
//
// ONE heavy case, at OPSDECK_MYSQL_DRILL_LIVE_MB (default 1024 MiB, the size
// acceptance 1 asks for): seeding 1043 MiB took 37.5 s and the drill under
// the writer 90.1 s on the 2-core test machine (146 s for the suite), so it
// runs once, here, in `make test`. A smaller size is a quick try while
// writing (OPSDECK_MYSQL_DRILL_LIVE_MB=128); the drill against a bare
// restore is timed by `yarn bench:drill --engine mysql` (bench/README.md).

const MIB = 1024 ** 2;
const SIZE_MB = Number(process.env.OPSDECK_MYSQL_DRILL_LIVE_MB ?? 1024);
const PASSWORD_ENV = 'OPSDECK_MYSQL_LIVE_IT_PASSWORD';
const READER = { user: 'drill_reader', password: 'drill-secret' };

jest.setTimeout(Math.max(10, SIZE_MB / 40) * 60_000);

let root: string;
let source: MysqlScratchInstance | undefined;
let seededBytes = 0;

const entity = serviceWithDatabases('maintenance-api', 'maintenance-db');

function log(message: string) {
  // The figures of this run, for the test report.
  // eslint-disable-next-line no-console
  console.log(message);
}

function createAction(options: {
  backupDirectory: string;
  workDir: string;
  opsClient: RecordingOpsClient;
}) {
  return createMysqlBackupDrillAction({
    config: new ConfigReader({
      ops: {
        databases: {
          'maintenance-db': {
            engine: 'mysql',
            entities: ['component:default/maintenance-api'],
            primary: {
              host: '127.0.0.1',
              port: source!.port,
              database: MAINTENANCE_DATABASE,
              user: READER.user,
              passwordEnv: PASSWORD_ENV,
            },
            backup: {
              source: 'mysqldump',
              directory: options.backupDirectory,
            },
            objectives: { rto: '30m', rpo: '1h' },
            checks: [
              {
                name: 'open work orders',
                sql: "SELECT COUNT(*) FROM open_work_orders WHERE status = 'open'",
              },
            ],
            verification: {
              check: true,
              stableRows: [MAINTENANCE_STABLE_ROWS],
            },
            scratch: {
              binDir: MARIADB_BIN,
              server: MARIADB_SERVER,
              workDir: options.workDir,
              runAsUser: MARIADB_RUN_AS,
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

/** A team's nightly job: mariadb-dump of the live source as the reader. */
async function dumpSource(directory: string): Promise<string> {
  await fs.mkdir(directory, { recursive: true });
  const file = path.join(directory, `maintenance-${Date.now()}.sql`);
  await runCommand(
    {
      file: path.join(MARIADB_BIN, 'mariadb-dump'),
      args: [
        '--no-defaults',
        '--host=127.0.0.1',
        `--port=${source!.port}`,
        `--user=${READER.user}`,
        '--single-transaction',
        '--routines',
        '--triggers',
        '--events',
        `--result-file=${file}`,
        MAINTENANCE_DATABASE,
      ],
    },
    // The password from the environment, never on the command line.
    { env: { ...process.env, TZ: 'UTC', MYSQL_PWD: READER.password } },
  );
  return file;
}

/** The drill's scratch port, from its recorded instance step. */
function scratchPort(opsClient: RecordingOpsClient): number {
  const output = opsClient.step('Create scratch instance')?.output ?? '';
  return Number(output.match(/127\.0\.0\.1:(\d+)/)?.[1]);
}

const describeWithMariadb = MARIADB_MISSING ? describe.skip : describe;

describeWithMariadb(
  `ops:mysql:backup-drill under a continuous writer${MARIADB_MISSING ?? ''}`,
  () => {
    beforeAll(async () => {
      root = await makeWorkDir();
      source = await startedInstance(root, {
        prefix: 'opsdeck-my-live-source-',
      });
      const seed = await seedMaintenanceDatabase({
        connect: database => source!.connection(database),
        sizeMb: SIZE_MB,
      });
      seededBytes = seed.bytes;
      const admin = await source.connection();
      try {
        await createDrillReader(admin, READER);
      } finally {
        await admin.end();
      }
      process.env[PASSWORD_ENV] = READER.password;
      log(
        `Seeded ${seed.database}: ${(seed.bytes / MIB).toFixed(0)} MiB in ${(
          seed.ms / 1000
        ).toFixed(1)} s (${Object.entries(seed.rows)
          .map(([table, rows]) => `${table} ${rows}`)
          .join(', ')} rows)`,
      );
    });

    afterAll(async () => {
      delete process.env[PASSWORD_ENV];
      const proof = await source?.destroy();
      if (root) {
        await MysqlScratchInstance.removeLeftovers(instanceOptions(root));
        await fs.rm(root, { recursive: true, force: true });
      }
      // The source server is the test's own: it must leave nothing either.
      if (proof && !proof.clean) {
        throw new Error(`The source server left: ${proof.summary}`);
      }
    });

    it('passes a dump taken while writing, drilled while writing, reporting the drift, and leaves nothing', async () => {
      expect(seededBytes).toBeGreaterThanOrEqual(SIZE_MB * MIB);
      const backups = path.join(root, 'backups');
      const workDir = path.join(root, 'work');
      await fs.mkdir(workDir, { mode: 0o755 });
      const opsClient = new RecordingOpsClient();
      const writer = await startMaintenanceWriter(database =>
        source!.connection(database),
      );
      let wallSeconds = 0;
      let result;
      try {
        await writer.waitForTransactions(20);
        await dumpSource(backups);
        // Writes after the dump, then the drill while they go on.
        await writer.waitForTransactions(20);
        const started = performance.now();
        await createAction({
          backupDirectory: backups,
          workDir,
          opsClient,
        }).handler(
          createMockActionContext({
            input: {
              entityRef: 'component:default/maintenance-api',
              target: 'maintenance-db',
            },
          }),
        );
        wallSeconds = (performance.now() - started) / 1000;
        await writer.waitForTransactions(1);
      } finally {
        result = await writer.stop();
      }
      // The drill never got in the application's way.
      expect(result.failures).toEqual([]);
      expect(result.counts.transactions).toBeGreaterThan(40);

      const update = opsClient.lastUpdate();
      expect(update.status).toBe('passed');
      expect(opsClient.finalSteps()).toEqual([
        ['Find latest backup', 'succeeded'],
        ['Create scratch instance', 'succeeded'],
        ['Restore', 'succeeded'],
        ['Verify', 'succeeded'],
        ['Clean up', 'succeeded'],
      ]);
      const verification = update.verification ?? [];
      expect(verification.filter(v => !v.passed)).toEqual([]);
      const item = (pattern: RegExp) =>
        verification.find(v => pattern.test(v.name));
      // Every view, routine, trigger and event of the source came back.
      for (const kind of ['views', 'routines', 'triggers', 'events'] as const) {
        expect(item(new RegExp(`^${kind} present$`))).toEqual(
          expect.objectContaining({
            passed: true,
            actual: expect.stringMatching(
              new RegExp(`^${MAINTENANCE_OBJECTS[kind].length} present: `),
            ),
          }),
        );
        // Named too, as the report shows them (routines as 'function name').
        for (const name of MAINTENANCE_OBJECTS[kind]) {
          expect(item(new RegExp(`^${kind} present$`))?.actual).toContain(name);
        }
      }
      for (const table of MAINTENANCE_OBJECTS.tables) {
        expect(item(new RegExp(`^row count of (\\S+\\.)?${table}$`))).toEqual(
          expect.objectContaining({ passed: true }),
        );
      }
      // The writer changed work_orders after the dump: drift, not a failure.
      expect(item(/^row count of (\S+\.)?work_orders$/)?.actual).toMatch(
        /drift since the backup/,
      );
      // mariadb-check of every restored table, within the verification.
      expect(item(/^mariadb-check/)).toEqual(
        expect.objectContaining({ passed: true }),
      );
      // The log rows dated before the dump are all there, unchanged.
      expect(
        item(
          new RegExp(
            `^stable rows of (\\S+\\.)?${MAINTENANCE_STABLE_ROWS.table}$`,
          ),
        ),
      ).toEqual(expect.objectContaining({ passed: true }));
      expect(update.report).toContain('drift since the backup');

      // Nothing left: no scratch directory, process or port.
      expect(await fs.readdir(workDir)).toEqual([]);
      expect(await processesNaming(workDir)).toEqual([]);
      const port = scratchPort(opsClient);
      expect(port).toBeGreaterThan(0);
      expect(await isLoopbackPortOpen(port)).toBe(false);
      log(
        `Drill of ${(seededBytes / MIB).toFixed(
          0,
        )} MiB while writing: wall ${wallSeconds.toFixed(1)} s, RTO ${
          update.rtoSeconds
        } s; the writer committed ${result.counts.transactions} transactions (${
          result.counts.inserted
        } inserted, ${result.counts.updated} updated, ${
          result.counts.deleted
        } deleted rows); ${opsClient.step('Verify')?.output}`,
      );
    });
  },
);
