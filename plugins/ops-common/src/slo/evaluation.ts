import {
  evaluateSloAlerts,
  SloAlertState,
  sloAlertTiers,
  SloBurnRates,
  sloMeasurementWindows,
} from './alerting';
import type { SloDataCoverage } from './coverage';
import { parsePromDuration } from './duration';
import { errorBudget, errorBudgetRatio, SloErrorBudget } from './math';
import type { SloDefinition } from './model';

/**
 * The numbers of one SLO at one instant, from the error ratios measured over
 * its windows.
 *
 * @public
 */
export interface SloEvaluation {
  /** SLI over the SLO window; `undefined` without data. */
  sli?: number;
  errorBudget: SloErrorBudget;
  /**
   * Burn rate per alert window (`5m` ... `3d`) and the SLO window; those in
   * `coverage.partialWindows` are over the covered part only.
   */
  burnRates: SloBurnRates;
  /**
   * The alert tiers' thresholds against the burn rates: which tiers the
   * numbers put over their factor. Not whether anyone is paged: that is
   * Prometheus' own alert state, which the evaluation does not know.
   */
  alerts: SloAlertState;
  /** How much of the SLO window has data; absent when not measured. */
  coverage?: SloDataCoverage;
}

/**
 * Combines the error ratios of an SLO's windows, as Prometheus returns them
 * (from {@link sloErrorRatioQuery} or a recorded `sli_error:ratio_rate`
 * series), into its status: SLI, budget, burn rates and alert state. Keys are
 * windows in any Prometheus spelling; a missing or non-finite ratio is no
 * data. For Timeslices SLOs the ratios are fractions of bad slices.
 *
 * With a `coverage` short of the window, the budget counts only what the
 * covered seconds spent (see {@link errorBudget}).
 *
 * @public
 */
export function evaluateSlo(
  slo: Pick<SloDefinition, 'objective' | 'windowSeconds'>,
  errorRatios: Partial<Record<string, number | undefined>>,
  coverage?: SloDataCoverage,
): SloEvaluation {
  const budget = errorBudgetRatio(slo.objective);
  const ratioBySeconds = new Map<number, number>();
  for (const [window, ratio] of Object.entries(errorRatios)) {
    const seconds = parsePromDuration(window);
    if (
      seconds !== undefined &&
      ratio !== undefined &&
      Number.isFinite(ratio)
    ) {
      ratioBySeconds.set(seconds, ratio);
    }
  }
  const burnRates: SloBurnRates = {};
  for (const window of sloMeasurementWindows(slo.windowSeconds)) {
    const ratio = ratioBySeconds.get(parsePromDuration(window)!);
    burnRates[window] = ratio === undefined ? undefined : ratio / budget;
  }
  const windowRatio = ratioBySeconds.get(slo.windowSeconds);
  const sli = windowRatio === undefined ? undefined : 1 - windowRatio;
  return {
    ...(sli === undefined ? {} : { sli }),
    errorBudget: errorBudget(
      slo.objective,
      slo.windowSeconds,
      sli,
      coverage && !coverage.complete
        ? coverage.coveredSeconds
        : slo.windowSeconds,
    ),
    burnRates,
    alerts: evaluateSloAlerts(
      sloAlertTiers(slo.objective, slo.windowSeconds),
      burnRates,
    ),
    ...(coverage ? { coverage } : {}),
  };
}
