import { ConfigReader } from '@backstage/config';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { createDatabaseEngineAction } from './targetEngine';
import { serviceWithDatabases } from '../../testUtils/entities';

// ops:database:engine: what the drill template's `if:` reads to run the
// engine's own action, and the same refusals as the operations.

const maintenance = serviceWithDatabases(
  'maintenance-api',
  'maintenance-db, orders-db, billing-db, oracle-db, payments-db',
);

function action() {
  return createDatabaseEngineAction({
    config: new ConfigReader({
      ops: {
        databases: {
          'maintenance-db': {
            engine: 'mysql',
            entities: ['component:default/maintenance-api'],
            primary: { host: 'db', database: 'maintenance', user: 'drill' },
            backup: { directory: '/var/backups/maintenance' },
          },
          'orders-db': {
            entities: ['component:default/maintenance-api'],
            primary: { host: 'pg', database: 'orders', user: 'drill' },
            backup: { format: 'directory', directory: '/var/backups/orders' },
          },
          'oracle-db': {
            engine: 'oracle',
            entities: ['component:default/maintenance-api'],
            primary: { host: 'ora', database: 'x', user: 'drill' },
          },
          // Bound to another service only.
          'payments-db': {
            engine: 'mysql',
            entities: ['component:default/payments-api'],
            primary: { host: 'pay', database: 'payments', user: 'drill' },
            backup: { directory: '/var/backups/payments' },
          },
        },
      },
    }),
    catalog: catalogServiceMock({ entities: [maintenance] }),
  });
}

async function engineOf(target: string, extra: Record<string, unknown> = {}) {
  const ctx = createMockActionContext({
    input: { entityRef: 'component:default/maintenance-api', target },
    ...extra,
  });
  await action().handler(ctx);
  return ctx;
}

describe('ops:database:engine', () => {
  it('answers mysql for a MySQL/MariaDB target', async () => {
    const ctx = await engineOf('maintenance-db');
    expect(ctx.output).toHaveBeenCalledWith('engine', 'mysql');
  });

  it('answers postgres for a target without engine', async () => {
    const ctx = await engineOf('orders-db');
    expect(ctx.output).toHaveBeenCalledWith('engine', 'postgres');
  });

  it('answers in a dry run too, so the template can be tried', async () => {
    const ctx = await engineOf('maintenance-db', { isDryRun: true });
    expect(ctx.output).toHaveBeenCalledWith('engine', 'mysql');
  });

  it('refuses a target bound to another service', async () => {
    await expect(engineOf('payments-db')).rejects.toThrow(
      /payments-db.*component:default\/payments-api|component:default\/maintenance-api.*payments-db/,
    );
  });

  it('refuses a target the entity names but no admin configured', async () => {
    await expect(engineOf('billing-db')).rejects.toThrow(
      "The database target 'billing-db' of component:default/maintenance-api is not configured",
    );
  });

  it('refuses a target the entity does not name', async () => {
    await expect(engineOf('users-db')).rejects.toThrow(
      "'users-db' is not a database target of component:default/maintenance-api",
    );
  });

  it('refuses an unknown engine, naming its config key', async () => {
    await expect(engineOf('oracle-db')).rejects.toThrow(
      "ops.databases.oracle-db.engine: 'oracle' is not one of 'postgres', 'mysql' (MariaDB targets are 'mysql')",
    );
  });

  it('refuses an entity the user cannot read', async () => {
    const ctx = createMockActionContext({
      input: { entityRef: 'component:default/unknown', target: 'orders-db' },
    });
    await expect(action().handler(ctx)).rejects.toThrow(
      'No entity component:default/unknown in the catalog, or you may not read it',
    );
  });
});
