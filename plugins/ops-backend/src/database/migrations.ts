import {
  DatabaseService,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import { Knex } from 'knex';

const migrationsDir = resolvePackagePath(
  '@opsdeck/plugin-ops-backend',
  'migrations',
);

const migrated = new WeakMap<DatabaseService, Promise<Knex>>();

/**
 * The plugin's database client with the package's migrations applied (unless
 * `database.migrations.skip`). Applied once per database service: the plugin
 * calls it first and every store's `create` gets the same client back.
 */
export function applyMigrations(database: DatabaseService): Promise<Knex> {
  let client = migrated.get(database);
  if (!client) {
    client = (async () => {
      const knex = await database.getClient();
      if (!database.migrations?.skip) {
        await knex.migrate.latest({ directory: migrationsDir });
      }
      return knex;
    })();
    // A failed attempt is not remembered: the next caller tries again.
    client.catch(() => migrated.delete(database));
    migrated.set(database, client);
  }
  return client;
}
