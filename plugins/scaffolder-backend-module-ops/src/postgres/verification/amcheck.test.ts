import { amcheckVerifications, parseAmcheckOutput } from './amcheck';

// As pg_amcheck 15 prints its findings.
const REPORT = `heap table "orders.public.orders", block 0, offset 3:
    line pointer redirection to item at offset 21840 exceeds maximum offset 38
heap table "orders.public.orders", block 0, offset 4:
    line pointer to page offset 21840 is not maximally aligned
btree index "orders.public.orders_pkey":
    ERROR:  item order invariant violated for index "orders_pkey"
    DETAIL:  Lower index tid=(1,2) (points to heap tid=(0,2)) higher index tid=(1,3)
heap table "orders.billing.Invoice Lines":
    ERROR:  invalid page in block 0 of relation base/16384/16390
`;

describe('parseAmcheckOutput', () => {
  it('reads the relation, where and what of each finding', () => {
    expect(parseAmcheckOutput(REPORT)).toEqual([
      {
        kind: 'heap table',
        relation: 'public.orders',
        location: 'block 0, offset 3',
        problem:
          'line pointer redirection to item at offset 21840 exceeds maximum offset 38',
      },
      {
        kind: 'heap table',
        relation: 'public.orders',
        location: 'block 0, offset 4',
        problem: 'line pointer to page offset 21840 is not maximally aligned',
      },
      {
        kind: 'btree index',
        relation: 'public.orders_pkey',
        problem:
          'ERROR: item order invariant violated for index "orders_pkey" DETAIL: Lower index tid=(1,2) (points to heap tid=(0,2)) higher index tid=(1,3)',
      },
      {
        kind: 'heap table',
        relation: 'billing.Invoice Lines',
        problem: 'ERROR: invalid page in block 0 of relation base/16384/16390',
      },
    ]);
    expect(parseAmcheckOutput('')).toEqual([]);
  });
});

describe('amcheckVerifications', () => {
  it('fails once per relation, naming it and its first problem', () => {
    const items = amcheckVerifications(parseAmcheckOutput(REPORT));
    expect(items.map(item => item.failure)).toEqual([
      'pg_amcheck found corruption in heap table public.orders: block 0, offset 3: line pointer redirection to item at offset 21840 exceeds maximum offset 38 (and 1 more)',
      'pg_amcheck found corruption in btree index public.orders_pkey: ERROR: item order invariant violated for index "orders_pkey" DETAIL: Lower index tid=(1,2) (points to heap tid=(0,2)) higher index tid=(1,3)',
      'pg_amcheck found corruption in heap table billing.Invoice Lines: ERROR: invalid page in block 0 of relation base/16384/16390',
    ]);
    expect(items.every(item => !item.passed)).toBe(true);
  });

  it('passes a clean copy', () => {
    expect(amcheckVerifications([])).toEqual([
      {
        name: 'pg_amcheck (heap and btree)',
        passed: true,
        expected: 'no corruption',
        actual: 'no corruption found',
      },
    ]);
  });
});
