/**
 * How much of an SLO window Prometheus has data for. A service scraped for
 * ten minutes has ten minutes of SLI, not 28 days: its ratios are over those
 * ten minutes, and a budget "overspent by 2400 %" or a "3d" burn rate from
 * them would be an extrapolation the data cannot support.
 */
import { parsePromDuration } from './duration';

/**
 * The data behind an evaluation, measured from the first sample of the SLI's
 * counters in the SLO window.
 *
 * @public
 */
export interface SloDataCoverage {
  /** The first sample in the SLO window; absent when there is none. */
  firstSampleAt?: string;
  /** Seconds of the SLO window with data: from the first sample to the evaluation, at most the window. */
  coveredSeconds: number;
  /** The data reaches back to the start of the SLO window. */
  complete: boolean;
  /**
   * Measurement windows (`1h`, `3d`, the SLO window ...) longer than the data:
   * their ratios and burn rates are over `coveredSeconds` only.
   */
  partialWindows: string[];
}

/**
 * A window counts as covered when the data misses at most this much of its
 * start: a tenth of the window, and never more than Prometheus' 5-minute
 * lookback (the first sample of a window lies up to one scrape interval
 * after its start even on a server that has scraped for years).
 */
function toleranceSeconds(windowSeconds: number): number {
  return Math.min(300, windowSeconds / 10);
}

/**
 * The coverage of an evaluation at `at` (unix seconds) whose SLI counters
 * were first sampled at `firstSample` (unix seconds; `undefined` without any
 * sample in the window), for the given measurement windows.
 *
 * @public
 */
export function sloDataCoverage(options: {
  windowSeconds: number;
  at: number;
  firstSample: number | undefined;
  windows: readonly string[];
}): SloDataCoverage {
  const { windowSeconds, at, firstSample, windows } = options;
  const coveredSeconds =
    firstSample === undefined
      ? 0
      : Math.max(0, Math.min(windowSeconds, at - firstSample));
  const covers = (seconds: number) =>
    coveredSeconds >= seconds - toleranceSeconds(seconds);
  return {
    ...(firstSample === undefined
      ? {}
      : {
          firstSampleAt: new Date(
            Math.max(firstSample, at - windowSeconds) * 1000,
          ).toISOString(),
        }),
    coveredSeconds,
    complete: covers(windowSeconds),
    partialWindows: windows.filter(w => {
      const seconds = parsePromDuration(w);
      return seconds !== undefined && !covers(seconds);
    }),
  };
}
