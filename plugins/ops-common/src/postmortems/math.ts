// Pure arithmetic of post-mortems: when one is due, and what an incident cost
// an SLO's error budget.

import { budgetSpentByBurn, burnRate } from '../slo/math';

const DAY_MS = 86_400_000;

/**
 * `from` plus `days` business days (Monday to Friday, in UTC): a post-mortem
 * of an incident resolved on a Friday afternoon with 5 days is due the next
 * Friday afternoon. A start on a weekend counts from the Monday after.
 *
 * @public
 */
export function addBusinessDays(from: Date, days: number): Date {
  if (!Number.isInteger(days) || days < 0) {
    throw new Error(
      `Invalid business days ${days}: expected a whole number >= 0`,
    );
  }
  let time = from.getTime();
  let left = days;
  while (left > 0) {
    time += DAY_MS;
    const weekday = new Date(time).getUTCDay();
    if (weekday !== 0 && weekday !== 6) {
      left -= 1;
    }
  }
  return new Date(time);
}

/**
 * The fraction of an SLO's whole error budget (over its window) spent during
 * an interval whose error ratio was `errorRatio`: the burn rate over the
 * interval times the interval's share of the window, as the SLO card counts
 * a budget (`errorBudget`'s `spentRatio`). 0.0005 errors over 1 h of a 99.9 %
 * 30-day SLO: burn 0.5 × 1/720 = 0.07 % of the budget.
 *
 * @public
 */
export function budgetSpentOverInterval(options: {
  objective: number;
  windowSeconds: number;
  errorRatio: number;
  intervalSeconds: number;
}): number {
  const { objective, windowSeconds, errorRatio, intervalSeconds } = options;
  return budgetSpentByBurn(
    burnRate(1 - errorRatio, objective),
    intervalSeconds,
    windowSeconds,
  );
}
