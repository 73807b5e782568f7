import {
  errorBudget,
  evaluateSlo,
  formatPromDuration,
  sloDataCoverage,
  sloErrorRatioQuery,
  sloFirstSampleQueries,
  sloMeasurementWindows,
  sloRecordedErrorRatioQuery,
  SloBudgetPoint,
  SloDefinition,
  SloQuerySource,
  SloRecordingRuleScheme,
  EvaluatedSlo,
  OPSDECK_RECORDING_RULES,
  SLOTH_RECORDING_RULES,
} from '@opsdeck/plugin-ops-common';
import { PrometheusClient } from './PrometheusClient';

/** The labels the combined queries tag each window's series with. */
const WINDOW_LABEL = 'opsdeck_eval_window';
const SOURCE_LABEL = 'opsdeck_eval_source';

/**
 * One PromQL query that returns a series per window, tagged with the window
 * (and where it came from): `label_replace(max(q5m), "w", "5m", "", "") or
 * ...`. An SLO costs Prometheus one round trip instead of eight.
 */
function byWindowQuery(
  windows: string[],
  source: SloQuerySource,
  queryOf: (window: string) => string,
): string {
  return windows
    .map(
      w =>
        `label_replace(label_replace(max(${queryOf(
          w,
        )}), "${WINDOW_LABEL}", "${w}", "", ""), "${SOURCE_LABEL}", "${source}", "", "")`,
    )
    .join(' or ');
}

/** The recording rule families OpsDeck looks for, in order of preference. */
const RULE_SCHEMES: Array<{
  scheme: SloRecordingRuleScheme;
  source: SloQuerySource;
}> = [
  { scheme: OPSDECK_RECORDING_RULES, source: 'opsdeck-rules' },
  { scheme: SLOTH_RECORDING_RULES, source: 'sloth-rules' },
];

/**
 * Evaluates SLO definitions on one Prometheus: the error ratio over every
 * alert window and the SLO window, from recording rules when every window
 * has one (OpsDeck's own, or Sloth's `slo:sli_error:ratio_rate*`), else from
 * the raw counters. The arithmetic on the results is ops-common's.
 */
export class SloEvaluator {
  constructor(private readonly prometheus: PrometheusClient) {}

  async evaluate(
    slo: SloDefinition,
    at: number,
    deadline?: number,
  ): Promise<EvaluatedSlo> {
    const windows = sloMeasurementWindows(slo.windowSeconds);
    const [{ ratios, source }, firstSample] = await Promise.all([
      this.#errorRatios(slo, windows, at, deadline),
      this.firstSample(slo, at, deadline),
    ]);
    const coverage = sloDataCoverage({
      windowSeconds: slo.windowSeconds,
      at,
      firstSample,
      windows,
    });
    return {
      ...describeSlo(slo),
      evaluatedAt: new Date(at * 1000).toISOString(),
      querySource: source,
      ...evaluateSlo(slo, Object.fromEntries(ratios), coverage),
    };
  }

  /**
   * The time (unix seconds) of the first sample of the SLO's total-events
   * counter in its window at `at`, to within 15 s; `undefined` when the
   * window holds none. Two cheap queries (see `sloFirstSampleQueries`); the
   * raw counter, not a recording rule, since a rule loaded yesterday still
   * computes over the counter's whole history.
   */
  async firstSample(
    slo: SloDefinition,
    at: number,
    deadline?: number,
  ): Promise<number | undefined> {
    const { coarse, fine } = sloFirstSampleQueries(slo, slo.window);
    const [hour] = await this.prometheus.query(coarse, at, deadline);
    const anchor = hour && Number.isFinite(hour.value) ? hour.value : at;
    const [first] = await this.prometheus.query(fine, anchor, deadline);
    if (!first || !Number.isFinite(first.value)) return undefined;
    return first.value;
  }

