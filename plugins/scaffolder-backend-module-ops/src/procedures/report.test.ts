import { cell, renderDrillReport, DrillReportInput } from './report';

// 836 s, as the Drills card writes it (ops-common's formatDuration), worked
// out here by hand: 13 whole minutes and 56 seconds.
const RPO_836 = `${Math.floor(836 / 60)}m ${836 % 60}s`;

const passed: DrillReportInput = {
  target: 'orders-db',
  entityRef: 'component:default/orders-api',
  status: 'passed',
  startedAt: new Date('2026-11-24T09:00:00Z'),
  finishedAt: new Date('2026-11-24T09:00:12Z'),
  backup: {
    summary:
      '/var/lib/opsdeck/backups/orders/orders-20261124T084500Z.dump, taken 2026-11-24T08:45:00.000Z (per its archive header), database orders',
  },
  steps: [
    {
      name: 'Create scratch instance',
      status: 'succeeded',
      startedAt: new Date('2026-11-24T09:00:00.250Z'),
      finishedAt: new Date('2026-11-24T09:00:02Z'),
      output:
        'Copied the template cluster and started it: /tmp/opsdeck-drill-0123456789ab-Qx1a2B/data, listening on 127.0.0.1:54321',
    },
    {
      name: 'Restore',
      status: 'succeeded',
      startedAt: new Date('2026-11-24T09:00:02Z'),
      finishedAt: new Date('2026-11-24T09:00:09.5Z'),
      output:
        'pg_restore -j 4 of /var/lib/opsdeck/backups/orders/orders-20261124T084500Z.dump in 7.5s',
    },
    {
      name: 'Clean up',
      status: 'succeeded',
      startedAt: new Date('2026-11-24T09:00:11Z'),
      finishedAt: new Date('2026-11-24T09:00:12Z'),
      output:
        'Nothing left: no process runs from /tmp/opsdeck-drill-0123456789ab-Qx1a2B; /tmp/opsdeck-drill-0123456789ab-Qx1a2B removed',
    },
  ],
  rtoSeconds: 8.25,
  rpoSeconds: 836,
  objectives: { rtoSeconds: 3600, rpoSeconds: 900 },
  verification: [
    {
      name: 'row count of public.orders',
      passed: true,
      expected: '1002',
      actual: '1000 (drift since the backup: +2 rows on the source)',
    },
    {
      name: 'sampled rows of public.orders',
      passed: true,
      expected: '5 rows equal to the source',
      actual: '5 equal',
    },
    {
      name: 'row count of public.customers',
      passed: true,
      expected: '40',
      actual: '40',
    },
    {
      name: 'indexes present',
      passed: true,
      expected: '3, as on the source',
      actual: '3 present',
    },
    {
      name: 'check totals',
      passed: true,
      expected: '12',
      actual: '12',
    },
  ],
  outcome: { passed: true, reasons: [] },
};

const backupFailure: DrillReportInput = {
  ...passed,
  status: 'failed',
  verification: [
    ...passed.verification,
    {
      name: 'check notes',
      passed: false,
      expected: 'a|b',
      actual: 'a\nc',
      failure: 'check notes: the restored copy returned a c, the source a|b',
    },
  ],
  outcome: {
    passed: false,
    reasons: ['check notes: the restored copy returned a c, the source a|b'],
  },
};

const infrastructureFailure: DrillReportInput = {
  ...passed,
  status: 'failed',
  rtoSeconds: undefined,
  steps: [
    {
      name: 'Create scratch instance',
      status: 'failed',
      startedAt: new Date('2026-11-24T09:00:00Z'),
      finishedAt: new Date('2026-11-24T09:00:01Z'),
      output:
        'initdb: could not create directory "/tmp/opsdeck-drill-0123456789ab-Qx1a2B/data": No space left on device',
    },
    {
      name: 'Restore',
      status: 'skipped',
      startedAt: new Date('2026-11-24T09:00:01Z'),
      finishedAt: new Date('2026-11-24T09:00:01Z'),
      output: 'Not run: Create scratch instance failed',
    },
  ],
  verification: [],
  outcome: {
    passed: false,
    reasons: [
      `Create scratch instance failed (the drill's own infrastructure failed, not the backup): initdb: could not create directory "/tmp/opsdeck-drill-0123456789ab-Qx1a2B/data": No space left on device`,
    ],
  },
  failureKind: 'infrastructure',
};

