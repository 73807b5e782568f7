import { TestDatabases } from '@backstage/backend-test-utils';
import { isUniqueViolation } from './errors';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

/** What a promise rejected with. */
async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => undefined,
    error => error,
  );
}

describe.each(databases.eachSupportedId())('isUniqueViolation on %s', id => {
  it('recognises a duplicate key, primary or unique, and nothing else', async () => {
    const knex = await databases.init(id);
    await knex.schema.createTable('t', table => {
      table.string('key').primary();
      table.string('name').notNullable().unique();
      table.integer('size').checkPositive();
    });
    await knex('t').insert({ key: 'a', name: 'first', size: 1 });

    const duplicateKey = await rejection(
      knex('t').insert({ key: 'a', name: 'second', size: 1 }),
    );
    const duplicateName = await rejection(
      knex('t').insert({ key: 'b', name: 'first', size: 1 }),
    );
    const missingName = await rejection(
      knex('t').insert({ key: 'c', name: null, size: 1 }),
    );
    const badSize = await rejection(
      knex('t').insert({ key: 'd', name: 'fourth', size: -1 }),
    );

    expect(duplicateKey).toBeDefined();
    expect(isUniqueViolation(duplicateKey)).toBe(true);
    expect(isUniqueViolation(duplicateName)).toBe(true);
    expect(missingName).toBeDefined();
    expect(isUniqueViolation(missingName)).toBe(false);
    expect(badSize).toBeDefined();
    expect(isUniqueViolation(badSize)).toBe(false);
    expect(isUniqueViolation(new Error('UNIQUE constraint failed'))).toBe(
      false,
    );
    expect(isUniqueViolation(undefined)).toBe(false);
  });
});
