import fs from 'node:fs/promises';
import path from 'node:path';
import { runCommand } from '../../postgres/processes';
import { mysqlEnvironment } from '../scratch/programEnvironment';
import {
  MysqlScratchInstance,
  scratchClientUser,
} from '../scratch/scratchInstance';
import {
  instanceOptions,
  makeWorkDir,
  MARIADB_BIN,
  MARIADB_MISSING,
  startedInstance,
} from '../testUtils/mariadbTestServer';
import {
  findLatestPhysicalBackup,
  restorePhysicalBackup,
} from './mariadbBackup';

// A physical backup of a real MariaDB instance, restored into a second one.

jest.setTimeout(180_000);

const describeWithMariadb = MARIADB_MISSING ? describe.skip : describe;

describeWithMariadb(`restorePhysicalBackup${MARIADB_MISSING ?? ''}`, () => {
  let workDir: string;

  beforeEach(async () => {
    workDir = await makeWorkDir();
  });

  afterEach(async () => {
    await MysqlScratchInstance.removeLeftovers(instanceOptions(workDir));
    await MysqlScratchInstance.removeLeftovers(
      instanceOptions(workDir, { prefix: 'opsdeck-my-source-' }),
    );
    await fs.rm(workDir, { recursive: true, force: true });
  });

  it("prepares a copy (never the original) and starts it, even when the source's accounts would not let the backend in", async () => {
    const backupDir = path.join(workDir, 'backups');
    await fs.mkdir(backupDir);
    const source = await startedInstance(workDir, {
      prefix: 'opsdeck-my-source-',
    });
    const connection = await source.connection();
    try {
      await connection.query('CREATE DATABASE tasks');
      await connection.query('USE tasks');
      await connection.query(
        'CREATE TABLE tasks.items (id INT PRIMARY KEY, title TEXT)',
      );
      await connection.query(
        "INSERT INTO tasks.items SELECT seq, CONCAT('task ', seq) FROM seq_1_to_3000",
      );
      // The source's administrator logs in with a password only.
      await connection.query(
        "ALTER USER ??@'localhost' IDENTIFIED BY 'source-secret'",
        [scratchClientUser()],
      );
    } finally {
      await connection.end();
    }
    const target = path.join(backupDir, '2026-12-03_0100');
    await runCommand(
      {
        file: path.join(MARIADB_BIN, 'mariadb-backup'),
        args: [
          '--no-defaults',
          '--backup',
          `--socket=${source.paths.socket}`,
          `--user=${scratchClientUser()}`,
          '--password=source-secret',
          `--target-dir=${target}`,
        ],
      },
      { env: mysqlEnvironment() },
    );
    await source.destroy();
    const checkpointsBefore = await fs.readFile(
      path.join(target, 'xtrabackup_checkpoints'),
      'utf8',
    );
    // An unfinished backup (no info file yet) is not a candidate.
    await fs.mkdir(path.join(backupDir, '2026-12-04_0100'));

    const backup = await findLatestPhysicalBackup({ directory: backupDir });
    expect(backup).toMatchObject({
      label: '2026-12-03_0100',
      type: 'mariadb-backup full-backuped',
      physical: { path: target },
    });

    const copy = await MysqlScratchInstance.create(instanceOptions(workDir));
    try {
      const restored = await restorePhysicalBackup({
        backup,
        instance: copy,
        binDir: MARIADB_BIN,
        database: 'tasks',
      });
      expect(restored.database).toBe('tasks');
      const session = await copy.connection('tasks');
      try {
        const [rows] = await session.query(
          'SELECT COUNT(*) AS n, MAX(title) AS last FROM items',
        );
        expect(rows).toEqual([{ n: '3000', last: 'task 999' }]);
      } finally {
        await session.end();
      }
      expect(copy.port).toBeUndefined();
    } finally {
      expect((await copy.destroy()).clean).toBe(true);
    }
    // --prepare ran on the copy: the original is still an unprepared backup.
    expect(
      await fs.readFile(path.join(target, 'xtrabackup_checkpoints'), 'utf8'),
    ).toBe(checkpointsBefore);
    expect(checkpointsBefore).toMatch(/backup_type = full-backuped/);
  });

  it('refuses a directory with no finished full backup, naming it', async () => {
    await fs.mkdir(path.join(workDir, 'partial'));
    await expect(
      findLatestPhysicalBackup({ directory: workDir }),
    ).rejects.toThrow(
      `No finished full mariadb-backup directory (with mariadb_backup_info or xtrabackup_info) in the backup directory ${workDir}`,
    );
  });
});
