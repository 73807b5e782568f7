import {
  changeFailureRateBucket,
  computeDoraMetrics,
  deploymentFrequencyBucket,
  DoraDeployment,
  durationBucket,
  median,
} from './math';

const t = (iso: string) => Date.parse(iso);

describe('median', () => {
  it('is the middle value or the mean of the two middle ones', () => {
    expect(median([])).toBeUndefined();
    expect(median([7])).toBe(7);
    expect(median([600, 30, 90])).toBe(90);
    expect(median([30, 90, 200, 600])).toBe(145);
  });
});

describe('deploymentFrequencyBucket', () => {
  // 2026-11-01 is a Sunday: four whole weeks of November
  const november = {
    from: t('2026-11-01T00:00:00Z'),
    to: t('2026-11-28T23:59:59Z'),
  };

  it('is daily when the median week has 3 deployment days', () => {
    const times = [1, 8, 15, 22].flatMap(sunday =>
      [1, 2, 3].map(d =>
        t(`2026-11-${String(sunday + d).padStart(2, '0')}T10:00:00Z`),
      ),
    );
    // a second deployment on the same day is still one day
    times.push(t('2026-11-02T18:00:00Z'));
    expect(deploymentFrequencyBucket(times, november)).toBe('daily');
  });

  it('is weekly when most weeks have a deployment', () => {
    // weeks deployed [1,1,1,0]: median 1; days per week [2,1,1,0]: median 1
    const times = ['02', '03', '10', '17'].map(d =>
      t(`2026-11-${d}T10:00:00Z`),
    );
    expect(deploymentFrequencyBucket(times, november)).toBe('weekly');
  });

  it('is monthly when half the weeks have none but the month has some', () => {
    // weeks deployed [1,1,0,0]: median 0.5; weeks per month 2 for each week
    const times = ['02', '10'].map(d => t(`2026-11-${d}T10:00:00Z`));
    expect(deploymentFrequencyBucket(times, november)).toBe('monthly');
  });

  // 12 weeks from Sunday 2026-09-06: 4 start in September, 4 in October, 4 in November
  const quarter = {
    from: t('2026-09-06T00:00:00Z'),
    to: t('2026-11-28T23:59:59Z'),
  };

  it('is yearly when the median month (counted per week) has no deployment', () => {
    // weeks per month, per week: [1,1,1,1, 0,0,0,0, 0,0,0,0]: median 0
    expect(
      deploymentFrequencyBucket([t('2026-09-08T10:00:00Z')], quarter),
    ).toBe('yearly');
  });

  it('is monthly when two of three months have a deployment', () => {
    // [1,1,1,1, 1,1,1,1, 0,0,0,0]: median of the 6th and 7th is 1
    expect(
      deploymentFrequencyBucket(
        [t('2026-09-08T10:00:00Z'), t('2026-10-06T10:00:00Z')],
        quarter,
      ),
    ).toBe('monthly');
  });

  it('is yearly without deployments', () => {
    expect(deploymentFrequencyBucket([], november)).toBe('yearly');
  });
});

describe('buckets', () => {
  it('uses the Four Keys dashboard thresholds', () => {
    expect(durationBucket(23 * 60, 'lead-time')).toBe('one-day');
    expect(durationBucket(24 * 60, 'lead-time')).toBe('one-week');
    expect(durationBucket(700 * 60, 'lead-time')).toBe('one-month');
    expect(durationBucket(700 * 60, 'time-to-restore')).toBe('six-months');
    expect(durationBucket(730 * 6 * 60, 'lead-time')).toBe('one-year');
    expect(changeFailureRateBucket(0.15)).toBe('0-15%');
    expect(changeFailureRateBucket(0.45)).toBe('16-45%');
    expect(changeFailureRateBucket(0.46)).toBe('46-60%');
  });
});

