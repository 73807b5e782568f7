import { ConfigReader } from '@backstage/config';
import { findDatabaseTarget } from '../config';

const minimal = {
  primary: { host: 'db-1.internal', database: 'orders', user: 'drill' },
  backup: { format: 'directory', directory: '/var/backups/orders' },
};

const repoint = {
  type: 'pgbouncer',
  admin: {
    host: '127.0.0.1',
    port: 6432,
    user: 'pgbouncer_admin',
    passwordEnv: 'PGBOUNCER_ADMIN_PASSWORD',
  },
  database: 'orders',
  includeFile: '/etc/pgbouncer/opsdeck-orders.ini',
};

function read(failover: object) {
  return findDatabaseTarget(
    new ConfigReader({
      ops: { databases: { 'orders-db': { ...minimal, failover } } },
    }),
    'orders-db',
  )!.failover;
}

const KEY = 'Invalid configuration ops.databases.orders-db.failover.repoint';

describe('failover.repoint', () => {
  it('reads a PgBouncer with a 30 s PAUSE timeout by default', () => {
    expect(read({ repoint }).repoint).toEqual({
      ...repoint,
      admin: { ...repoint.admin, password: undefined },
      pauseTimeoutSeconds: 30,
    });
    expect(
      read({ repoint: { ...repoint, pauseTimeout: '5s' } }).repoint
        ?.pauseTimeoutSeconds,
    ).toBe(5);
    expect(read({}).repoint).toBeUndefined();
  });

  it.each([
    ['a bare kind', 'pgbouncer', `${KEY}: must be an object`],
    [
      'another kind',
      { ...repoint, type: 'haproxy' },
      `${KEY}.type: 'haproxy' is not one of 'pgbouncer'`,
    ],
    [
      'no admin console',
      { ...repoint, admin: undefined },
      `${KEY}.admin: missing`,
    ],
    [
      'no admin port',
      { ...repoint, admin: { ...repoint.admin, port: 70000 } },
      `${KEY}.admin.port: must be a TCP port`,
    ],
    [
      'a password and its variable',
      { ...repoint, admin: { ...repoint.admin, password: 'x' } },
      `${KEY}.admin.password: set either password or passwordEnv, not both`,
    ],
    [
      'a database name the console cannot take',
      { ...repoint, database: 'orders; SHUTDOWN' },
      `${KEY}.database: 'orders; SHUTDOWN' is not a PgBouncer database name`,
    ],
    [
      'a relative include file',
      { ...repoint, includeFile: 'opsdeck.ini' },
      `${KEY}.includeFile: must be the absolute path`,
    ],
    [
      'an unreadable PAUSE timeout',
      { ...repoint, pauseTimeout: 'a while' },
      `${KEY}.pauseTimeout: Invalid duration`,
    ],
  ])('refuses %s, naming the key', (_, value, message) => {
    expect(() => read({ repoint: value })).toThrow(message);
  });
});
