import { BackupManifest } from '../backup/manifest';
import {
  compareCheckResult,
  compareObjects,
  compareRowCounts,
  compareSamples,
  compareStableRows,
  compareWithManifest,
  quoteTable,
  samplePercent,
} from './verification';

describe('compareRowCounts', () => {
  it('reports a different count as drift since the backup, not as a failure', () => {
    expect(
      compareRowCounts(
        new Map([
          ['public.orders', '1000'],
          ['public.users', '20'],
          ['public.sessions', '3'],
        ]),
        new Map([
          ['public.orders', '990'],
          ['public.users', '20'],
          ['public.sessions', '4'],
        ]),
      ),
    ).toEqual([
      {
        name: 'row count of public.orders',
        passed: true,
        expected: '1000',
        actual: '990 (drift since the backup: +10 rows on the source)',
      },
      {
        name: 'row count of public.sessions',
        passed: true,
        expected: '3',
        actual: '4 (drift since the backup: -1 row on the source)',
      },
      {
        name: 'row count of public.users',
        passed: true,
        expected: '20',
        actual: '20',
      },
    ]);
  });

  it('fails a table missing from the copy, and reports one dropped since as drift', () => {
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
        passed: true,
        expected: 'absent',
        actual: '7 (drift since the backup: not on the source now)',
      },
    ]);
  });
});

describe('compareObjects', () => {
  it('fails every index missing from the copy, naming it', () => {
    expect(
      compareObjects({
        kind: 'index',
        reference: ['public.orders_pkey', 'public.orders_placed_at'],
        restored: ['public.orders_pkey'],
        against: 'source',
      }),
    ).toEqual([
      {
        name: 'index public.orders_placed_at',
        passed: false,
        expected: 'present, as on the source',
        actual: 'absent',
        failure:
          'index public.orders_placed_at is missing from the restored copy',
      },
    ]);
  });

  it('reports objects only in the copy as drift against the source, as a failure against the manifest', () => {
    const both = {
      kind: 'sequence' as const,
      reference: ['public.orders_id_seq'],
      restored: ['public.orders_id_seq', 'public.old_seq'],
    };
    expect(compareObjects({ ...both, against: 'source' })).toEqual([
      {
        name: 'sequences present',
        passed: true,
        expected: '1, as on the source',
        actual:
          '1 present: public.orders_id_seq; 1 only in the copy (drift since the backup: public.old_seq not on the source now)',
      },
    ]);
    expect(compareObjects({ ...both, against: 'manifest' })).toEqual([
      expect.objectContaining({
        passed: false,
        failure:
          "the restored copy has sequences the backup's manifest does not list: public.old_seq",
      }),
      {
        name: 'sequences present',
        passed: true,
        expected: "1, as on the backup's manifest",
        actual: '1 present: public.orders_id_seq',
      },
    ]);
  });
});

describe('compareWithManifest', () => {
  const manifest: BackupManifest = {
    version: 1,
    database: 'orders',
    snapshotTime: '2026-12-02T10:00:00.000Z',
    tables: [
      { table: 'billing.invoices', rows: '100', checksum: '-42' },
      { table: 'public.orders', rows: '5', checksum: '7' },
      { table: 'public.users', rows: '2', checksum: '9' },
    ],
    indexes: ['public.orders_pkey'],
    sequences: [],
  };
  const contents = (
    tables: Array<[string, string, string]>,
    indexes = ['public.orders_pkey'],
  ) => ({
    tables: [],
    contents: new Map(
      tables.map(([table, rows, checksum]) => [table, { rows, checksum }]),
    ),
    indexes,
    sequences: [],
  });

  it('passes a copy equal to the manifest', () => {
    const items = compareWithManifest(
      manifest,
      contents([
        ['billing.invoices', '100', '-42'],
        ['public.orders', '5', '7'],
        ['public.users', '2', '9'],
      ]),
    );
    expect(items.every(item => item.passed)).toBe(true);
    expect(items[0]).toEqual({
      name: 'rows of billing.invoices',
      passed: true,
      expected: '100 rows, checksum -42',
      actual: '100 rows, checksum -42',
    });
  });

  it('fails an emptied table, changed rows, a missing table and a missing index, naming each', () => {
    const failures = compareWithManifest(
      manifest,
      contents(
        [
          ['billing.invoices', '0', '0'],
          ['public.orders', '5', '8'],
        ],
        [],
      ),
    )
      .filter(item => !item.passed)
      .map(item => item.failure);
    expect(failures).toEqual([
      "billing.invoices: the restored copy has 0 rows, the backup's manifest 100",
      "public.orders: the restored rows differ from the backup's manifest (5 rows as listed, checksum 8 instead of 7)",
      "public.users is missing from the restored copy (the backup's manifest lists 2 rows)",
      'index public.orders_pkey is missing from the restored copy',
    ]);
  });
});

