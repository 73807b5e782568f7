/**
 * PromQL for SLOs, built from the normalized model. Every query counts events
 * with `sum(increase(counter[W]))` and divides the sums, so the SLI of a window
 * weighs each event once, whatever the traffic shape.
 */
import { formatPromDuration, parsePromDuration } from './duration';
import type { SloDefinition } from './model';
import {
  checkPromLabelValue,
  formatPromSelector,
  PromLabelMatcher,
  PromSelector,
} from './selector';

/**
 * Prints a number for PromQL without binary noise (`1 - 0.999` is
 * `0.0010000000000000009` in floating point; PromQL gets `0.001`).
 *
 * @public
 */
export function formatPromNumber(value: number): string {
  if (!Number.isFinite(value)) {
    throw new TypeError(`Refusing to build PromQL from the number ${value}`);
  }
  return String(Number(value.toPrecision(12)));
}

function checkedWindow(window: string): string {
  const seconds = parsePromDuration(window);
  if (seconds === undefined) {
    throw new TypeError(`Refusing to build PromQL: invalid window ${window}`);
  }
  return formatPromDuration(seconds);
}

/**
 * `sum(increase(selector[window]))`: the number of events of a counter in the
 * window, summed over all its series.
 *
 * @public
 */
export function promEventCountQuery(
  selector: PromSelector,
  window: string,
): string {
  return `sum(increase(${formatPromSelector(selector)}[${checkedWindow(
    window,
  )}]))`;
}

/**
 * The event count queries of an SLO over a window, to evaluate the SLI from
 * counts ({@link sliFromEventCounts}) or to show them.
 *
 * @public
 */
export function sloEventCountQueries(
  slo: SloDefinition,
  window: string,
): { good?: string; bad?: string; total: string } {
  const { good, bad, total } = slo.indicator;
  return {
    ...(good ? { good: promEventCountQuery(good, window) } : {}),
    ...(bad ? { bad: promEventCountQuery(bad, window) } : {}),
    total: promEventCountQuery(total, window),
  };
}

// The error ratio of the events over a window: bad / total, or
// 1 - good / total when the document counts good events.
function occurrencesErrorRatio(slo: SloDefinition, window: string): string {
  const queries = sloEventCountQueries(slo, window);
  if (queries.bad) {
    return `(${queries.bad} / ${queries.total})`;
  }
  return `(1 - ${queries.good} / ${queries.total})`;
}

/**
 * Whether each time slice is good: 1 when the SLI of the slice (from its
 * event counts) reaches the slice target, 0 when not, no sample when the
 * slice had no event.
 *
 * @public
 */
export function sloTimesliceGoodQuery(slo: SloDefinition): string {
  const timeslices = requireTimeslices(slo);
  const errorRatio = occurrencesErrorRatio(slo, timeslices.slice);
  return `((1 - ${errorRatio}) >= bool ${formatPromNumber(
    timeslices.sliceTarget,
  )}) and on() (${promEventCountQuery(
    slo.indicator.total,
    timeslices.slice,
  )} > 0)`;
}

function requireTimeslices(slo: SloDefinition) {
  if (slo.budgetingMethod !== 'Timeslices' || !slo.timeslices) {
    throw new TypeError(`SLO ${slo.name} does not use Timeslices budgeting`);
  }
  return slo.timeslices;
}

/**
 * The error ratio of an SLO over a window from raw counters: the fraction of
 * bad events (Occurrences), or of bad slices among the slices with events
 * (Timeslices, by a subquery stepping one slice at a time).
 *
 * @public
 */
export function sloErrorRatioQuery(slo: SloDefinition, window: string): string {
  if (slo.budgetingMethod === 'Timeslices') {
    const { slice } = requireTimeslices(slo);
    return `(1 - avg_over_time((${sloTimesliceGoodQuery(slo)})[${checkedWindow(
      window,
    )}:${slice}]))`;
  }
  return occurrencesErrorRatio(slo, window);
}

/**
 * The SLI of an SLO over a window, `1 - error ratio`.
 *
 * @public
 */
export function sloSliQuery(slo: SloDefinition, window: string): string {
  return `(1 - ${sloErrorRatioQuery(slo, window)})`;
}

/**
 * The burn rate of an SLO over a window: error ratio / (1 - objective).
 *
 * @public
 */
export function sloBurnRateQuery(slo: SloDefinition, window: string): string {
  return `(${sloErrorRatioQuery(slo, window)} / ${formatPromNumber(
    1 - slo.objective,
  )})`;
}

/**
 * The names and labels of a family of SLO recording rules. Sloth's and
 * OpsDeck's have the same shape: one error-ratio series per window, named
 * `<prefix><window>`, labelled with the service, the SLO and the window.
 *
 * @public
 */
export interface SloRecordingRuleScheme {
  id: 'sloth' | 'opsdeck';
  /** Error ratio series name without the window, e.g. `slo:sli_error:ratio_rate`. */
  errorRatioPrefix: string;
  serviceLabel: string;
  sloLabel: string;
  windowLabel: string;
  objectiveMetric: string;
  errorBudgetMetric: string;
}

