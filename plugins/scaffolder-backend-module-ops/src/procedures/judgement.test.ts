import { judgeDrill } from './judgement';
import { Verification } from '../postgres/verification/verification';

const objectives = { rtoSeconds: 3600, rpoSeconds: 900 };
const passing: Verification[] = [
  {
    name: 'row count of public.orders',
    passed: true,
    expected: '1000',
    actual: '1000',
  },
];

describe('judgeDrill', () => {
  it('passes when everything verified and both objectives are met', () => {
    expect(
      judgeDrill({
        verification: passing,
        rtoSeconds: 3600,
        rpoSeconds: 900,
        objectives,
      }),
    ).toEqual({ passed: true, reasons: [] });
  });

  it('fails on a failed verification, with its own sentence', () => {
    expect(
      judgeDrill({
        verification: [
          ...passing,
          {
            name: 'row count of public.payments',
            passed: false,
            expected: '1000',
            actual: '990',
            failure: 'row count of public.payments: restored 990, source 1000',
          },
          { name: 'check users', passed: false, expected: '5', actual: '4' },
        ],
        rtoSeconds: 60,
        rpoSeconds: 60,
        objectives,
      }),
    ).toEqual({
      passed: false,
      reasons: [
        'row count of public.payments: restored 990, source 1000',
        'check users: 4 (expected 5)',
      ],
    });
  });

  it('fails when the restore took longer than the RTO objective', () => {
    expect(
      judgeDrill({
        verification: passing,
        rtoSeconds: 3601,
        rpoSeconds: 60,
        objectives,
      }).reasons,
    ).toEqual(['measured RTO 1h exceeds the objective 1h']);
    expect(
      judgeDrill({
        verification: passing,
        rtoSeconds: 5400,
        rpoSeconds: 60,
        objectives,
      }).reasons,
    ).toEqual(['measured RTO 1h 30m exceeds the objective 1h']);
  });

  it('fails when the backup is older than the RPO objective', () => {
    expect(
      judgeDrill({
        verification: passing,
        rtoSeconds: 60,
        rpoSeconds: 3 * 3600,
        objectives,
      }).reasons,
    ).toEqual(['the latest backup is 3h old, more than the RPO objective 15m']);
  });

  it('fails with the failed step first and does not ask for what it could not measure', () => {
    expect(
      judgeDrill({
        failure: { step: 'Restore', message: 'pg_restore exited with code 1' },
        verification: [],
        rpoSeconds: 60,
        objectives,
      }),
    ).toEqual({
      passed: false,
      reasons: ['Restore failed: pg_restore exited with code 1'],
    });
  });

  it('does not pass a drill that verified nothing', () => {
    expect(
      judgeDrill({
        verification: [],
        rtoSeconds: 1,
        rpoSeconds: 1,
        objectives,
      }),
    ).toEqual({
      passed: false,
      reasons: [
        'nothing was verified: the restored copy has no tables and no checks are configured',
      ],
    });
  });

  it('fails when cleanup left something behind', () => {
    expect(
      judgeDrill({
        verification: passing,
        rtoSeconds: 1,
        rpoSeconds: 1,
        objectives,
        leftovers: 'LEFT BEHIND: /tmp/x still exists',
      }).reasons,
    ).toEqual([
      'cleanup left something behind: LEFT BEHIND: /tmp/x still exists',
    ]);
  });
});