describe('compareStableRows', () => {
  const description = 'created_at before 2026-12-02T09:59:00.000Z';
  it('passes equal stable rows', () => {
    expect(
      compareStableRows({
        table: 'billing.invoices',
        description,
        source: { rows: '10', checksum: '5' },
        restored: { rows: '10', checksum: '5' },
      }),
    ).toEqual({
      name: 'stable rows of billing.invoices',
      passed: true,
      expected: `10 rows with ${description}, as on the source`,
      actual: '10 rows, equal',
    });
  });

  it('fails missing or changed stable rows, naming the table and the rule', () => {
    expect(
      compareStableRows({
        table: 'billing.invoices',
        description,
        source: { rows: '10', checksum: '5' },
        restored: { rows: '0', checksum: '0' },
      }).failure,
    ).toBe(
      `stable rows of billing.invoices (${description}): the restored copy has 0, the source 10; these rows predate the backup`,
    );
    expect(
      compareStableRows({
        table: 'billing.invoices',
        description,
        source: { rows: '10', checksum: '5' },
        restored: { rows: '10', checksum: '6' },
      }),
    ).toEqual(
      expect.objectContaining({
        passed: false,
        actual: '10 rows, with different contents',
      }),
    );
  });

  it('fails a rule it cannot evaluate, and reports an empty append-only copy as drift', () => {
    expect(
      compareStableRows({
        table: 'audit.events',
        error: 'column r.at does not exist',
      }),
    ).toEqual(
      expect.objectContaining({
        passed: false,
        failure:
          'stable rows of audit.events could not be compared: column r.at does not exist',
      }),
    );
    expect(compareStableRows({ table: 'audit.events' }).passed).toBe(true);
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

  it('reports changed and deleted rows as drift, naming at most three keys', () => {
    const result = compareSamples('public.orders', [
      { key: 'id=1', restored: 'a', source: 'x' },
      { key: 'id=2', restored: 'b' },
      { key: 'id=3', restored: 'c', source: 'c' },
      { key: 'id=4', restored: 'd', source: 'y' },
      { key: 'id=5', restored: 'e', source: 'z' },
    ]);
    expect(result).toEqual({
      name: 'sampled rows of public.orders',
      passed: true,
      expected: '5 rows equal to the source',
      actual:
        '1 equal; 4 differ, drift since the backup: id=1 changed, id=2 deleted on the source, id=4 changed and 1 more',
    });
  });

  it('fails when a stable row differs', () => {
    expect(
      compareSamples('billing.invoices', [
        { key: 'id=1', restored: 'a', source: 'x', stable: false },
        { key: 'id=2', restored: 'b', stable: true },
      ]),
    ).toEqual({
      name: 'sampled rows of billing.invoices',
      passed: false,
      expected: '2 rows equal to the source',
      actual: '0 equal; stable rows differ: id=2 deleted on the source',
      failure:
        'sampled rows of billing.invoices: 1 of 2 are stable rows that differ from the source (id=2 deleted on the source)',
    });
  });
});

describe('compareCheckResult', () => {
  const check = { name: 'users', sql: 'SELECT count(*) FROM users' };

  it('compares the restored result with the source when nothing is expected, a difference being drift', () => {
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
    ).toEqual({
      name: 'check users',
      passed: true,
      expected: '[["20"]]',
      actual: '[["19"]] (drift since the backup: the source\'s differs)',
    });
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