describe('computeDoraMetrics', () => {
  const payments = 'component:default/payments-api';
  const orders = 'component:default/orders-api';
  const deploy = (
    id: string,
    at: string,
    extra: Partial<DoraDeployment> = {},
  ): DoraDeployment => ({
    id,
    entityRef: payments,
    environment: 'production',
    status: 'succeeded',
    startedAt: at,
    finishedAt: at,
    ...extra,
  });

  const deployments: DoraDeployment[] = [
    // lead time 30 min; an incident names it as its cause
    deploy('d1', '2026-11-02T10:30:00Z', {
      commitTime: '2026-11-02T10:00:00Z',
    }),
    // lead time 90 min; rolled back by r1
    deploy('d2', '2026-11-03T11:30:00Z', {
      commitTime: '2026-11-03T10:00:00Z',
    }),
    deploy('r1', '2026-11-03T12:00:00Z', { status: 'rolled-back' }),
    // lead time 600 min
    deploy('d3', '2026-11-10T20:00:00Z', {
      commitTime: '2026-11-10T10:00:00Z',
    }),
    // committed and deployed at once: ignored for lead time, still a deployment
    deploy('d4', '2026-11-11T10:00:00Z', {
      commitTime: '2026-11-11T10:00:00Z',
    }),
    // never reached production
    deploy('f1', '2026-11-12T10:00:00Z', { status: 'failed' }),
    // another environment, and another service's rollback
    deploy('s1', '2026-11-12T11:00:00Z', { environment: 'staging' }),
    deploy('o1', '2026-11-13T10:00:00Z', { entityRef: orders }),
    deploy('o2', '2026-11-13T11:00:00Z', {
      entityRef: orders,
      status: 'rolled-back',
    }),
    // after the window: its rollback still counts for d5 inside it
    deploy('d5', '2026-11-28T23:00:00Z'),
    deploy('r2', '2026-11-29T01:00:00Z', { status: 'rolled-back' }),
  ];
  const incidents = [
    {
      detectedAt: '2026-11-02T10:45:00Z',
      startedAt: '2026-11-02T10:40:00Z',
      resolvedAt: '2026-11-02T11:40:00Z', // 60 min
      deploymentId: 'd1',
    },
    { detectedAt: '2026-11-09T10:00:00Z', resolvedAt: '2026-11-09T14:00:00Z' }, // 240 min
    { detectedAt: '2026-11-10T10:00:00Z' }, // still open
    { detectedAt: '2026-10-01T10:00:00Z', resolvedAt: '2026-10-01T10:10:00Z' }, // before
  ];

  const metrics = computeDoraMetrics({
    deployments,
    incidents,
    from: '2026-11-01T00:00:00Z',
    to: '2026-11-28T23:59:59Z',
  });

  it('counts succeeded production deployments', () => {
    // d1 d2 d3 d4 o1 d5
    expect(metrics.deploymentFrequency).toEqual({
      deployments: 6,
      days: 28,
      perDay: 6 / 28,
      // days per week [2,3,0,1] -> median 1.5; weeks deployed [1,1,0,1] -> 1
      bucket: 'weekly',
    });
  });

  it('takes the median lead time of changes deployed after their commit', () => {
    expect(metrics.leadTimeForChanges).toEqual({
      samples: 3,
      medianMinutes: 90,
      bucket: 'one-day',
    });
  });

  it('counts rolled-back deployments and those that caused an incident as failures', () => {
    // d1 (incident), d2 (r1), o1 (o2), d5 (r2) of 6
    expect(metrics.changeFailureRate).toEqual({
      deployments: 6,
      failures: 4,
      rate: 4 / 6,
      bucket: '46-60%',
    });
  });

  it('takes the median time to restore of incidents resolved in the window', () => {
    expect(metrics.timeToRestore).toEqual({
      samples: 2,
      medianMinutes: 150,
      bucket: 'one-day',
    });
  });

  it('reports a weekly trend', () => {
    expect(
      metrics.trend.map(w => [
        w.weekStart.slice(0, 10),
        w.deployments,
        w.changeFailures,
      ]),
    ).toEqual([
      ['2026-11-01', 2, 2],
      ['2026-11-08', 3, 1],
      ['2026-11-15', 0, 0],
      ['2026-11-22', 1, 1],
    ]);
    expect(metrics.trend[0].medianLeadTimeMinutes).toBe(60);
    expect(metrics.trend[0].medianTimeToRestoreMinutes).toBe(60);
    expect(metrics.trend[1].medianTimeToRestoreMinutes).toBe(240);
    expect(metrics.trend[2].changeFailureRate).toBeUndefined();
  });

  it('leaves the figures undefined without data', () => {
    const empty = computeDoraMetrics({
      deployments: [],
      incidents: [],
      from: '2026-11-01T00:00:00Z',
      to: '2026-11-07T23:59:59Z',
    });
    expect(empty.deploymentFrequency.bucket).toBe('yearly');
    expect(empty.leadTimeForChanges.medianMinutes).toBeUndefined();
    expect(empty.changeFailureRate.rate).toBeUndefined();
    expect(empty.timeToRestore.medianMinutes).toBeUndefined();
  });
});
