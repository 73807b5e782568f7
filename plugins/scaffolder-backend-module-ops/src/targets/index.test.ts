import { ConfigReader } from '@backstage/config';
import { findDrillTarget, readDrillTarget } from './index';

// The engine switch: each target is read by its engine's reader, and an
// engine OpsDeck does not drill is refused naming the key.

const config = new ConfigReader({
  ops: {
    databases: {
      'orders-db': {
        primary: { host: 'pg', database: 'orders', user: 'drill' },
        backup: { format: 'directory', directory: '/var/backups/orders' },
      },
      'maintenance-db': {
        engine: 'mysql',
        primary: { host: 'db', database: 'maintenance', user: 'drill' },
        backup: { directory: '/var/backups/maintenance' },
      },
      'explicit-db': {
        engine: 'postgres',
        primary: { host: 'pg', database: 'x', user: 'drill' },
        backup: { format: 'directory', directory: '/var/backups/x' },
      },
      'oracle-db': {
        engine: 'oracle',
        primary: { host: 'ora', database: 'x', user: 'drill' },
      },
    },
  },
});

describe('findDrillTarget', () => {
  it('reads a target without engine as PostgreSQL (port 5432)', () => {
    expect(findDrillTarget(config, 'orders-db')).toMatchObject({
      name: 'orders-db',
      engine: 'postgres',
      primary: { port: 5432 },
    });
  });

  it("reads engine: postgres and engine: mysql with their engines' defaults", () => {
    expect(findDrillTarget(config, 'explicit-db')?.engine).toBe('postgres');
    expect(findDrillTarget(config, 'maintenance-db')).toMatchObject({
      engine: 'mysql',
      primary: { port: 3306 },
      backup: { source: 'mysqldump' },
    });
  });

  it('answers undefined for a target nobody configured', () => {
    expect(findDrillTarget(config, 'users-db')).toBeUndefined();
    expect(findDrillTarget(new ConfigReader({}), 'users-db')).toBeUndefined();
  });

  it('refuses an unknown engine, naming the key and the engines', () => {
    expect(() => findDrillTarget(config, 'oracle-db')).toThrow(
      "ops.databases.oracle-db.engine: 'oracle' is not one of 'postgres', 'mysql' (MariaDB targets are 'mysql')",
    );
  });

  it("refuses a MariaDB target's engine spelled 'mariadb', pointing at 'mysql'", () => {
    expect(() =>
      readDrillTarget(
        new ConfigReader({
          engine: 'mariadb',
          primary: { host: 'db', database: 'm', user: 'drill' },
        }),
        'maintenance-db',
      ),
    ).toThrow("(MariaDB targets are 'mysql')");
  });
});
