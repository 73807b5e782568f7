import type { PromSelector } from './selector';

/**
 * How an SLO counts its budget: `Occurrences` counts events (good requests
 * over all requests); `Timeslices` counts good time slices over all slices.
 *
 * @public
 */
export type SloBudgetingMethod = 'Occurrences' | 'Timeslices';

/**
 * What an SLO measures, as counter selectors OpsDeck turns into
 * `sum(increase(selector[W]))` for any window W. Exactly one of `good` and
 * `bad` is set: OpenSLO allows either, Sloth always gives the bad (error)
 * events.
 *
 * @public
 */
export interface SloIndicator {
  /** `ratio` for a ratioMetric or Sloth events; `latency` for a histogram threshold. */
  type: 'ratio' | 'latency';
  /** Counter of good events. */
  good?: PromSelector;
  /** Counter of bad events. */
  bad?: PromSelector;
  /** Counter of all events. */
  total: PromSelector;
  /**
   * For latency SLOs: good events are the histogram's `le` bucket at the
   * threshold, total events its `+Inf` bucket.
   */
  latency?: {
    /** The `_bucket` metric. */
    bucketMetric: string;
    /** The threshold in the histogram's unit (seconds by convention). */
    threshold: number;
    /** The `le` label value of the threshold bucket, e.g. `0.5`. */
    le: string;
  };
}

/**
 * Where a definition came from, to locate messages about it.
 *
 * @public
 */
export interface SloDefinitionSource {
  format: 'openslo' | 'sloth';
  file: string;
  /** 0-based index of the YAML document in the file. */
  documentIndex: number;
}

/**
 * An SLO normalized from an OpenSLO or Sloth document: everything the
 * evaluation, the alerts and the rule generation need, already validated
 * (names are label-safe, selectors re-printable, numbers in range).
 *
 * @public
 */
export interface SloDefinition {
  /**
   * Unique within the service; the `sloth_slo`/`opsdeck_slo` label value. An
   * OpenSLO SLO with several objectives gives one definition per objective,
   * named `<slo>-<objective name or index>`.
   */
  name: string;
  displayName?: string;
  description?: string;
  /** The service, the `sloth_service`/`opsdeck_service` label value. */
  service: string;
  /** Target ratio, strictly between 0 and 1 (0.999 for 99.9 %). */
  objective: number;
  /** Rolling window, in Prometheus spelling (`30d`, `4w`) and in seconds. */
  window: string;
  windowSeconds: number;
  budgetingMethod: SloBudgetingMethod;
  /** Set with `budgetingMethod: Timeslices`. */
  timeslices?: {
    /** Slice length in Prometheus spelling, e.g. `1m`. */
    slice: string;
    sliceSeconds: number;
    /** A slice is good when its own SLI is at least this ratio. */
    sliceTarget: number;
  };
  indicator: SloIndicator;
  source: SloDefinitionSource;
}

/**
 * A located problem in an SLO document.
 *
 * @public
 */
export interface SloDefinitionError {
  file: string;
  /** 0-based index of the YAML document in the file; undefined for the file as a whole. */
  documentIndex?: number;
  /** Path inside the document, e.g. `spec.objectives[0].target`; empty for the whole document. */
  path: string;
  /** 1-based line and column of the path in the file, when known. */
  line?: number;
  column?: number;
  message: string;
}
