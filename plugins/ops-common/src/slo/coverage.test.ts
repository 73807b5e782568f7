import { sloDataCoverage } from './coverage';
import { evaluateSlo } from './evaluation';
import { sloMeasurementWindows } from './alerting';

const DAY = 86400;
const WINDOW = 28 * DAY;
const AT = 1_790_000_000;
const windows = sloMeasurementWindows(WINDOW);

describe('sloDataCoverage', () => {
  it('says 10 minutes of data cover the 5m window only', () => {
    const coverage = sloDataCoverage({
      windowSeconds: WINDOW,
      at: AT,
      firstSample: AT - 600,
      windows,
    });
    expect(coverage).toEqual({
      firstSampleAt: new Date((AT - 600) * 1000).toISOString(),
      coveredSeconds: 600,
      complete: false,
      partialWindows: ['30m', '1h', '2h', '6h', '1d', '3d', '4w'],
    });
  });

  it('is complete when the data is older than the window, and says from where', () => {
    const coverage = sloDataCoverage({
      windowSeconds: WINDOW,
      at: AT,
      firstSample: AT - 40 * DAY,
      windows,
    });
    expect(coverage.complete).toBe(true);
    expect(coverage.coveredSeconds).toBe(WINDOW);
    expect(coverage.partialWindows).toEqual([]);
    expect(coverage.firstSampleAt).toBe(
      new Date((AT - WINDOW) * 1000).toISOString(),
    );
  });

  it('is complete when the first sample is one scrape after the window start', () => {
    const coverage = sloDataCoverage({
      windowSeconds: WINDOW,
      at: AT,
      firstSample: AT - WINDOW + 60,
      windows,
    });
    expect(coverage.complete).toBe(true);
    expect(coverage.partialWindows).toEqual([]);
  });

  it('is empty without a sample', () => {
    const coverage = sloDataCoverage({
      windowSeconds: WINDOW,
      at: AT,
      firstSample: undefined,
      windows,
    });
    expect(coverage.firstSampleAt).toBeUndefined();
    expect(coverage.coveredSeconds).toBe(0);
    expect(coverage.complete).toBe(false);
    expect(coverage.partialWindows).toEqual(windows);
  });
});

describe('evaluateSlo with coverage', () => {
  const slo = { objective: 0.999, windowSeconds: WINDOW };
  // The case: 18 minutes at 2.5 % errors. Over 28 days that rate
  // would overspend the budget 25 times; in 18 minutes it spent 0.45 of the
  // 40.32 minutes of full outage the window allows.
  const ratios = Object.fromEntries(windows.map(w => [w, 0.025]));

  it('counts only what the covered minutes spent, never extrapolating', () => {
    const coverage = sloDataCoverage({
      windowSeconds: WINDOW,
      at: AT,
      firstSample: AT - 18 * 60,
      windows,
    });
    const status = evaluateSlo(slo, ratios, coverage);
    expect(status.sli).toBeCloseTo(0.975, 12);
    expect(status.errorBudget.totalMinutes).toBeCloseTo(40.32, 9);
    // 0.025 * 18 min = 0.45 min of full outage spent
    expect(status.errorBudget.spentRatio * 40.32).toBeCloseTo(0.45, 9);
    expect(status.errorBudget.remainingMinutes).toBeCloseTo(40.32 - 0.45, 9);
    expect(status.errorBudget.remainingRatio).toBeGreaterThan(0);
    expect(status.coverage).toBe(coverage);
    // The burn rate is what the data says, marked as over 18 minutes only.
    expect(status.burnRates['3d']).toBeCloseTo(25, 9);
    expect(status.coverage!.partialWindows).toContain('3d');
  });

  it('uses the SLI over the whole window once the data covers it', () => {
    const coverage = sloDataCoverage({
      windowSeconds: WINDOW,
      at: AT,
      firstSample: AT - WINDOW - 3600,
      windows,
    });
    const status = evaluateSlo(slo, ratios, coverage);
    expect(status.errorBudget.remainingRatio).toBeCloseTo(1 - 25, 9);
    expect(status.coverage!.complete).toBe(true);
  });
});
