import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { MysqlTarget } from '../target';
import { mysqlBackupSourceFor } from './sources';

function target(backup: MysqlTarget['backup']): MysqlTarget {
  return {
    name: 'maintenance-db',
    backup,
    primary: { host: 'db', port: 3306, database: 'maintenance', user: 'ops' },
    scratch: {
      binDir: '/usr/bin',
      server: '/usr/sbin/mariadbd',
      workDir: '/tmp',
    },
  } as MysqlTarget;
}

describe('mysqlBackupSourceFor', () => {
  let directory: string;

  beforeEach(async () => {
    directory = await fs.mkdtemp(path.join(os.tmpdir(), 'opsdeck-sources-'));
  });

  afterEach(async () => {
    await fs.rm(directory, { recursive: true, force: true });
  });

  it('gives the dump source for mysqldump, restoring a single-database dump into its database', async () => {
    await fs.writeFile(
      path.join(directory, 'maintenance.sql'),
      '-- MariaDB dump 10.19\n--\n-- Host: db    Database: maintenance\n',
    );
    const source = mysqlBackupSourceFor(
      target({ source: 'mysqldump', directory }),
    );
    expect(source.kind).toBe('mysqldump');
    expect(source.programs()).toEqual([
      '/usr/sbin/mariadbd',
      '/usr/bin/mariadb-install-db',
      '/usr/bin/mariadb',
      '/usr/bin/mariadb-admin',
    ]);
    const backup = await source.findLatest({});
    expect(source.describeRestore({ backup })).toBe(
      `CREATE DATABASE maintenance; mariadb --no-defaults --socket=<scratch socket> --database=maintenance < ${path.join(
        directory,
        'maintenance.sql',
      )}`,
    );
  });

  it('gives the physical source for mariadb-backup, which refuses a dump found by another source', () => {
    const source = mysqlBackupSourceFor(
      target({ source: 'mariadb-backup', directory }),
    );
    expect(source.kind).toBe('mariadb-backup');
    expect(source.programs()).toContain('/usr/bin/mariadb-backup');
    expect(() =>
      source.describeRestore({
        backup: { label: 'x.sql' } as any,
      }),
    ).toThrow('x.sql was not found by the mariadb-backup source');
  });

  it('refuses an unknown backup.source, naming the target', () => {
    expect(() =>
      mysqlBackupSourceFor(target({ source: 'xtrabackup', directory } as any)),
    ).toThrow(
      'Unknown backup.source xtrabackup of the MySQL target maintenance-db (expected mysqldump or mariadb-backup)',
    );
  });
});