/**
 * Sloth's recording rules: `slo:sli_error:ratio_rate<window>` labelled
 * `sloth_service`, `sloth_slo` and `sloth_window`. Note that Sloth records its
 * SLO-window series (e.g. `slo:sli_error:ratio_rate30d`) as the average of its
 * 5m ratios, not from event counts: under uneven traffic it differs from the
 * event-weighted SLI.
 *
 * @public
 */
export const SLOTH_RECORDING_RULES: SloRecordingRuleScheme = {
  id: 'sloth',
  errorRatioPrefix: 'slo:sli_error:ratio_rate',
  serviceLabel: 'sloth_service',
  sloLabel: 'sloth_slo',
  windowLabel: 'sloth_window',
  objectiveMetric: 'slo:objective:ratio',
  errorBudgetMetric: 'slo:error_budget:ratio',
};

/**
 * OpsDeck's own recording rules, generated by `generateSloRuleFile`: the same
 * shape as Sloth's under the `opsdeck_slo:` prefix, so both can live in one
 * Prometheus without clashing. The SLO-window series is event-weighted.
 *
 * @public
 */
export const OPSDECK_RECORDING_RULES: SloRecordingRuleScheme = {
  id: 'opsdeck',
  errorRatioPrefix: 'opsdeck_slo:sli_error:ratio_rate',
  serviceLabel: 'opsdeck_service',
  sloLabel: 'opsdeck_slo',
  windowLabel: 'opsdeck_window',
  objectiveMetric: 'opsdeck_slo:objective:ratio',
  errorBudgetMetric: 'opsdeck_slo:error_budget:ratio',
};

/**
 * The name of the error-ratio recording rule for a window, e.g.
 * `slo:sli_error:ratio_rate1d` (windows spelled as Prometheus does: `4w`
 * for 28 days).
 *
 * @public
 */
export function sloRecordedErrorRatioMetric(
  scheme: SloRecordingRuleScheme,
  window: string,
): string {
  return `${scheme.errorRatioPrefix}${checkedWindow(window)}`;
}

/**
 * The label matchers that pick one SLO's recorded series.
 *
 * @public
 */
export function sloRecordingRuleMatchers(
  scheme: SloRecordingRuleScheme,
  slo: Pick<SloDefinition, 'service' | 'name'>,
): PromLabelMatcher[] {
  for (const value of [slo.service, slo.name]) {
    const problem = checkPromLabelValue(value);
    if (problem) {
      throw new TypeError(`Refusing to build PromQL: ${value} ${problem}`);
    }
  }
  return [
    { name: scheme.serviceLabel, op: '=', value: slo.service },
    { name: scheme.sloLabel, op: '=', value: slo.name },
  ];
}

/**
 * The query of a recorded error ratio, e.g.
 * `slo:sli_error:ratio_rate1h{sloth_service="payments",sloth_slo="availability"}`.
 * Returns no data when the rules are not loaded, which is how a caller finds
 * out to fall back to {@link sloErrorRatioQuery}.
 *
 * @public
 */
export function sloRecordedErrorRatioQuery(
  scheme: SloRecordingRuleScheme,
  slo: Pick<SloDefinition, 'service' | 'name'>,
  window: string,
): string {
  return formatPromSelector({
    metric: sloRecordedErrorRatioMetric(scheme, window),
    matchers: sloRecordingRuleMatchers(scheme, slo),
  });
}

/**
 * The resolution of the first step of {@link sloFirstSampleQueries}; the
 * second looks at one such interval at 15-second steps.
 */
const COVERAGE_COARSE_STEP_SECONDS = 3600;
const COVERAGE_FINE_STEP = '15s';

/**
 * Two instant queries that find the first sample of an SLO's total-events
 * counter in a window, to within 15 s, for {@link sloDataCoverage}. PromQL
 * has no "time of the first sample"; a subquery of `timestamp(counter)` at
 * 15-second steps over a 28-day window would cost 160,000 steps a series, so:
 *
 * 1. `coarse`, at the evaluation time: the first hour-step of the window with
 *    a sample in the hour before it (`timestamp()` of a function result is the
 *    step's time). 672 steps for 28 days, and no sample can fall between two
 *    steps unseen.
 * 2. `fine`, at that step's time (at the evaluation time when `coarse` found
 *    nothing: the data is then younger than the last whole hour):
 *    `timestamp(counter)` at 15-second steps over the hour before, whose
 *    minimum is a real sample's time, at most 15 s after the first one.
 *
 * @public
 */
export function sloFirstSampleQueries(
  slo: SloDefinition,
  window: string,
): { coarse: string; fine: string; coarseStepSeconds: number } {
  const selector = formatPromSelector(slo.indicator.total);
  const windowSeconds = parsePromDuration(checkedWindow(window))!;
  const stepSeconds = Math.min(COVERAGE_COARSE_STEP_SECONDS, windowSeconds);
  const step = formatPromDuration(stepSeconds);
  return {
    coarse: `min(min_over_time(timestamp(last_over_time(${selector}[${step}]))[${checkedWindow(
      window,
    )}:${step}]))`,
    fine: `min(min_over_time(timestamp(${selector})[${step}:${COVERAGE_FINE_STEP}]))`,
    coarseStepSeconds: stepSeconds,
  };
}
