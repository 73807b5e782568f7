import fs from 'node:fs/promises';
import path from 'node:path';
import {
  createMockDirectory,
  mockCredentials,
  mockServices,
} from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { createPostgresBackupDrillAction } from '../backupDrill';
import { RecordingOpsClient } from '../../testUtils/RecordingOpsClient';
import { serviceWithDatabases } from '../../testUtils/entities';

// The refusals that happen before anything is recorded or started. The drill
// itself runs against PostgreSQL in backupDrill.integration.test.ts.

const entity = serviceWithDatabases('orders-api', 'orders-db, billing-db');

describe('ops:postgres:backup-drill refusals', () => {
  const mockDir = createMockDirectory();
  let binDir: string;

  beforeEach(async () => {
    mockDir.setContent({
      bin: { initdb: '', postgres: '', pg_ctl: '', pg_restore: '' },
      backups: {},
    });
    binDir = path.join(mockDir.path, 'bin');
    for (const program of ['initdb', 'postgres', 'pg_ctl', 'pg_restore']) {
      await fs.chmod(path.join(binDir, program), 0o755);
    }
  });

  afterEach(() => {
    jest.restoreAllMocks();
    delete process.env.ORDERS_DB_PASSWORD;
  });

  function setup(scratch: object = {}, primary: object = {}) {
    const opsClient = new RecordingOpsClient();
    const catalog = catalogServiceMock({ entities: [entity] });
    const action = createPostgresBackupDrillAction({
      config: new ConfigReader({
        ops: {
          databases: {
            'orders-db': {
              entities: ['component:default/orders-api'],
              primary: {
                host: 'db',
                database: 'orders',
                user: 'drill',
                ...primary,
              },
              backup: {
                format: 'directory',
                directory: path.join(mockDir.path, 'backups'),
              },
              scratch: { binDir, runAsUser: 'postgres', ...scratch },
            },
          },
        },
      }),
      catalog,
      permissions: mockServices.permissions(),
      opsClient,
    });
    return { opsClient, catalog, action };
  }

  function context(input: Record<string, unknown>) {
    return createMockActionContext({
      input: {
        entityRef: 'component:default/orders-api',
        target: 'orders-db',
        ...input,
      } as any,
    });
  }

  it('reads the entity on behalf of the user who runs the template', async () => {
    const { action, catalog, opsClient } = setup();
    const getEntityByRef = jest.spyOn(catalog, 'getEntityByRef');
    // The task's error names the directory, not the server's path to it.
    await expect(action.handler(context({}))).rejects.toThrow(
      'Find latest backup failed: No finished pg_dump -Fd directory in backups',
    );
    expect(getEntityByRef).toHaveBeenCalledWith(
      'component:default/orders-api',
      { credentials: mockCredentials.user() },
    );
    // The drill record exists: the missing backup is a finding of the drill.
    expect(opsClient.finalSteps()).toEqual([
      ['Find latest backup', 'failed'],
      ['Create scratch instance', 'skipped'],
      ['Restore', 'skipped'],
      ['Verify', 'skipped'],
      ['Clean up', 'succeeded'],
    ]);
    expect(opsClient.step('Clean up')?.output).toBe(
      'No scratch instance was created',
    );
    expect(opsClient.lastUpdate().status).toBe('failed');
  });

  it('refuses an entity the user cannot see', async () => {
    const { action, opsClient } = setup();
    await expect(
      action.handler(context({ entityRef: 'component:default/unknown' })),
    ).rejects.toThrow(
      'No entity component:default/unknown in the catalog, or you may not read it',
    );
    expect(opsClient.calls).toEqual([]);
  });

  it('refuses a target the entity does not name, before recording anything', async () => {
    const { action, opsClient } = setup();
    await expect(
      action.handler(context({ target: 'users-db' })),
    ).rejects.toThrow(
      "'users-db' is not a database target of component:default/orders-api; its opsdeck.dev/databases annotation names orders-db, billing-db",
    );
    expect(opsClient.calls).toEqual([]);
  });

  it('refuses a target the entity names but no admin configured', async () => {
    const { action, opsClient } = setup();
    await expect(
      action.handler(context({ target: 'billing-db' })),
    ).rejects.toThrow(
      "The database target 'billing-db' of component:default/orders-api is not configured",
    );
    expect(opsClient.calls).toEqual([]);
  });

  it('refuses when the PostgreSQL binaries are missing', async () => {
    const { action, opsClient } = setup({ binDir: '/nonexistent/bin' });
    await expect(action.handler(context({}))).rejects.toThrow(
      "/nonexistent/bin/initdb is not an executable on the backend: install PostgreSQL's server binaries or set ops.databases.orders-db.scratch.binDir",
    );
    expect(opsClient.calls).toEqual([]);
  });

  it('refuses to run the server as root', async () => {
    jest.spyOn(process, 'getuid').mockReturnValue(0);
    const { action, opsClient } = setup({ runAsUser: undefined });
    await expect(action.handler(context({}))).rejects.toThrow(
      'The backend runs as root and PostgreSQL refuses to: set ops.databases.orders-db.scratch.runAsUser to an unprivileged user, e.g. postgres',
    );
    expect(opsClient.calls).toEqual([]);
  });

  it('refuses when the password variable is not set', async () => {
    const { action, opsClient } = setup(
      {},
      { passwordEnv: 'ORDERS_DB_PASSWORD' },
    );
    await expect(action.handler(context({}))).rejects.toThrow(
      'The environment variable ORDERS_DB_PASSWORD that holds the password of drill@db:5432/orders is not set on the backend',
    );
    expect(opsClient.calls).toEqual([]);
  });

  it('needs pg_dump only to take a backup', async () => {
    const { action } = setup();
    await expect(action.handler(context({ takeBackup: true }))).rejects.toThrow(
      `${binDir}/pg_dump is not an executable on the backend`,
    );
  });

  it('refuses targetTime for a pg_dump target before recording anything: a dump restores only to its own moment', async () => {
    const { action, opsClient } = setup();
    await expect(
      action.handler(context({ targetTime: '2026-12-01T09:30:00Z' })),
    ).rejects.toThrow(
      /^targetTime needs a backup source that restores to a point in time; orders-db is backed up by pg_dump -Fd directories in .*, which restores only to the moment of each backup$/,
    );
    expect(opsClient.created).toEqual([]);
  });

  it('refuses a targetTime in the future', async () => {
    const { action, opsClient } = setup();
    await expect(
      action.handler(context({ targetTime: '2999-01-01T00:00:00Z' })),
    ).rejects.toThrow(
      'targetTime 2999-01-01T00:00:00Z is in the future; a restore can only reach a moment that has passed',
    );
    expect(opsClient.created).toEqual([]);
  });
});
