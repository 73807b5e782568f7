/**
 * The arithmetic of SLOs: SLI, error budget and burn rate. Pure functions on
 * event counts, so the same code serves the backend (on Prometheus results),
 * the frontend and the tests.
 *
 * Every SLI here is a ratio of event counts over a window (good events over
 * all events), never an average of per-interval ratios: an average gives a
 * quiet minute with 1 failed request out of 2 the same weight as a busy minute
 * with 1 failure out of 10,000, which hides errors under spiky traffic.
 */

/**
 * Events counted over one window.
 *
 * @public
 */
export interface SloEventCounts {
  /** Events that met the objective (successful or fast enough requests). */
  good: number;
  /** All events, good or bad. */
  total: number;
}

/**
 * Adds up event counts of several windows or series (the only correct way to
 * combine SLIs: sum the counts, then divide).
 *
 * @public
 */
export function sumEventCounts(counts: SloEventCounts[]): SloEventCounts {
  return counts.reduce(
    (sum, c) => ({ good: sum.good + c.good, total: sum.total + c.total }),
    { good: 0, total: 0 },
  );
}

/**
 * The SLI of a window: good events over all events. `undefined` when there was
 * no event at all (an SLI of nothing is unknown, not 100 %).
 *
 * @public
 */
export function sliFromEventCounts(counts: SloEventCounts): number | undefined {
  if (!(counts.total > 0)) {
    return undefined;
  }
  return counts.good / counts.total;
}

/**
 * The allowed error ratio of an objective, `1 - objective`.
 *
 * @public
 */
export function errorBudgetRatio(objective: number): number {
  assertObjective(objective);
  return 1 - objective;
}

/**
 * How fast the error budget burns: the observed error ratio (1 - SLI) over the
 * allowed one (1 - objective). 1 spends exactly the budget over the SLO
 * window; 14.4 spends a 30-day budget in 50 hours.
 *
 * @public
 */
export function burnRate(sli: number, objective: number): number {
  return (1 - sli) / errorBudgetRatio(objective);
}

/**
 * The fraction of the whole error budget that a burn rate spends in a window:
 * `burnRate * window / sloWindow`. The workbook's 14.4x over 1 h of a 30-day
 * SLO spends 2 %.
 *
 * @public
 */
export function budgetSpentByBurn(
  rate: number,
  burnWindowSeconds: number,
  sloWindowSeconds: number,
): number {
  return (rate * burnWindowSeconds) / sloWindowSeconds;
}

/**
 * The error budget of an SLO over its window, and what is left of it given the
 * SLI measured over that same window.
 *
 * @public
 */
export interface SloErrorBudget {
  /** The objective, e.g. 0.999. */
  objective: number;
  /** Length of the SLO window in seconds. */
  windowSeconds: number;
  /** Allowed error ratio, `1 - objective`. */
  budgetRatio: number;
  /** The budget as minutes of full outage over the window. 43.2 for 99.9 % over 30 days. */
  totalMinutes: number;
  /**
   * Fraction of the budget spent: the window's burn rate. Above 1 when the
   * objective is missed.
   */
  spentRatio: number;
  /**
   * Fraction of the budget left, `1 - spentRatio`: 1 untouched, 0 exhausted,
   * negative when overspent (kept negative so an overspent budget is visible).
   */
  remainingRatio: number;
  /** The remaining budget as minutes of full outage (negative when overspent). */
  remainingMinutes: number;
}

/**
 * Computes the error budget of an SLO from its objective, window, and the SLI
 * over the window (`undefined` when there were no events: nothing spent).
 *
 * `coveredSeconds` is how much of the window has data (see
 * {@link sloDataCoverage}); less than the window, the SLI is over that part
 * only, and the budget spent is what those seconds spent, counting the
 * window's events at the rate observed: an SLI of 0.5 over 10 minutes spent
 * 5 minutes of full outage, not the whole window at 50 %. Nothing is
 * extrapolated to the part of the window without data.
 *
 * @public
 */
export function errorBudget(
  objective: number,
  windowSeconds: number,
  sli: number | undefined,
  coveredSeconds: number = windowSeconds,
): SloErrorBudget {
  const budgetRatio = errorBudgetRatio(objective);
  const totalMinutes = (budgetRatio * windowSeconds) / 60;
  const share = Math.max(0, Math.min(1, coveredSeconds / windowSeconds));
  const spentRatio = sli === undefined ? 0 : burnRate(sli, objective) * share;
  const remainingRatio = 1 - spentRatio;
  return {
    objective,
    windowSeconds,
    budgetRatio,
    totalMinutes,
    spentRatio,
    remainingRatio,
    remainingMinutes: remainingRatio * totalMinutes,
  };
}

/**
 * Result of Timeslices budgeting.
 *
 * @public
 */
export interface SloTimeslicesResult {
  /** Slices whose own SLI met the slice target. */
  goodSlices: number;
  /** Slices that had at least one event; slices without traffic are not counted. */
  measuredSlices: number;
  /** goodSlices / measuredSlices; `undefined` when no slice had events. */
  sli: number | undefined;
}

/**
 * Timeslices budgeting (OpenSLO `budgetingMethod: Timeslices`): the window is
 * cut into slices (e.g. 1 minute); a slice is good when its own SLI, from its
 * event counts, is at least `timeSliceTarget`; the SLI is the fraction of good
 * slices, and the objective applies to that fraction. Slices without any
 * event are left out: no traffic is neither good nor bad.
 *
 * @public
 */
export function timeslicesSli(
  slices: SloEventCounts[],
  timeSliceTarget: number,
): SloTimeslicesResult {
  assertObjective(timeSliceTarget);
  let goodSlices = 0;
  let measuredSlices = 0;
  for (const slice of slices) {
    const sli = sliFromEventCounts(slice);
    if (sli === undefined) {
      continue;
    }
    measuredSlices += 1;
    if (sli >= timeSliceTarget) {
      goodSlices += 1;
    }
  }
  return {
    goodSlices,
    measuredSlices,
    sli: measuredSlices > 0 ? goodSlices / measuredSlices : undefined,
  };
}

function assertObjective(objective: number) {
  if (!(objective > 0 && objective < 1)) {
    throw new RangeError(
      `An SLO objective must be a ratio strictly between 0 and 1, got ${objective}`,
    );
  }
}
