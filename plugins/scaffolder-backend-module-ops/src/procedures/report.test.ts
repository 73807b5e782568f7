import { cell, renderDrillReport, DrillReportInput } from './report';

const base: DrillReportInput = {
  target: 'orders-db',
  entityRef: 'component:default/orders-api',
  status: 'passed',
  startedAt: new Date('2026-11-24T09:00:00Z'),
  finishedAt: new Date('2026-11-24T09:00:12Z'),
  backup: {
    path: '/var/backups/orders/orders-20261124T084500Z',
    format: 'directory',
    createdAt: new Date('2026-11-24T08:45:00Z'),
    createdAtSource: 'archive header',
    database: 'orders',
  },
  steps: [
    {
      name: 'Restore',
      status: 'succeeded',
      startedAt: new Date('2026-11-24T09:00:02Z'),
      finishedAt: new Date('2026-11-24T09:00:09.5Z'),
      output: 'pg_restore -j 4 into orders in 7.5 s',
    },
    {
      name: 'Verify',
      status: 'skipped',
      startedAt: new Date('2026-11-24T09:00:09.5Z'),
      finishedAt: new Date('2026-11-24T09:00:09.5Z'),
      output: 'Not run: Restore failed',
    },
  ],
  rtoSeconds: 8.25,
  rpoSeconds: 900,
  objectives: { rtoSeconds: 3600, rpoSeconds: 900 },
  verification: [
    {
      name: 'row count of public.orders',
      passed: true,
      expected: '1000',
      actual: '1000',
    },
    {
      name: 'check notes',
      passed: false,
      expected: 'a|b',
      actual: 'a\nc',
    },
  ],
  outcome: {
    passed: false,
    reasons: ['check notes: restored copy returned a c, source a|b'],
  },
};

describe('renderDrillReport', () => {
  it('renders the objectives, the steps and the verification as tables', () => {
    expect(renderDrillReport(base))
      .toBe(`## Backup-restore drill of orders-db: PASSED

Entity \`component:default/orders-api\`, started 2026-11-24T09:00:00.000Z, finished 2026-11-24T09:00:12.000Z.

Backup \`/var/backups/orders/orders-20261124T084500Z\` (directory format, database orders), taken 2026-11-24T08:45:00.000Z per its archive header.

### Recovery objectives

| | measured | objective | within |
| --- | --- | --- | --- |
| RTO (scratch instance + restore) | 8.3 s | 1 h | ✅ |
| RPO exposure (age of the backup) | 15 min | 15 min | ✅ |

### Why it did not pass

- check notes: restored copy returned a c, source a|b

### Steps

| step | status | duration | output |
| --- | --- | --- | --- |
| Restore | ✅ succeeded | 7.5 s | pg_restore -j 4 into orders in 7.5 s |
| Verify | ⏭ skipped |  | Not run: Restore failed |

### Verification

1 of 2 passed.

| verification | result | expected (manifest or source) | actual (restored) |
| --- | --- | --- | --- |
| check notes | ❌ | a\\|b | a c |
| row count of public.orders | ✅ | 1000 | 1000 |
`);
  });

  it('marks unmeasured and exceeded objectives', () => {
    const report = renderDrillReport({
      ...base,
      rtoSeconds: undefined,
      rpoSeconds: 86400,
    });
    expect(report).toContain(
      '| RTO (scratch instance + restore) | not measured | 1 h | ❌ |',
    );
    expect(report).toContain(
      '| RPO exposure (age of the backup) | 24 h | 15 min | ❌ |',
    );
  });

  it('lists failures first and summarises a long tail of passed verifications', () => {
    const many = Array.from({ length: 250 }, (_, index) => ({
      name: `row count of public.t${index}`,
      passed: true,
      expected: '1',
      actual: '1',
    }));
    const report = renderDrillReport({
      ...base,
      verification: [...many, base.verification[1]],
    });
    expect(report).toContain('250 of 251 passed.');
    expect(report).toContain('… and 50 more passed.');
    expect(report.indexOf('| check notes |')).toBeLessThan(
      report.indexOf('| row count of public.t0 |'),
    );
    expect(report).not.toContain('public.t200 ');
  });

  it('says so when nothing was verified, and leaves out an unknown backup', () => {
    const report = renderDrillReport({
      ...base,
      backup: undefined,
      verification: [],
    });
    expect(report).toContain('### Verification\n\nNothing was verified.');
    expect(report).not.toContain('Backup `');
  });
});

describe('cell', () => {
  it('keeps a value on one line and inside its cell', () => {
    expect(cell('a | b\nc\\d')).toBe('a \\| b c\\\\d');
    expect(cell(undefined)).toBe('');
  });
});
