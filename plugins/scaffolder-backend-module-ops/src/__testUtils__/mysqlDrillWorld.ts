import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { gunzipSync, gzipSync } from 'node:zlib';
import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import type { Connection } from 'mysql2/promise';
import { createMysqlBackupDrillAction } from '../actions/backupDrill';
import { dumpArguments } from '../mysql/backup/take';
import { MysqlScratchInstance } from '../mysql/scratch/scratchInstance';
import {
  instanceOptions,
  makeWorkDir,
  MARIADB_BIN,
  MARIADB_RUN_AS,
  MARIADB_SERVER,
  startedInstance,
} from '../mysql/testUtils/mariadbTestServer';
import {
  BACKUP_PASSWORD,
  BACKUP_USER,
  DATABASE,
  seedSource,
  startWriter,
} from '../mysql/verification/testing/liveSource';
import { processesNaming, scratchPort } from './postgresTestCluster';
import { isLoopbackPortOpen } from '../postgres/scratch/network';
import { RecordingOpsClient } from '../testUtils/RecordingOpsClient';
import { serviceWithDatabases } from '../testUtils/entities';

// The MySQL drill's integration tests' world: a real MariaDB source (seeded
// with tables, a view, routines, a trigger and an event; on a free loopback
// port, as the mysql user when the tests run as root), a nightly-style
// mariadb-dump .sql.gz of it, and the ops:mysql:backup-drill action drilling
// a backup directory with scratch instances in a work directory of its own.

export const PASSWORD_ENV = 'OPSDECK_MYSQL_DRILL_IT_PASSWORD';
export const ROWS = 5_000;
const entity = serviceWithDatabases('maintenance-api', 'maintenance-db');

/** The world's state, set by startMysqlDrillWorld. */
export const world = {} as {
  root: string;
  source: MysqlScratchInstance;
  admin: Connection;
  /** The nightly dump in backups/good. */
  nightly: string;
};

export function sourceEndpoint() {
  return {
    host: '127.0.0.1',
    port: world.source.port!,
    database: DATABASE,
    user: BACKUP_USER,
  };
}

/** A nightly-style dump as cron writes it (no manifest), with extra mariadb-dump arguments. */
export async function nightlyDump(directory: string, extra: string[] = []) {
  await fs.mkdir(directory, { recursive: true });
  const args = dumpArguments(sourceEndpoint());
  const { stdout } = await promisify(execFile)(
    path.join(MARIADB_BIN, 'mariadb-dump'),
    [...args.slice(0, -1), ...extra, args[args.length - 1]],
    {
      env: { ...process.env, MYSQL_PWD: BACKUP_PASSWORD },
      maxBuffer: 1 << 30,
      encoding: 'buffer',
    },
  );
  const file = path.join(directory, 'maintenance-db-nightly.sql.gz');
  await fs.writeFile(file, gzipSync(stdout));
  return file;
}

/** A copy of the nightly dump, edited, alone in a directory of its own. */
export async function editedDump(name: string, edit: (gz: Buffer) => Buffer) {
  const directory = path.join(world.root, 'backups', name);
  await fs.mkdir(directory, { recursive: true });
  await fs.writeFile(
    path.join(directory, path.basename(world.nightly)),
    edit(await fs.readFile(world.nightly)),
  );
  return directory;
}

export const editSql = (edit: (sql: string) => string) => (gz: Buffer) =>
  gzipSync(edit(gunzipSync(gz).toString('utf8')));

export async function drillOf(
  name: string,
  options: {
    backupDirectory?: string;
    check?: boolean;
    stableRows?: boolean;
    rpoMinutes?: number;
    /** The source's port in the target's config (default: the source's). */
    port?: number;
  } = {},
) {
  const opsClient = new RecordingOpsClient();
  const workDir = path.join(world.root, `work-${name}`);
  await fs.mkdir(workDir);
  await fs.chmod(workDir, 0o755);
  const action = createMysqlBackupDrillAction({
    config: new ConfigReader({
      ops: {
        databases: {
          'maintenance-db': {
            engine: 'mysql',
            entities: ['component:default/maintenance-api'],
            primary: {
              ...sourceEndpoint(),
              port: options.port ?? world.source.port!,
              passwordEnv: PASSWORD_ENV,
            },
            backup: {
              source: 'mysqldump',
              directory:
                options.backupDirectory ??
                path.join(world.root, 'backups', 'good'),
            },
            objectives: {
              rto: '10m',
              rpo: { minutes: options.rpoMinutes ?? 60 },
            },
            checks: [
              { name: 'open tasks', sql: 'SELECT open_count()' },
              {
                name: 'no orphan notes',
                sql: 'SELECT COUNT(*) FROM notes WHERE task_id > 1000000',
                expect: '0',
              },
            ],
            samplesPerTable: 5,
            verification: {
              check: options.check ?? false,
              stableRows:
                options.stableRows === false
                  ? []
                  : [
                      { table: 'tasks', column: 'updated_at' },
                      { table: 'notes', column: 'created_at' },
                    ],
            },
            scratch: {
              binDir: MARIADB_BIN,
              server: MARIADB_SERVER,
              workDir,
              runAsUser: MARIADB_RUN_AS,
            },
          },
        },
      },
    }),
    catalog: catalogServiceMock({ entities: [entity] }),
    permissions: mockServices.permissions(),
    opsClient,
  });
  const ctx = (input: Record<string, unknown> = {}) =>
    createMockActionContext({
      input: {
        entityRef: 'component:default/maintenance-api',
        target: 'maintenance-db',
        ...input,
      },
    });
  return { opsClient, workDir, action, ctx };
}

/** No process naming the work directory, the scratch port closed, the work directory empty. */
export async function expectNothingLeft(
  workDir: string,
  opsClient: RecordingOpsClient,
) {
  expect(opsClient.step('Clean up')?.status).toBe('succeeded');
  expect(opsClient.step('Clean up')?.output).toMatch(/^Nothing left: /);
  expect(await fs.readdir(workDir)).toEqual([]);
  expect(await processesNaming(workDir)).toEqual([]);
  expect(await isLoopbackPortOpen(scratchPort(opsClient))).toBe(false);
}

/** A failure of the backup, not of the drill's own infrastructure. */
export function expectBlamesTheBackup(opsClient: RecordingOpsClient) {
  expect(opsClient.lastUpdate().report).not.toContain(
    "the drill's own infrastructure failed",
  );
}

/** Runs the drill while a writer keeps inserting, updating and deleting on the source. */
export async function whileWriting<T>(drill: () => Promise<T>): Promise<T> {
  const session = await world.source.connection();
  const writer = startWriter(session);
  try {
    return await drill();
  } finally {
    expect(await writer.stop()).toBeGreaterThan(0);
    await session.end();
  }
}

/** Starts, seeds and dumps the source; the returned function removes it all. */
export async function startMysqlDrillWorld(): Promise<() => Promise<void>> {
  world.root = await makeWorkDir();
  world.source = await startedInstance(world.root);
  world.admin = await world.source.connection();
  await seedSource(world.admin, ROWS);
  process.env[PASSWORD_ENV] = BACKUP_PASSWORD;
  world.nightly = await nightlyDump(path.join(world.root, 'backups', 'good'));
  return async () => {
    delete process.env[PASSWORD_ENV];
    await world.admin?.end();
    await world.source?.destroy();
    await MysqlScratchInstance.removeLeftovers(instanceOptions(world.root));
    await fs.rm(world.root, { recursive: true, force: true });
  };
}
