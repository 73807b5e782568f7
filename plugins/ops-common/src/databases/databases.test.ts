import { databaseTargetsOf, parseDatabasesAnnotation } from './databases';

describe('parseDatabasesAnnotation', () => {
  it.each([
    ['payments-db', ['payments-db']],
    ['orders-db, billing-db', ['orders-db', 'billing-db']],
    [
      ' orders-db, billing-db  users-db,',
      ['orders-db', 'billing-db', 'users-db'],
    ],
    ['orders-db\nbilling-db', ['orders-db', 'billing-db']],
    ['orders-db, orders-db', ['orders-db']],
    ['  ', []],
    [',', []],
    ['', []],
    [undefined, []],
  ])('reads %j as %j', (value, expected) => {
    expect(parseDatabasesAnnotation(value)).toEqual(expected);
  });
});

describe('databaseTargetsOf', () => {
  it("reads the entity's opsdeck.dev/databases annotation", () => {
    expect(
      databaseTargetsOf({
        metadata: {
          annotations: {
            'opsdeck.dev/databases': 'orders-db, billing-db',
            'opsdeck.dev/prometheus': 'default',
          },
        },
      }),
    ).toEqual(['orders-db', 'billing-db']);
    expect(databaseTargetsOf({ metadata: {} })).toEqual([]);
  });
});
