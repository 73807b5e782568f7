import { EvaluatedSlo } from '@opsdeck/plugin-ops-common';

/** 0.999 as "99.9 %", 0.99 as "99 %": as many decimals as the objective has. */
export function formatPercent(ratio: number, decimals?: number): string {
  const percent = ratio * 100;
  const digits =
    decimals ??
    Math.min(
      4,
      Math.max(
        0,
        (String(Number(percent.toPrecision(10))).split('.')[1] ?? '').length,
      ),
    );
  return `${percent.toFixed(digits)} %`;
}

/** A burn rate as "14.4x", with one decimal under 100. */
export function formatBurnRate(rate: number): string {
  return rate >= 100 ? `${Math.round(rate)}x` : `${rate.toFixed(1)}x`;
}

/** Minutes as "43 min", "2 h 5 min", or "-12 min" when overspent. */
export function formatMinutes(minutes: number): string {
  const sign = minutes < 0 ? '-' : '';
  const total = Math.round(Math.abs(minutes));
  if (total < 60) return `${sign}${total} min`;
  const hours = Math.floor(total / 60);
  const rest = total % 60;
  return `${sign}${hours} h${rest ? ` ${rest} min` : ''}`;
}

/**
 * The lowest alert factor a window takes part in: a burn rate above it over
 * that window is one half of a firing tier.
 */
export function alertFactorOf(
  slo: EvaluatedSlo,
  window: string,
): number | undefined {
  const factors = (slo.alerts?.tiers ?? [])
    .filter(
      ({ tier }) => tier.longWindow === window || tier.shortWindow === window,
    )
    .map(({ tier }) => tier.burnRateFactor);
  return factors.length ? Math.min(...factors) : undefined;
}

/** What the card says when an SLO has no numbers. */
export function describeSloError(message: string): string {
  return /unavailable|refused a query/.test(message)
    ? `Prometheus unavailable: ${message}`
    : message;
}

/** Green with a quarter of the budget left, orange below, red when spent. */
export function budgetColor(remainingRatio: number): string {
  if (remainingRatio > 0.25) return '#2e7d32';
  if (remainingRatio > 0) return '#ef6c00';
  return '#c62828';
}

/**
 * A stretch of time as "45 s", "10 min", "2 h 5 min", "3 d 4 h": how much
 * data an SLO figure is based on.
 */
export function formatSpan(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  const minutes = Math.round(s / 60);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) {
    const rest = minutes % 60;
    return `${hours} h${rest ? ` ${rest} min` : ''}`;
  }
  const days = Math.floor(hours / 24);
  const rest = hours % 24;
  return `${days} d${rest ? ` ${rest} h` : ''}`;
}

/** Whether the SLO's numbers rest on less data than its window. */
export function isPartial(slo: EvaluatedSlo): boolean {
  return slo.coverage !== undefined && !slo.coverage.complete;
}
