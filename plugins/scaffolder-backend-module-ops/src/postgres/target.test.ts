import { ConfigReader } from '@backstage/config';
import { resolveDrillTarget } from './target';
import { serviceWithDatabases } from '../testUtils/entities';

const entity = (databases?: string) =>
  serviceWithDatabases('orders-api', databases);

const target = {
  primary: { host: 'db', database: 'orders', user: 'drill' },
  backup: { format: 'custom', directory: '/var/backups/orders' },
};
const config = new ConfigReader({
  ops: { databases: { 'orders-db': target, 'billing-db': target } },
});

describe('resolveDrillTarget', () => {
  it('resolves a target the entity names and an admin configured', () => {
    expect(
      resolveDrillTarget({
        entity: entity('orders-db, billing-db'),
        target: 'billing-db',
        config,
      }).name,
    ).toBe('billing-db');
  });

  it('refuses a configured target the entity does not name', () => {
    expect(() =>
      resolveDrillTarget({
        entity: entity('orders-db'),
        target: 'billing-db',
        config,
      }),
    ).toThrow(
      "'billing-db' is not a database target of component:default/orders-api; its opsdeck.dev/databases annotation names orders-db",
    );
  });

  it('refuses when the entity names no targets at all', () => {
    expect(() =>
      resolveDrillTarget({ entity: entity(), target: 'orders-db', config }),
    ).toThrow(
      'component:default/orders-api names no database targets; add the annotation opsdeck.dev/databases',
    );
  });

  it('refuses a target the entity names but nobody configured', () => {
    expect(() =>
      resolveDrillTarget({
        entity: entity('orders-db, users-db'),
        target: 'users-db',
        config,
      }),
    ).toThrow(
      "The database target 'users-db' of component:default/orders-api is not configured: ask an admin to add ops.databases.users-db to the app-config (configured targets: orders-db, billing-db)",
    );
  });

  it('refuses with an InputError, so the template shows it as the user’s mistake', () => {
    expect(() =>
      resolveDrillTarget({ entity: entity(), target: 'x', config }),
    ).toThrow(expect.objectContaining({ name: 'InputError' }));
  });
});
