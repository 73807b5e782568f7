/**
 * The indicator of an OpenSLO objective: a ratio of counters (good or bad
 * over total) or a latency threshold on a histogram.
 */
import type { SloIndicator } from '../model';
import {
  parsePromCounterQuery,
  PromSelector,
  withPromMatchers,
} from '../selector';
import type { Fail, Path } from './common';
import type { Metric, Objective, SliSpec } from './opensloSchema';

export function openSloIndicator(
  sli: SliSpec,
  sliPath: Path,
  objective: Objective,
  objectivePath: Path,
  fail: Fail,
): SloIndicator | undefined {
  if (sli.ratioMetric && sli.thresholdMetric) {
    fail(sliPath, 'give either ratioMetric or thresholdMetric, not both');
    return undefined;
  }
  if (sli.ratioMetric) {
    const ratio = sli.ratioMetric;
    const path = [...sliPath, 'ratioMetric'];
    if (ratio.raw !== undefined || ratio.rawType !== undefined) {
      fail(
        path,
        'raw ratio metrics are not supported: OpsDeck counts good and total events, it does not average precomputed ratios',
      );
      return undefined;
    }
    if (ratio.counter === false) {
      fail(
        [...path, 'counter'],
        'OpsDeck counts events with increase(), so the metrics must be counters (counter: true)',
      );
      return undefined;
    }
    if ((ratio.good === undefined) === (ratio.bad === undefined)) {
      fail(path, 'give exactly one of good and bad, with total');
      return undefined;
    }
    if (!ratio.total) {
      fail(path, 'total is required');
      return undefined;
    }
    const numeratorKey = ratio.good ? 'good' : 'bad';
    const numerator = openSloQuery(
      (ratio.good ?? ratio.bad)!,
      [...path, numeratorKey],
      fail,
    );
    const total = openSloQuery(ratio.total, [...path, 'total'], fail);
    if (!numerator || !total) {
      return undefined;
    }
    return { type: 'ratio', [numeratorKey]: numerator, total };
  }
  if (sli.thresholdMetric) {
    return latencyIndicator(
      sli.thresholdMetric,
      [...sliPath, 'thresholdMetric'],
      objective,
      objectivePath,
      fail,
    );
  }
  fail(sliPath, 'the indicator needs a ratioMetric or a thresholdMetric');
  return undefined;
}

function openSloQuery(
  metric: Metric,
  path: Path,
  fail: Fail,
): PromSelector | undefined {
  const { type, spec } = metric.metricSource;
  if (type !== undefined && type.toLowerCase() !== 'prometheus') {
    fail(
      [...path, 'metricSource', 'type'],
      `unsupported metric source ${type}; OpsDeck evaluates SLOs on Prometheus`,
    );
    return undefined;
  }
  const parsed = parsePromCounterQuery(spec.query);
  if (!parsed.ok) {
    fail([...path, 'metricSource', 'spec', 'query'], parsed.error);
    return undefined;
  }
  return parsed.value.selector;
}

function latencyIndicator(
  metric: Metric,
  path: Path,
  objective: Objective,
  objectivePath: Path,
  fail: Fail,
): SloIndicator | undefined {
  const selector = openSloQuery(metric, path, fail);
  if (!selector) {
    return undefined;
  }
  const queryPath = [...path, 'metricSource', 'spec', 'query'];
  if (!selector.metric.endsWith('_bucket')) {
    fail(
      queryPath,
      'thresholdMetric must select a histogram _bucket series (e.g. http_request_duration_seconds_bucket{job="api"}): OpsDeck counts the requests under the threshold',
    );
    return undefined;
  }
  if (selector.matchers.some(m => m.name === 'le')) {
    fail(
      queryPath,
      'leave out the le label: the objective value sets the bucket',
    );
    return undefined;
  }
  if (objective.op !== 'lte' && objective.op !== 'lt') {
    fail(
      [...objectivePath, 'op'],
      'a latency objective needs op: lte (requests at or under the value are good)',
    );
    return undefined;
  }
  const threshold = objective.value;
  if (
    threshold === undefined ||
    !(threshold > 0) ||
    !Number.isFinite(threshold)
  ) {
    fail(
      [...objectivePath, 'value'],
      'a latency objective needs a positive value: the threshold in the histogram unit (seconds), equal to a bucket boundary',
    );
    return undefined;
  }
  const le = String(threshold);
  return {
    type: 'latency',
    good: withPromMatchers(selector, [leMatcher(threshold)]),
    total: withPromMatchers(selector, [{ name: 'le', op: '=', value: '+Inf' }]),
    latency: { bucketMetric: selector.metric, threshold, le },
  };
}

// Prometheus 3 rewrites integral bucket boundaries as floats when scraping
// (le="1" becomes le="1.0"); matching both keeps the SLO working across
// versions. Non-integral boundaries print the same in both.
function leMatcher(threshold: number) {
  const le = String(threshold);
  if (Number.isInteger(threshold)) {
    return { name: 'le', op: '=~' as const, value: `${le}|${le}\\.0` };
  }
  return { name: 'le', op: '=' as const, value: le };
}