/** Whatever looks like an absolute path: a slash after a space, quote, bracket or line start. */
const ABSOLUTE_PATH = /(^|[\s"'(`:=])\/[\w.-]/m;

function tables(report: string): number {
  // A Markdown table is a header row followed by its delimiter row.
  return report
    .split('\n')
    .filter(line => /^\| (:?-+:? \| )+$/.test(`${line} `)).length;
}

describe('renderDrillReport', () => {
  it.each([
    ['a pass', passed, 'PASSED'],
    ['a backup failure', backupFailure, 'FAILED (backup failure)'],
    [
      'an infrastructure failure',
      infrastructureFailure,
      'FAILED (infrastructure failure, not the backup)',
    ],
  ])(
    'opens %s with its verdict, then RTO and RPO in the card units, and names no path',
    (_, input, verdict) => {
      const report = renderDrillReport(input);
      const [first, , figures] = report.split('\n');
      expect(first).toBe(`## ${verdict}: backup-restore drill of orders-db`);
      expect(figures).toContain(`RPO ${RPO_836} / 15m ✓`);
      expect(report).not.toContain('/tmp');
      expect(report).not.toMatch(ABSOLUTE_PATH);
      expect(tables(report)).toBeLessThanOrEqual(1);
    },
  );

  it('writes RTO as the record holds it, rounded up, and names the backup by its file name', () => {
    const report = renderDrillReport(passed);
    expect(report).toContain(`RTO 9s / 1h ✓ · RPO ${RPO_836} / 15m ✓`);
    expect(report).toContain(
      'Backup orders-20261124T084500Z.dump, taken 2026-11-24T08:45:00.000Z',
    );
    expect(report).toContain(
      '- **Create scratch instance** (1.8s): Copied the template cluster and started it: the scratch directory, listening on 127.0.0.1:54321',
    );
    expect(report).toContain(
      '- **Restore** (7.5s): pg_restore -j 4 of orders-20261124T084500Z.dump in 7.5s',
    );
  });

  it('puts every table in one table, drift as a note, and the rest under checks', () => {
    const report = renderDrillReport(passed);
    expect(tables(report)).toBe(1);
    expect(report).toContain(
      [
        '| table | rows on the source now | rows in the copy | result | notes |',
        '| --- | ---: | ---: | --- | --- |',
        '| public.customers | 40 | 40 | passed |  |',
        '| public.orders | 1002 | 1000 | passed | drift since the backup: +2 rows on the source; sampled rows: 5 equal |',
      ].join('\n'),
    );
    expect(report).toContain(
      '### Checks\n\n- passed: indexes present: 3 present\n- passed: check totals: 12',
    );
    // In order: figures, table, checks, steps.
    const order = ['RTO ', '| table |', '### Checks', '### Steps'].map(text =>
      report.indexOf(text),
    );
    expect([...order].sort((a, b) => a - b)).toEqual(order);
  });

  it('says what failed in the backup first', () => {
    const report = renderDrillReport(backupFailure);
    expect(report).toContain(
      '- check notes: the restored copy returned a c, the source a\\|b',
    );
    expect(report).toContain(
      '### Checks\n\n- **FAILED**: check notes: the restored copy returned a c, the source a\\|b',
    );
  });

  it('says an infrastructure failure says nothing about the backup', () => {
    const report = renderDrillReport(infrastructureFailure);
    expect(report.split('\n')[2]).toBe(
      'RTO – / 1h (not measured) · RPO 13m 56s / 15m ✓',
    );
    expect(report).toContain(
      "the drill's own infrastructure failed, not the backup: this drill says nothing about the backup; run it again once fixed.",
    );
    expect(report).toContain(
      '- **Create scratch instance** (1s) **FAILED**: initdb: could not create directory "the scratch directory": No space left on device',
    );
    expect(report).toContain(
      '- **Restore** skipped: Not run: Create scratch instance failed',
    );
    expect(report).toContain('### Verification\n\nNothing was verified.');
  });

  it('marks an objective missed, and lists failed tables first with a long tail counted', () => {
    const many = Array.from({ length: 250 }, (_, index) => ({
      name: `rows of public.t${String(index).padStart(3, '0')}`,
      passed: true,
      expected: '1 rows, checksum abc',
      actual: '1 rows, checksum abc',
    }));
    const report = renderDrillReport({
      ...backupFailure,
      rpoSeconds: 86400,
      verification: [
        ...many,
        {
          name: 'rows of public.z',
          passed: false,
          expected: '3 rows, checksum abc',
          actual: '2 rows, checksum def',
          failure: 'public.z: the restored rows differ from the manifest',
        },
      ],
    });
    expect(report).toContain('RPO 1d / 15m ✗ over the objective');
    expect(report).toContain('250 of 251 verifications passed.');
    expect(report).toContain(
      '| table | rows in the backup | rows in the copy |',
    );
    expect(report).toContain(
      '| public.z | 3 | 2 | **FAILED** | public.z: the restored rows differ from the manifest |',
    );
    expect(report.indexOf('| public.z |')).toBeLessThan(
      report.indexOf('| public.t000 |'),
    );
    expect(report).toContain('… and 50 more tables passed.');
    expect(report).not.toContain('| public.t200 |');
  });
});

describe('cell', () => {
  it('keeps a value on one line and inside its cell', () => {
    expect(cell('a | b\nc\\d')).toBe('a \\| b c\\\\d');
    expect(cell(undefined)).toBe('');
  });
});