  /**
   * The remaining error budget over the SLO window, at up to `points`
   * instants ending at `at`: what the budget chart draws. When the data is
   * younger than the window the chart starts at its first sample (at a finer
   * step), and each point's budget counts only the data before it.
   */
  async budgetHistory(
    slo: SloDefinition,
    at: number,
    points: number,
  ): Promise<{
    source: SloQuerySource;
    points: SloBudgetPoint[];
    firstSample?: number;
  }> {
    const window = formatPromDuration(slo.windowSeconds);
    const firstSample = await this.firstSample(slo, at);
    if (firstSample === undefined) {
      return { source: 'raw', points: [] };
    }
    const start = Math.max(at - slo.windowSeconds, Math.floor(firstSample));
    // Steps count back from `at`, so the last point is now.
    const step = Math.max(60, Math.ceil((at - start) / points));
    const first = at - Math.floor((at - start) / step) * step;
    let source: SloQuerySource = 'raw';
    let series: Array<[number, number]> = [];
    for (const { scheme, source: ruleSource } of RULE_SCHEMES) {
      const recorded = await this.prometheus.queryRange(
        `max(${sloRecordedErrorRatioQuery(scheme, slo, window)})`,
        first,
        at,
        step,
      );
      if (recorded.length > 0) {
        source = ruleSource;
        series = recorded[0].values;
        break;
      }
    }
    if (source === 'raw') {
      const raw = await this.prometheus.queryRange(
        `max(${sloErrorRatioQuery(slo, window)})`,
        first,
        at,
        step,
      );
      series = raw[0]?.values ?? [];
    }
    return {
      source,
      ...(firstSample > at - slo.windowSeconds ? { firstSample } : {}),
      points: series
        .filter(([, ratio]) => Number.isFinite(ratio))
        .map(([t, ratio]) => {
          const sli = 1 - ratio;
          const { complete, coveredSeconds } = sloDataCoverage({
            windowSeconds: slo.windowSeconds,
            at: t,
            firstSample,
            windows: [],
          });
          return {
            time: new Date(t * 1000).toISOString(),
            sli,
            remainingRatio: errorBudget(
              slo.objective,
              slo.windowSeconds,
              sli,
              complete ? slo.windowSeconds : coveredSeconds,
            ).remainingRatio,
          };
        }),
    };
  }

  async #errorRatios(
    slo: SloDefinition,
    windows: string[],
    at: number,
    deadline?: number,
  ): Promise<{ ratios: Map<string, number>; source: SloQuerySource }> {
    // Recording rules first, both families in one query: when they exist
    // they are what the alerts use, and they are cheap. Only a complete set
    // counts, so a half-deployed rule file does not mix two ways of counting
    // in one card.
    const recorded = await this.prometheus.query(
      RULE_SCHEMES.map(
        ({ scheme, source }) =>
          `(${byWindowQuery(windows, source, w =>
            sloRecordedErrorRatioQuery(scheme, slo, w),
          )})`,
      ).join(' or '),
      at,
      deadline,
    );
    for (const { source } of RULE_SCHEMES) {
      const ratios = toWindowMap(recorded, source);
      if (windows.every(w => ratios.has(w))) {
        return { ratios, source };
      }
    }
    const raw = await this.prometheus.query(
      byWindowQuery(windows, 'raw', w => sloErrorRatioQuery(slo, w)),
      at,
      deadline,
    );
    return { ratios: toWindowMap(raw, 'raw'), source: 'raw' };
  }
}

function toWindowMap(
  samples: Array<{ metric: Record<string, string>; value: number }>,
  source: SloQuerySource,
): Map<string, number> {
  const ratios = new Map<string, number>();
  for (const sample of samples) {
    if (sample.metric[SOURCE_LABEL] !== source) continue;
    const window = sample.metric[WINDOW_LABEL];
    // NaN is 0/0: no event in the window, an unknown ratio, not 100 %.
    if (window && Number.isFinite(sample.value)) {
      ratios.set(window, sample.value);
    }
  }
  return ratios;
}

/** What the card shows about an SLO besides its numbers. */
export function describeSlo(slo: SloDefinition) {
  return {
    name: slo.name,
    displayName: slo.displayName ?? slo.name,
    description: slo.description,
    service: slo.service,
    objective: slo.objective,
    window: slo.window,
    windowSeconds: slo.windowSeconds,
    budgetingMethod: slo.budgetingMethod,
    indicatorType: slo.indicator.type,
    ...(slo.timeslices
      ? {
          timeslices: {
            slice: slo.timeslices.slice,
            sliceTarget: slo.timeslices.sliceTarget,
          },
        }
      : {}),
    source: slo.source,
  };
}
