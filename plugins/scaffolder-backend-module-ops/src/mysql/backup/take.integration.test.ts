import fs from 'node:fs/promises';
import path from 'node:path';
import type { Connection } from 'mysql2/promise';
import { runOpsdeckMysqlDump } from '../../cli/opsdeckMysqlDump';
import { MysqlScratchInstance } from '../scratch/scratchInstance';
import {
  instanceOptions,
  makeWorkDir,
  MARIADB_BIN,
  MARIADB_MISSING,
  startedInstance,
} from '../testUtils/mariadbTestServer';
import {
  BACKUP_PASSWORD,
  BACKUP_USER,
  DATABASE,
  seedSource,
} from '../verification/testing/liveSource';
import { readMysqlManifestOf } from './manifest';
import { dumpMysqlWithManifest } from './take';

// Taking dumps from a real MariaDB server: what the backup directory holds
// after a success, a refusal and a cancellation.

jest.setTimeout(180_000);

let workDir: string;
let backups: string;
let source: MysqlScratchInstance;
let admin: Connection;

const endpoint = (user = BACKUP_USER, password = BACKUP_PASSWORD) => ({
  host: '127.0.0.1',
  port: source.port!,
  database: DATABASE,
  user,
  password,
});

const describeWithMariadb = MARIADB_MISSING ? describe.skip : describe;

describeWithMariadb(`dumpMysqlWithManifest${MARIADB_MISSING ?? ''}`, () => {
  beforeAll(async () => {
    workDir = await makeWorkDir();
    source = await startedInstance(workDir);
    admin = await source.connection();
    await seedSource(admin, 50_000);
    // An account that may read everything but not take the global read lock.
    await admin.query(
      "CREATE USER 'reader'@'127.0.0.1' IDENTIFIED BY 'reader-password'",
    );
    await admin.query(
      "GRANT SELECT, LOCK TABLES, SHOW VIEW, TRIGGER, EVENT ON *.* TO 'reader'@'127.0.0.1'",
    );
  });

  beforeEach(async () => {
    backups = await fs.mkdtemp(path.join(workDir, 'backups-'));
  });

  afterAll(async () => {
    await admin?.end();
    await source?.destroy();
    await MysqlScratchInstance.removeLeftovers(instanceOptions(workDir));
    await fs.rm(workDir, { recursive: true, force: true });
  });

  it('opsdeck-mysql-dump writes the dump and its manifest, the password from MYSQL_PWD', async () => {
    const file = path.join(backups, 'maintenance-1.sql.gz');
    const lines: string[] = [];
    const errors: string[] = [];
    const code = await runOpsdeckMysqlDump(
      [
        '--host=127.0.0.1',
        `--port=${source.port}`,
        `--user=${BACKUP_USER}`,
        `--database=${DATABASE}`,
        `--file=${file}`,
        `--bin-dir=${MARIADB_BIN}`,
      ],
      {
        env: { MYSQL_PWD: BACKUP_PASSWORD },
        out: line => lines.push(line),
        err: line => errors.push(line),
      },
    );
    expect(errors).toEqual([]);
    expect(code).toBe(0);
    expect(lines[1]).toBe(
      `${file}.manifest.json: 3 tables, 1 views, 2 routines, 1 triggers, 1 events`,
    );
    expect((await fs.readdir(backups)).sort()).toEqual([
      'maintenance-1.sql.gz',
      'maintenance-1.sql.gz.manifest.json',
    ]);
    const manifest = await readMysqlManifestOf(file);
    expect(manifest?.tables.find(t => t.table === 'notes')?.rows).toBe('50000');
  });

  it('refuses an account without RELOAD, saying so, and leaves nothing', async () => {
    await expect(
      dumpMysqlWithManifest({
        endpoint: endpoint('reader', 'reader-password'),
        binDir: MARIADB_BIN,
        file: path.join(backups, 'maintenance-2.sql.gz'),
      }),
    ).rejects.toThrow(
      /^FLUSH TABLES WITH READ LOCK failed \(the backup user needs the RELOAD privilege.*Access denied/,
    );
    expect(await fs.readdir(backups)).toEqual([]);
  });

  it('refuses a wrong password before dumping, and leaves nothing', async () => {
    await expect(
      dumpMysqlWithManifest({
        endpoint: endpoint(BACKUP_USER, 'wrong'),
        binDir: MARIADB_BIN,
        file: path.join(backups, 'maintenance-3.sql.gz'),
      }),
    ).rejects.toThrow(/Access denied for user 'backup'/);
    expect(await fs.readdir(backups)).toEqual([]);
  });

  it('stops the dump when cancelled, and leaves nothing', async () => {
    const controller = new AbortController();
    const taking = dumpMysqlWithManifest({
      endpoint: endpoint(),
      binDir: MARIADB_BIN,
      file: path.join(backups, 'maintenance-4.sql.gz'),
      signal: controller.signal,
    });
    // Cancelled once the dump is being written.
    const partial = path.join(backups, '.maintenance-4.sql.gz.partial');
    while (!(await fs.stat(partial).catch(() => undefined))) {
      await new Promise(resolve => setTimeout(resolve, 5));
    }
    controller.abort();
    await expect(taking).rejects.toThrow(/cancelled|aborted/);
    expect(await fs.readdir(backups)).toEqual([]);
    // The global read lock is gone: the source takes writes.
    await admin.query(
      `INSERT INTO ${DATABASE}.tasks (title) VALUES ('after the cancel')`,
    );
  });
});
