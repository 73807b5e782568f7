import {
  budgetSpentByBurn,
  burnRate,
  errorBudget,
  errorBudgetRatio,
  sliFromEventCounts,
  sumEventCounts,
  timeslicesSli,
} from './math';

const DAY = 24 * 3600;

describe('SLO math', () => {
  it('computes the SLI from event counts', () => {
    expect(sliFromEventCounts({ good: 999, total: 1000 })).toBe(0.999);
    expect(sliFromEventCounts({ good: 0, total: 0 })).toBeUndefined();
  });

  it('sums counts instead of averaging ratios, so a busy window weighs more', () => {
    // minute 1: 1 bad of 2 (SLI 0.5); minute 2: 1 bad of 10,000 (SLI 0.9999).
    // The average of the ratios says 0.74995; the events say 2 bad of 10,002.
    const counts = sumEventCounts([
      { good: 1, total: 2 },
      { good: 9999, total: 10000 },
    ]);
    expect(counts).toEqual({ good: 10000, total: 10002 });
    expect(sliFromEventCounts(counts)).toBeCloseTo(10000 / 10002, 12);
  });

  it('gives the workbook budget of 99.9 % over 30 days: 43.2 minutes', () => {
    // 0.001 * 30 d * 24 h * 60 min = 43.2 min of full outage
    const budget = errorBudget(0.999, 30 * DAY, undefined);
    expect(budget.budgetRatio).toBeCloseTo(0.001, 15);
    expect(budget.totalMinutes).toBeCloseTo(43.2, 9);
    expect(budget.remainingRatio).toBe(1);
    expect(budget.remainingMinutes).toBeCloseTo(43.2, 9);
  });

  it('computes the remaining budget from the SLI over the window', () => {
    // SLI 0.99975 over 30 d: error ratio 0.00025 = a quarter of the budget,
    // 10.8 of 43.2 minutes spent, 32.4 left.
    const budget = errorBudget(0.999, 30 * DAY, 0.99975);
    expect(budget.spentRatio).toBeCloseTo(0.25, 9);
    expect(budget.remainingRatio).toBeCloseTo(0.75, 9);
    expect(budget.remainingMinutes).toBeCloseTo(32.4, 9);
  });

  it('keeps an overspent budget negative', () => {
    // SLI 0.997 against 99.9 %: 3 budgets spent, 2 overspent: -86.4 minutes.
    const budget = errorBudget(0.999, 30 * DAY, 0.997);
    expect(budget.remainingRatio).toBeCloseTo(-2, 9);
    expect(budget.remainingMinutes).toBeCloseTo(-86.4, 9);
  });

  it('computes burn rates and what they spend, with the workbook numbers', () => {
    // an error ratio of 1.44 % against a 0.1 % budget is a burn rate of 14.4
    expect(burnRate(1 - 0.0144, 0.999)).toBeCloseTo(14.4, 9);
    // 14.4x for 1 h of a 30-day window spends 2 % of the budget
    expect(budgetSpentByBurn(14.4, 3600, 30 * DAY)).toBeCloseTo(0.02, 12);
    // 6x for 6 h: 5 %; 3x for 1 d: 10 %; 1x for 3 d: 10 %
    expect(budgetSpentByBurn(6, 6 * 3600, 30 * DAY)).toBeCloseTo(0.05, 12);
    expect(budgetSpentByBurn(3, DAY, 30 * DAY)).toBeCloseTo(0.1, 12);
    expect(budgetSpentByBurn(1, 3 * DAY, 30 * DAY)).toBeCloseTo(0.1, 12);
    // a 14.4x burn empties a 30-day budget in 720 h / 14.4 = 50 h
    expect(budgetSpentByBurn(14.4, 50 * 3600, 30 * DAY)).toBeCloseTo(1, 12);
  });

  it('rejects objectives outside (0, 1)', () => {
    expect(() => errorBudgetRatio(99.9)).toThrow(/between 0 and 1/);
    expect(() => errorBudgetRatio(1)).toThrow(/between 0 and 1/);
  });

  it('budgets time slices as the fraction of good slices', () => {
    // slice target 0.95; slices: 100/100 good, 96/100 good, 90/100 bad,
    // 0/0 not measured, 1/2 bad -> 2 good of 4 measured
    const result = timeslicesSli(
      [
        { good: 100, total: 100 },
        { good: 96, total: 100 },
        { good: 90, total: 100 },
        { good: 0, total: 0 },
        { good: 1, total: 2 },
      ],
      0.95,
    );
    expect(result).toEqual({ goodSlices: 2, measuredSlices: 4, sli: 0.5 });
    // a slice exactly at the target is good
    expect(timeslicesSli([{ good: 95, total: 100 }], 0.95).sli).toBe(1);
    expect(timeslicesSli([], 0.95).sli).toBeUndefined();
  });

  it('spends a Timeslices budget by bad slices', () => {
    // 99 % of 1-minute slices over 7 d: 100.8 bad minutes allowed;
    // 10,000 measured slices of which 9,950 good: SLI 0.995, half spent.
    const budget = errorBudget(0.99, 7 * DAY, 9950 / 10000);
    expect(budget.totalMinutes).toBeCloseTo(100.8, 9);
    expect(budget.remainingRatio).toBeCloseTo(0.5, 9);
    expect(budget.remainingMinutes).toBeCloseTo(50.4, 9);
  });
});
