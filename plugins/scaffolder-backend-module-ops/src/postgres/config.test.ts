import os from 'node:os';
import path from 'node:path';
import { ConfigReader } from '@backstage/config';
import { newestPostgresBinDir } from './binDir';
import {
  comparisonSource,
  endpointPassword,
  findDatabaseTarget,
  listDatabaseTargetNames,
  readDatabaseTarget,
  scratchServerUser,
  DEFAULT_BIN_DIR,
} from './config';

const minimal = {
  primary: { host: 'db-1.internal', database: 'orders', user: 'drill' },
  backup: { format: 'directory', directory: '/var/backups/orders' },
};

// Read the way the action reads it, so errors carry the full key.
function read(target: object) {
  return findDatabaseTarget(
    new ConfigReader({ ops: { databases: { 'orders-db': target } } }),
    'orders-db',
  )!;
}

describe('readDatabaseTarget', () => {
  it('reads the verification settings', () => {
    expect(
      read({
        ...minimal,
        verification: {
          amcheck: true,
          stableRows: [
            { table: 'billing.invoices', column: 'created_at' },
            { table: 'events', appendOnly: true },
          ],
        },
      }).verification,
    ).toEqual({
      amcheck: true,
      stableRows: [
        { schema: 'billing', table: 'invoices', column: 'created_at' },
        { schema: 'public', table: 'events', appendOnly: true },
      ],
    });
  });

  it('fills in the defaults of the manuals and of the scratch instance', () => {
    expect(read(minimal)).toEqual({
      engine: 'postgres',
      name: 'orders-db',
      primary: {
        host: 'db-1.internal',
        port: 5432,
        database: 'orders',
        user: 'drill',
        passwordEnv: undefined,
      },
      replicas: [],
      backup: {
        source: 'pgdump',
        format: 'directory',
        directory: '/var/backups/orders',
      },
      objectives: { rtoSeconds: 3600, rpoSeconds: 900 },
      checks: [],
      samplesPerTable: 10,
      verification: { amcheck: false, stableRows: [] },
      scratch: {
        // The newest PostgreSQL of this machine, whatever its version.
        binDir: newestPostgresBinDir() ?? DEFAULT_BIN_DIR,
        workDir: os.tmpdir(),
        runAsUser: undefined,
      },
      drillSchedule: {
        everyDays: 91,
        enabled: false,
        jobs: 4,
        takeBackup: false,
      },
      failover: {
        user: undefined,
        passwordEnv: undefined,
        password: undefined,
        maxReplayLagSeconds: 60,
        maxReplayLagBytes: 16 * 1024 * 1024,
        catchUpTimeoutSeconds: 60,
        promoteTimeoutSeconds: 60,
        fence: { method: 'read-only', dataDir: undefined },
        connectionFile: undefined,
        canaryTable: 'opsdeck_failover_canary',
        incidentSeverity: 'SEV2',
      },
    });
  });

  it('reads the failover settings', () => {
    expect(
      read({
        ...minimal,
        failover: {
          user: 'failover_admin',
          passwordEnv: 'ORDERS_DB_ADMIN_PASSWORD',
          maxReplayLag: '30s',
          maxReplayLagBytes: 1048576,
          catchUpTimeout: { minutes: 2 },
          promoteTimeout: 'PT10S',
          fence: { method: 'stop', dataDir: '/var/lib/postgresql/15/main' },
          connectionFile: { path: '/run/orders/db.env', format: 'env' },
          canaryTable: 'failover_canary',
          incidentSeverity: 'SEV1',
        },
      }).failover,
    ).toEqual({
      user: 'failover_admin',
      passwordEnv: 'ORDERS_DB_ADMIN_PASSWORD',
      password: undefined,
      maxReplayLagSeconds: 30,
      maxReplayLagBytes: 1048576,
      catchUpTimeoutSeconds: 120,
      promoteTimeoutSeconds: 10,
      fence: { method: 'stop', dataDir: '/var/lib/postgresql/15/main' },
      connectionFile: { path: '/run/orders/db.env', format: 'env' },
      canaryTable: 'failover_canary',
      incidentSeverity: 'SEV1',
    });
  });

  it('reads a drill schedule: asking for one enables it, quarterly unless told', () => {
    expect(read({ ...minimal, drillSchedule: {} }).drillSchedule).toEqual({
      everyDays: 91,
      enabled: true,
      jobs: 4,
      takeBackup: false,
    });
    expect(
      read({
        ...minimal,
        drillSchedule: { everyDays: 30, jobs: 8, takeBackup: true },
      }).drillSchedule,
    ).toEqual({ everyDays: 30, enabled: true, jobs: 8, takeBackup: true });
    // Only the interval, which the readiness check judges by; no scheduled runs.
    expect(
      read({ ...minimal, drillSchedule: { everyDays: 7, enabled: false } })
        .drillSchedule,
    ).toEqual({ everyDays: 7, enabled: false, jobs: 4, takeBackup: false });
  });

  it('resolves a relative backup directory against the working directory, like catalog file locations', () => {
    expect(
      read({ ...minimal, backup: { format: 'custom', directory: 'backups' } })
        .backup.directory,
    ).toBe(path.resolve('backups'));
  });

  it('reads a password given through a ${VAR} substitution', () => {
    const target = read({
      ...minimal,
      primary: { ...minimal.primary, password: 'from-env' },
    });
    expect(endpointPassword(target.primary, {})).toBe('from-env');
  });

  it('reads objectives written as ms-style strings, ISO 8601 or objects', () => {
    expect(
      read({ ...minimal, objectives: { rto: '30m', rpo: 'PT5M' } }).objectives,
    ).toEqual({ rtoSeconds: 1800, rpoSeconds: 300 });
    expect(
      read({ ...minimal, objectives: { rto: { hours: 2 } } }).objectives,
    ).toEqual({ rtoSeconds: 7200, rpoSeconds: 900 });
  });

  it('reads replicas, checks with and without an expected literal, and the scratch settings', () => {
    const target = read({
      ...minimal,
      replicas: [
        {
          host: 'db-2.internal',
          port: 5433,
          database: 'orders',
          user: 'drill',
          passwordEnv: 'ORDERS_DB_PASSWORD',
        },
      ],
      checks: [
        { name: 'users', sql: 'SELECT count(*) FROM users' },
        { name: 'schema', sql: 'SELECT max(version) FROM flyway', expect: 42 },
      ],
      samplesPerTable: 3,
      scratch: {
        binDir: '/opt/pg/bin',
        workDir: '/srv/drills',
        runAsUser: 'postgres',
      },
    });
    expect(comparisonSource(target)).toEqual({
      host: 'db-2.internal',
      port: 5433,
      database: 'orders',
      user: 'drill',
      passwordEnv: 'ORDERS_DB_PASSWORD',
    });
    expect(target.checks).toEqual([
      { name: 'users', sql: 'SELECT count(*) FROM users', expect: undefined },
      { name: 'schema', sql: 'SELECT max(version) FROM flyway', expect: '42' },
    ]);
    expect(target.samplesPerTable).toBe(3);
    expect(target.scratch).toEqual({
      binDir: '/opt/pg/bin',
      workDir: '/srv/drills',
      runAsUser: 'postgres',
    });
  });

  it.each([
    [
      'both a password and the name of its variable',
      {
        ...minimal,
        primary: { ...minimal.primary, password: 'x', passwordEnv: 'X' },
      },
      'Invalid configuration ops.databases.orders-db.primary.password: set either password or passwordEnv, not both',
    ],
    [
      'a drill interval that is not a whole number of days',
      { ...minimal, drillSchedule: { everyDays: 0.5 } },
      'Invalid configuration ops.databases.orders-db.drillSchedule.everyDays: must be a whole number of days from 1 to 3660',
    ],
    [
      'too many restore jobs for scheduled drills',
      { ...minimal, drillSchedule: { jobs: 64 } },
      'Invalid configuration ops.databases.orders-db.drillSchedule.jobs: must be an integer from 1 to 32',
    ],
    [
      'an unknown backup format',
      { ...minimal, backup: { format: 'tar', directory: '/b' } },
      "Invalid configuration ops.databases.orders-db.backup.format: 'tar' is not one of 'directory' (pg_dump -Fd), 'custom' (pg_dump -Fc)",
    ],
    [
      'a password instead of the name of its variable',
      {
        ...minimal,
        primary: { ...minimal.primary, passwordEnv: 's3cr3t!' },
      },
      "Invalid configuration ops.databases.orders-db.primary.passwordEnv: 's3cr3t!' is not an environment variable name",
    ],
    [
      'a connection string as the database',
      {
        ...minimal,
        primary: { ...minimal.primary, database: 'host=evil dbname=x' },
      },
      'Invalid configuration ops.databases.orders-db.primary.database: must be a database name, not a connection string',
    ],
    [
      'a port out of range',
      { ...minimal, replicas: [{ ...minimal.primary, port: 70000 }] },
      'Invalid configuration ops.databases.orders-db.replicas[0].port: 70000 is not a TCP port',
    ],
    [
      'a user name that looks like an option',
      { ...minimal, scratch: { runAsUser: '--help' } },
      "Invalid configuration ops.databases.orders-db.scratch.runAsUser: '--help' is not a user name",
    ],
    [
      'two checks of one name',
      {
        ...minimal,
        checks: [
          { name: 'users', sql: 'SELECT 1' },
          { name: 'users', sql: 'SELECT 2' },
        ],
      },
      "Invalid configuration ops.databases.orders-db.checks[1].name: 'users' is used by another check",
    ],
    [
      'stable rows with neither a column nor appendOnly',
      {
        ...minimal,
        verification: { stableRows: [{ table: 'billing.invoices' }] },
      },
      'Invalid configuration ops.databases.orders-db.verification.stableRows[0]: needs column (a timestamp dating each row, compared for rows older than the backup) or appendOnly: true (rows whose primary key is at most the copy’s largest must match)',
    ],
    [
      'stable rows with both a column and appendOnly',
      {
        ...minimal,
        verification: {
          stableRows: [
            { table: 'audit.events', column: 'at', appendOnly: true },
          ],
        },
      },
      'Invalid configuration ops.databases.orders-db.verification.stableRows[0]: set either column (a timestamp dating each row) or appendOnly: true, not both',
    ],
    [
      'a stable-rows table name of three parts',
      {
        ...minimal,
        verification: {
          stableRows: [{ table: 'orders.billing.invoices', appendOnly: true }],
        },
      },
      "Invalid configuration ops.databases.orders-db.verification.stableRows[0].table: 'orders.billing.invoices' is not a table name: write schema.table (or table, in public), as the catalog stores the names",
    ],
    [
      'a stable-rows table listed twice',
      {
        ...minimal,
        verification: {
          stableRows: [
            { table: 'invoices', column: 'created_at' },
            { table: 'public.invoices', appendOnly: true },
          ],
        },
      },
      'Invalid configuration ops.databases.orders-db.verification.stableRows[1].table: public.invoices is listed twice',
    ],
    [
      'a negative sample count',
      { ...minimal, samplesPerTable: -1 },
      'Invalid configuration ops.databases.orders-db.samplesPerTable: must be an integer from 0 to 1000',
    ],
    [
      'an unreadable duration',
      { ...minimal, objectives: { rpo: 'soon' } },
      "Invalid configuration ops.databases.orders-db.objectives.rpo: Invalid duration 'soon'",
    ],
    [
      'a fence method OpsDeck does not support',
      { ...minimal, failover: { fence: { method: 'kubernetes' } } },
      "Invalid configuration ops.databases.orders-db.failover.fence.method: 'kubernetes' is not one of 'read-only'",
    ],
    [
      'the stop fence without the data directory',
      { ...minimal, failover: { fence: { method: 'stop' } } },
      'Invalid configuration ops.databases.orders-db.failover.fence.dataDir: the stop method needs the absolute data directory of the primary on this host',
    ],
    [
      'a canary table name that would need quoting',
      { ...minimal, failover: { canaryTable: 'x"; DROP TABLE y' } },
      'Invalid configuration ops.databases.orders-db.failover.canaryTable: must be a lower-case table name',
    ],
    [
      'an unreadable lag limit',
      { ...minimal, failover: { maxReplayLag: 'a bit' } },
      "Invalid configuration ops.databases.orders-db.failover.maxReplayLag: Invalid duration 'a bit'",
    ],
  ])('refuses %s, naming the key', (_what, target, message) => {
    expect(() => read(target)).toThrow(message);
  });

  it('refuses a config without the primary or the backup directory', () => {
    expect(() => read({ backup: minimal.backup })).toThrow(
      "Missing required config value at 'ops.databases.orders-db.primary'",
    );
    expect(() => read({ primary: minimal.primary })).toThrow(
      "Missing required config value at 'ops.databases.orders-db.backup.format'",
    );
  });
});

