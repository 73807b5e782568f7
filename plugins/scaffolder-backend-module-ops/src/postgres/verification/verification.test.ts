import {
  compareCheckResult,
  compareRowCounts,
  compareSamples,
  quoteTable,
  samplePercent,
} from './verification';

describe('compareRowCounts', () => {
  it('passes equal counts and names the table and both counts otherwise', () => {
    expect(
      compareRowCounts(
        new Map([
          ['public.orders', '1000'],
          ['public.users', '20'],
        ]),
        new Map([
          ['public.orders', '990'],
          ['public.users', '20'],
        ]),
      ),
    ).toEqual([
      {
        name: 'row count of public.orders',
        passed: false,
        expected: '1000',
        actual: '990',
        failure: 'row count of public.orders: restored 990, source 1000',
      },
      {
        name: 'row count of public.users',
        passed: true,
        expected: '20',
        actual: '20',
      },
    ]);
  });

  it('fails a table that is on one side only', () => {
    expect(
      compareRowCounts(
        new Map([['public.payments', '5']]),
        new Map([['public.tmp_import', '7']]),
      ),
    ).toEqual([
      {
        name: 'row count of public.payments',
        passed: false,
        expected: '5',
        actual: 'absent',
        failure:
          'public.payments is missing from the restored copy (source has 5 rows)',
      },
      {
        name: 'row count of public.tmp_import',
        passed: false,
        expected: 'absent',
        actual: '7',
        failure:
          'public.tmp_import exists in the restored copy but not on the source',
      },
    ]);
  });
});

describe('compareSamples', () => {
  it('passes when every sampled row has the checksum of the source', () => {
    expect(
      compareSamples('public.orders', [
        { key: 'id=1', restored: 'a', source: 'a' },
        { key: 'id=2', restored: 'b', source: 'b' },
      ]),
    ).toEqual({
      name: 'sampled rows of public.orders',
      passed: true,
      expected: '2 rows equal to the source',
      actual: '2 equal',
    });
  });

  it('names the keys of differing and missing rows, at most three', () => {
    const result = compareSamples('public.orders', [
      { key: 'id=1', restored: 'a', source: 'x' },
      { key: 'id=2', restored: 'b' },
      { key: 'id=3', restored: 'c', source: 'c' },
      { key: 'id=4', restored: 'd', source: 'y' },
      { key: 'id=5', restored: 'e', source: 'z' },
    ]);
    expect(result).toEqual({
      name: 'sampled rows of public.orders',
      passed: false,
      expected: '5 rows equal to the source',
      actual:
        '1 equal; id=1 differs, id=2 missing on the source, id=4 differs and 1 more',
      failure:
        'sampled rows of public.orders: 4 of 5 differ from the source (id=1 differs, id=2 missing on the source, id=4 differs and 1 more)',
    });
  });
});

describe('compareCheckResult', () => {
  const check = { name: 'users', sql: 'SELECT count(*) FROM users' };

  it('compares the restored result with the source when nothing is expected', () => {
    expect(
      compareCheckResult(check, { rows: [['20']] }, { rows: [['20']] }),
    ).toEqual({
      name: 'check users',
      passed: true,
      expected: '[["20"]]',
      actual: '[["20"]]',
    });
    expect(
      compareCheckResult(check, { rows: [['19']] }, { rows: [['20']] }),
    ).toEqual(
      expect.objectContaining({
        passed: false,
        failure:
          'check users: restored copy returned [["19"]], source [["20"]]',
      }),
    );
  });

  it('compares the first value with the expected literal', () => {
    const expecting = { ...check, expect: '20' };
    expect(compareCheckResult(expecting, { rows: [[20, 'x']] })).toEqual({
      name: 'check users',
      passed: true,
      expected: '20',
      actual: '20',
    });
    expect(compareCheckResult(expecting, { rows: [] })).toEqual(
      expect.objectContaining({
        passed: false,
        actual: '(no rows)',
        failure: 'check users: restored copy returned (no rows), expected 20',
      }),
    );
    expect(compareCheckResult(expecting, { rows: [[null]] }).actual).toBe(
      'NULL',
    );
  });

  it('fails a check that errors, on either side', () => {
    expect(
      compareCheckResult(check, {
        error: 'cannot execute INSERT in a read-only transaction',
      }),
    ).toEqual(
      expect.objectContaining({
        passed: false,
        actual: 'error: cannot execute INSERT in a read-only transaction',
      }),
    );
    expect(
      compareCheckResult(
        check,
        { rows: [['1']] },
        { error: 'relation "users" does not exist' },
      ),
    ).toEqual(
      expect.objectContaining({
        passed: false,
        failure:
          'check users failed on the source: relation "users" does not exist',
      }),
    );
  });
});

describe('samplePercent', () => {
  it('reads four times the pages the wanted rows need, at least a millionth', () => {
    // 10 rows of 6,500,000 with a margin of 4: 40 / 6,500,000 = 0.000615 %.
    expect(samplePercent(10, 6_500_000)).toBeCloseTo(0.000615, 6);
    expect(samplePercent(10, 4_000)).toBe(1);
    expect(samplePercent(1, 10 ** 12)).toBe(0.0001);
  });

  it('reads the whole table when the sample would be most of it, or it is empty', () => {
    expect(samplePercent(10, 40)).toBe(100);
    expect(samplePercent(10, 5)).toBe(100);
    expect(samplePercent(10, 0)).toBe(100);
    expect(samplePercent(0, 100)).toBe(100);
  });
});

describe('quoteTable', () => {
  it('quotes catalog names as identifiers', () => {
    expect(quoteTable({ schema: 'billing', name: 'Invoice "Lines"' })).toBe(
      '"billing"."Invoice ""Lines"""',
    );
  });
});
