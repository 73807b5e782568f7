import fs from 'node:fs/promises';
import path from 'node:path';
import {
  createMockDirectory,
  mockServices,
} from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import {
  createMysqlBackupDrillAction,
  createPostgresBackupDrillAction,
} from '../backupDrill';
import { RecordingOpsClient } from '../../testUtils/RecordingOpsClient';
import { serviceWithDatabases } from '../../testUtils/entities';

// The refusals of ops:mysql:backup-drill that need no server: each before
// anything is recorded. Those that need one (an unreachable source, a
// missing or stale dump) are in backupDrill.refusals.integration.test.ts.

const entity = serviceWithDatabases(
  'maintenance-api',
  'maintenance-db, orders-db',
);
const PROGRAMS = ['mariadb-install-db', 'mariadb', 'mariadb-admin'];

describe('ops:mysql:backup-drill refusals', () => {
  const mockDir = createMockDirectory();
  let binDir: string;
  let server: string;

  beforeEach(async () => {
    mockDir.setContent({
      bin: Object.fromEntries(PROGRAMS.map(p => [p, ''])),
      sbin: { mariadbd: '' },
      backups: {},
    });
    binDir = path.join(mockDir.path, 'bin');
    server = path.join(mockDir.path, 'sbin', 'mariadbd');
    for (const file of [...PROGRAMS.map(p => path.join(binDir, p)), server]) {
      await fs.chmod(file, 0o755);
    }
  });

  afterEach(() => {
    jest.restoreAllMocks();
  });

  function config(mysql: object = {}, scratch: object = {}) {
    return new ConfigReader({
      ops: {
        databases: {
          'maintenance-db': {
            engine: 'mysql',
            entities: ['component:default/maintenance-api'],
            primary: { host: 'db', database: 'maintenance', user: 'drill' },
            backup: { directory: path.join(mockDir.path, 'backups') },
            scratch: { binDir, server, runAsUser: 'mysql', ...scratch },
            ...mysql,
          },
          'orders-db': {
            entities: ['component:default/maintenance-api'],
            primary: { host: 'pg', database: 'orders', user: 'drill' },
            backup: { format: 'directory', directory: mockDir.path },
          },
        },
      },
    });
  }

  function setup(mysql: object = {}, scratch: object = {}) {
    const opsClient = new RecordingOpsClient();
    const options = {
      config: config(mysql, scratch),
      catalog: catalogServiceMock({ entities: [entity] }),
      permissions: mockServices.permissions(),
      opsClient,
    };
    return {
      opsClient,
      mysqlAction: createMysqlBackupDrillAction(options),
      postgresAction: createPostgresBackupDrillAction(options),
    };
  }

  function context(input: Record<string, unknown> = {}) {
    return createMockActionContext({
      input: {
        entityRef: 'component:default/maintenance-api',
        target: 'maintenance-db',
        ...input,
      } as any,
    });
  }

  it('refuses a MySQL target in ops:postgres:backup-drill, naming the right action', async () => {
    const { postgresAction, opsClient } = setup();
    await expect(postgresAction.handler(context())).rejects.toThrow(
      'maintenance-db is a MySQL/MariaDB target: drill it with ops:mysql:backup-drill, not ops:postgres:backup-drill',
    );
    expect(opsClient.calls).toEqual([]);
  });

  it('refuses a PostgreSQL target in ops:mysql:backup-drill, naming the right action', async () => {
    const { mysqlAction, opsClient } = setup();
    await expect(
      mysqlAction.handler(context({ target: 'orders-db' })),
    ).rejects.toThrow(
      'orders-db is a PostgreSQL target: drill it with ops:postgres:backup-drill, not ops:mysql:backup-drill',
    );
    expect(opsClient.calls).toEqual([]);
  });

  it('refuses an unknown engine, naming its config key', async () => {
    const { mysqlAction, opsClient } = setup({ engine: 'oracle' });
    await expect(mysqlAction.handler(context())).rejects.toThrow(
      "ops.databases.maintenance-db.engine: 'oracle' is not one of 'postgres', 'mysql'",
    );
    expect(opsClient.calls).toEqual([]);
  });

  it('refuses targetTime: a dump restores only to its own moment', async () => {
    const { mysqlAction, opsClient } = setup();
    await expect(
      mysqlAction.handler(context({ targetTime: '2026-12-01T09:30:00Z' })),
    ).rejects.toThrow(
      /^targetTime needs a backup source that restores to a point in time; maintenance-db is backed up by mysqldump \/ mariadb-dump files .*, which restores only to the moment of each backup$/,
    );
    expect(opsClient.calls).toEqual([]);
  });

  it('refuses takeBackup for a mariadb-backup target, naming backup.source', async () => {
    const { mysqlAction, opsClient } = setup({
      backup: {
        source: 'mariadb-backup',
        directory: path.join(mockDir.path, 'backups'),
      },
    });
    await expect(
      mysqlAction.handler(context({ takeBackup: true })),
    ).rejects.toThrow(
      'takeBackup runs mariadb-dump, but maintenance-db is backed up by mariadb-backup (ops.databases.maintenance-db.backup.source): drill its latest backup instead',
    );
    expect(opsClient.calls).toEqual([]);
  });

  it('refuses when the MariaDB programs are missing, naming the key to set', async () => {
    const { mysqlAction, opsClient } = setup({}, { binDir: '/nonexistent' });
    await expect(mysqlAction.handler(context())).rejects.toThrow(
      "/nonexistent/mariadb-install-db is not an executable on the backend: install MariaDB's server and client (Debian: mariadb-server, mariadb-client) or set ops.databases.maintenance-db.scratch.binDir",
    );
    expect(opsClient.calls).toEqual([]);
  });

  it('refuses a missing server program, naming scratch.server', async () => {
    const { mysqlAction } = setup({}, { server: '/nonexistent/mariadbd' });
    await expect(mysqlAction.handler(context())).rejects.toThrow(
      "/nonexistent/mariadbd is not an executable on the backend: install MariaDB's server and client (Debian: mariadb-server, mariadb-client) or set ops.databases.maintenance-db.scratch.server",
    );
  });

  it('needs mariadb-dump only to take a backup', async () => {
    const { mysqlAction } = setup();
    await expect(
      mysqlAction.handler(context({ takeBackup: true })),
    ).rejects.toThrow(`Neither mariadb-dump nor mysqldump is in ${binDir}`);
  });

  it('refuses to run the server as root', async () => {
    jest.spyOn(process, 'getuid').mockReturnValue(0);
    const { mysqlAction, opsClient } = setup({}, { runAsUser: undefined });
    await expect(mysqlAction.handler(context())).rejects.toThrow(
      'The backend runs as root and mariadbd refuses to: set ops.databases.maintenance-db.scratch.runAsUser to an unprivileged user, e.g. mysql',
    );
    expect(opsClient.calls).toEqual([]);
  });

  it('refuses when the password variable is not set', async () => {
    const { mysqlAction, opsClient } = setup({
      primary: {
        host: 'db',
        database: 'maintenance',
        user: 'drill',
        passwordEnv: 'OPSDECK_UNSET_MAINTENANCE_PASSWORD',
      },
    });
    await expect(mysqlAction.handler(context())).rejects.toThrow(
      'The environment variable OPSDECK_UNSET_MAINTENANCE_PASSWORD that holds the password of drill@db:3306/maintenance is not set on the backend',
    );
    expect(opsClient.calls).toEqual([]);
  });
});