describe('the configured targets', () => {
  const config = new ConfigReader({
    ops: { databases: { 'orders-db': minimal, 'billing-db': minimal } },
  });

  it('refuses a target name that is not a plain name', () => {
    expect(() =>
      readDatabaseTarget(new ConfigReader(minimal), 'orders db'),
    ).toThrow(
      'Invalid configuration ops.databases.orders db: target names are letters, digits',
    );
  });

  it('lists and finds targets by name', () => {
    expect(listDatabaseTargetNames(config)).toEqual([
      'orders-db',
      'billing-db',
    ]);
    expect(findDatabaseTarget(config, 'billing-db')?.name).toBe('billing-db');
    expect(findDatabaseTarget(config, 'users-db')).toBeUndefined();
    expect(listDatabaseTargetNames(new ConfigReader({}))).toEqual([]);
  });
});

describe('scratchServerUser', () => {
  it('runs the scratch server as runAsUser only when the backend is root', () => {
    const target = read({ ...minimal, scratch: { runAsUser: 'postgres' } });
    expect(scratchServerUser(target, 0)).toBe('postgres');
    expect(scratchServerUser(target, 1000)).toBeUndefined();
  });
});

describe('endpointPassword', () => {
  const endpoint = {
    host: 'db',
    port: 5432,
    database: 'orders',
    user: 'drill',
    passwordEnv: 'ORDERS_DB_PASSWORD',
  };

  it('reads the password from the named environment variable', () => {
    expect(endpointPassword(endpoint, { ORDERS_DB_PASSWORD: 'pw' })).toBe('pw');
    expect(
      endpointPassword({ ...endpoint, passwordEnv: undefined }, {}),
    ).toBeUndefined();
  });

  it('fails clearly when the variable is not set', () => {
    expect(() => endpointPassword(endpoint, {})).toThrow(
      'The environment variable ORDERS_DB_PASSWORD that holds the password of drill@db:5432/orders is not set on the backend',
    );
  });
});
