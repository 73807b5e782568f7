import fs from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import {
  createMockDirectory,
  mockCredentials,
  mockServices,
} from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { RecordingOpsClient } from '../../testUtils/RecordingOpsClient';
import { serviceWithDatabases } from '../../testUtils/entities';
import { createPostgresBackupDrillAction } from '../backupDrill';
import { createPostgresFailoverAction } from './failover';

// ops.operation.execute guards the PostgreSQL actions before they connect to
// anything, dry runs included; then the permission for what they record.
// The database "servers" of the target are one TCP listener that counts the
// connections it receives and closes them.

const entity = serviceWithDatabases('payments-api', 'payments-db');
// Registered by someone else (the guest can register entities): it names
// payments-db, and its registrant may operate on it.
const rogue = serviceWithDatabases('rogue-api', 'payments-db', 'guests');
const INPUT = {
  entityRef: 'component:default/payments-api',
  target: 'payments-db',
};

describe('the PostgreSQL actions check the operation permission first', () => {
  const mockDir = createMockDirectory();
  let server: net.Server;
  let port: number;
  let connections: number;

  beforeAll(async () => {
    server = net.createServer(socket => {
      connections += 1;
      socket.destroy();
    });
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as net.AddressInfo).port;
  });

  afterAll(async () => {
    await new Promise(resolve => server.close(resolve));
  });

  beforeEach(async () => {
    connections = 0;
    mockDir.setContent({
      bin: { initdb: '', postgres: '', pg_ctl: '', pg_restore: '' },
      backups: {},
      work: {},
    });
    for (const program of ['initdb', 'postgres', 'pg_ctl', 'pg_restore']) {
      await fs.chmod(path.join(mockDir.path, 'bin', program), 0o755);
    }
  });

  function config() {
    const endpoint = {
      host: '127.0.0.1',
      port,
      database: 'payments',
      user: 'app',
      password: 'app-secret',
    };
    return new ConfigReader({
      ops: {
        databases: {
          'payments-db': {
            entities: ['component:default/payments-api'],
            primary: endpoint,
            replicas: [endpoint],
            backup: {
              format: 'directory',
              directory: path.join(mockDir.path, 'backups'),
            },
            scratch: {
              binDir: path.join(mockDir.path, 'bin'),
              runAsUser: 'postgres',
            },
            failover: {
              user: 'failover',
              password: 'failover-secret',
              connectionFile: {
                path: path.join(mockDir.path, 'work', 'payments-db.json'),
              },
            },
          },
        },
      },
    });
  }

  /** A policy that allows everything except the permissions named. */
  function permissionsDenying(...denied: string[]) {
    const asked: string[] = [];
    const permissions = mockServices.permissions.mock({
      authorize: async (requests, options) => {
        expect(options?.credentials).toEqual(mockCredentials.user());
        return requests.map(request => {
          asked.push(
            `${request.permission.name} ${
              (request as { resourceRef?: string }).resourceRef
            }`,
          );
          return {
            result: denied.includes(request.permission.name)
              ? AuthorizeResult.DENY
              : AuthorizeResult.ALLOW,
          };
        });
      },
    });
    return { permissions, asked };
  }

  function context(input: Record<string, unknown> = {}) {
    return createMockActionContext({ input: { ...INPUT, ...input } as any });
  }

  function failover(permissions: ReturnType<typeof permissionsDenying>) {
    const opsClient = new RecordingOpsClient();
    const action = createPostgresFailoverAction({
      config: config(),
      catalog: catalogServiceMock({ entities: [entity, rogue] }),
      permissions: permissions.permissions,
      opsClient,
    });
    return { action, opsClient };
  }

  function backupDrill(permissions: ReturnType<typeof permissionsDenying>) {
    const opsClient = new RecordingOpsClient();
    const action = createPostgresBackupDrillAction({
      config: config(),
      catalog: catalogServiceMock({ entities: [entity, rogue] }),
      permissions: permissions.permissions,
      opsClient,
    });
    return { action, opsClient };
  }

  it('connects to the target in a dry run of an allowed user (the listener sees it)', async () => {
    const { action } = failover(permissionsDenying());
    await action.handler(context({ dryRun: true })).catch(() => {});
    expect(connections).toBeGreaterThan(0);
  });

  it.each([[{}], [{ dryRun: true }]])(
    'refuses a failover %j to a user without ops.operation.execute, before connecting or recording',
    async input => {
      const policy = permissionsDenying('ops.operation.execute');
      const { action, opsClient } = failover(policy);
      await expect(action.handler(context(input))).rejects.toMatchObject({
        name: 'NotAllowedError',
        message:
          'You are not allowed to fail over payments-db for component:default/payments-api: ops.operation.execute on component:default/payments-api is reserved to the members of its owning group and OpsDeck admins',
      });
      expect(policy.asked[0]).toBe(
        'ops.operation.execute component:default/payments-api',
      );
      expect(connections).toBe(0);
      expect(opsClient.calls).toEqual([]);
    },
  );

  it.each([['ops.drill.write'], ['ops.incident.write']])(
    'refuses a failover to a user without %s, the records it writes',
    async denied => {
      const { action, opsClient } = failover(permissionsDenying(denied));
      await expect(
        action.handler(context({ dryRun: true })),
      ).rejects.toMatchObject({
        name: 'NotAllowedError',
        message: expect.stringContaining(
          `${denied} on component:default/payments-api is reserved`,
        ),
      });
      expect(connections).toBe(0);
      expect(opsClient.calls).toEqual([]);
    },
  );

  it.each([[{}], [{ dryRun: true }], [{ takeBackup: true }]])(
    'refuses a backup drill %j to a user without ops.operation.execute, before connecting or recording',
    async input => {
      const policy = permissionsDenying('ops.operation.execute');
      const { action, opsClient } = backupDrill(policy);
      await expect(action.handler(context(input))).rejects.toMatchObject({
        name: 'NotAllowedError',
        message:
          'You are not allowed to drill the backup of payments-db for component:default/payments-api: ops.operation.execute on component:default/payments-api is reserved to the members of its owning group and OpsDeck admins',
      });
      expect(connections).toBe(0);
      expect(opsClient.calls).toEqual([]);
    },
  );

  it('refuses a backup drill to a user without ops.drill.write', async () => {
    const policy = permissionsDenying('ops.drill.write');
    const { action, opsClient } = backupDrill(policy);
    await expect(action.handler(context())).rejects.toMatchObject({
      name: 'NotAllowedError',
      message: expect.stringContaining(
        'ops.drill.write on component:default/payments-api is reserved',
      ),
    });
    expect(policy.asked).toEqual([
      'ops.operation.execute component:default/payments-api',
      'ops.drill.write component:default/payments-api',
    ]);
    expect(connections).toBe(0);
    expect(opsClient.calls).toEqual([]);
  });

  it.each([
    ['failover', {}],
    ['failover', { dryRun: true }],
    ['backup drill', {}],
    ['backup drill', { dryRun: true }],
  ])(
    'refuses a %s %j for an entity that names payments-db without being bound to it, before connecting or recording',
    async (kind, input) => {
      const { action, opsClient } = (
        kind === 'failover' ? failover : backupDrill
      )(permissionsDenying());
      await expect(
        action.handler(
          context({ ...input, entityRef: 'component:default/rogue-api' }),
        ),
      ).rejects.toMatchObject({
        name: 'NotAllowedError',
        message:
          "component:default/rogue-api is not bound to the database target 'payments-db': neither it nor its owner group:default/guests is named in ops.databases.payments-db.entities or ops.databases.payments-db.owners",
      });
      expect(connections).toBe(0);
      expect(opsClient.calls).toEqual([]);
    },
  );
});
