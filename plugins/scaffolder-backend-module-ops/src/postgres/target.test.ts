import { ConfigReader } from '@backstage/config';
import { resolveDrillTarget } from './target';
import { serviceWithDatabases } from '../testUtils/entities';

const entity = (databases?: string) =>
  serviceWithDatabases('orders-api', databases);

const target = {
  primary: { host: 'db', database: 'orders', user: 'drill' },
  backup: { format: 'custom', directory: '/var/backups/orders' },
  entities: ['component:default/orders-api'],
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

  describe('binding (ops.databases.<name>.entities / owners)', () => {
    const bound = new ConfigReader({
      ops: {
        databases: {
          'payments-db': { ...target, entities: ['payments-api'] },
          'ledger-db': { ...target, entities: undefined, owners: ['team-a'] },
          'legacy-db': { ...target, entities: undefined },
        },
      },
    });

    it('refuses an entity registered by someone else that names a target bound to another', () => {
      const rogue = serviceWithDatabases('rogue-api', 'payments-db', 'guests');
      expect(() =>
        resolveDrillTarget({
          entity: rogue,
          target: 'payments-db',
          config: bound,
        }),
      ).toThrow(
        "component:default/rogue-api is not bound to the database target 'payments-db': neither it nor its owner group:default/guests is named in ops.databases.payments-db.entities or ops.databases.payments-db.owners",
      );
      expect(() =>
        resolveDrillTarget({
          entity: rogue,
          target: 'payments-db',
          config: bound,
        }),
      ).toThrow(expect.objectContaining({ name: 'NotAllowedError' }));
    });

    it('resolves for the bound entity, by ref or by owner', () => {
      expect(
        resolveDrillTarget({
          entity: serviceWithDatabases('payments-api', 'payments-db'),
          target: 'payments-db',
          config: bound,
        }).name,
      ).toBe('payments-db');
      expect(
        resolveDrillTarget({
          entity: serviceWithDatabases('billing-api', 'ledger-db', 'team-a'),
          target: 'ledger-db',
          config: bound,
        }).name,
      ).toBe('ledger-db');
    });

    it('refuses every entity for a target bound to none, telling the admin what to add', () => {
      expect(() =>
        resolveDrillTarget({
          entity: serviceWithDatabases('payments-api', 'legacy-db'),
          target: 'legacy-db',
          config: bound,
        }),
      ).toThrow(
        "The database target 'legacy-db' is bound to no entity, so component:default/payments-api may not use it: an admin must name the entities allowed to use it in ops.databases.legacy-db.entities (entity refs) or ops.databases.legacy-db.owners (owning groups)",
      );
    });
  });
});
