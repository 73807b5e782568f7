import fs from 'node:fs';
import path from 'node:path';
import { ConfigReader } from '@backstage/config';
import { readMysqlTarget } from './config';

// readMysqlTarget as readDrillTarget calls it: with the target's own config,
// read from the whole app-config so errors name the full key.

function read(target: Record<string, unknown>) {
  const config = new ConfigReader({
    ops: {
      databases: {
        'maintenance-db': {
          engine: 'mysql',
          primary: { host: 'db', database: 'maintenance', user: 'drill' },
          backup: { directory: '/var/backups/maintenance' },
          ...target,
        },
      },
    },
  });
  return readMysqlTarget(
    config.getConfig('ops.databases.maintenance-db'),
    'maintenance-db',
  );
}

describe('readMysqlTarget', () => {
  it('defaults the port to 3306, the programs to /usr/bin, the server to /usr/sbin, dumps and no check', () => {
    const target = read({});
    expect(target).toMatchObject({
      name: 'maintenance-db',
      engine: 'mysql',
      primary: {
        host: 'db',
        port: 3306,
        database: 'maintenance',
        user: 'drill',
      },
      replicas: [],
      backup: { source: 'mysqldump', directory: '/var/backups/maintenance' },
      verification: { check: false, stableRows: [] },
    });
    expect(target.scratch.binDir).toBe('/usr/bin');
    const found = ['/usr/sbin/mariadbd', '/usr/sbin/mysqld'].find(file =>
      fs.existsSync(file),
    );
    expect(target.scratch.server).toBe(found ?? '/usr/sbin/mariadbd');
  });

  it('reads replicas, a mariadb-backup source, a relative directory, the check and stable rows', () => {
    const target = read({
      replicas: [
        { host: 'replica', port: 3307, database: 'maintenance', user: 'r' },
      ],
      backup: { source: 'mariadb-backup', directory: 'backups/maintenance' },
      verification: {
        check: true,
        stableRows: [{ table: 'tasks', column: 'updated_at' }],
      },
      scratch: { binDir: '/opt/mariadb/bin', server: '/opt/mariadb/mariadbd' },
    });
    expect(target.replicas).toEqual([
      expect.objectContaining({ host: 'replica', port: 3307 }),
    ]);
    expect(target.backup).toEqual({
      source: 'mariadb-backup',
      // Relative to the backend's working directory.
      directory: path.resolve('backups/maintenance'),
    });
    expect(target.verification).toEqual({
      check: true,
      stableRows: [{ table: 'tasks', column: 'updated_at' }],
    });
    expect(target.scratch).toMatchObject({
      binDir: '/opt/mariadb/bin',
      server: '/opt/mariadb/mariadbd',
    });
  });

  it('refuses an unknown backup.source, naming the key and the choices', () => {
    expect(() =>
      read({ backup: { source: 'xtrabackup', directory: '/b' } }),
    ).toThrow(
      "ops.databases.maintenance-db.backup.source: 'xtrabackup' is not one of 'mysqldump', 'mariadb-backup'",
    );
  });

  it('refuses a target without backup.directory, naming the key', () => {
    expect(() => read({ backup: { source: 'mysqldump' } })).toThrow(
      /ops\.databases\.maintenance-db\.backup\.directory/,
    );
  });

  it.each([
    ['table', { table: 'tasks; DROP TABLE x', column: 'updated_at' }],
    ['table', { table: 'maintenance.tasks', column: 'updated_at' }],
    ['column', { table: 'tasks', column: 'updated`at' }],
  ])(
    'refuses a stableRows %s that is not a name, naming the entry',
    (field, entry) => {
      expect(() => read({ verification: { stableRows: [entry] } })).toThrow(
        `ops.databases.maintenance-db.verification.stableRows[0].${field}: '${
          (entry as Record<string, string>)[field]
        }' is not a ${field} name of the target's database`,
      );
    },
  );

  it('refuses a stableRows entry without a column, naming the key', () => {
    expect(() =>
      read({ verification: { stableRows: [{ table: 'tasks' }] } }),
    ).toThrow(/stableRows\[0\]\.column/);
  });

  it('refuses a relative scratch.server', () => {
    expect(() => read({ scratch: { server: 'mariadbd' } })).toThrow(
      "ops.databases.maintenance-db.scratch.server: 'mariadbd' must be an absolute path",
    );
  });

  it('refuses a bad port of the source, naming the key', () => {
    expect(() =>
      read({
        primary: {
          host: 'db',
          port: 70000,
          database: 'maintenance',
          user: 'drill',
        },
      }),
    ).toThrow('ops.databases.maintenance-db.primary.port');
  });
});
