/**
 * The alert state of an SLO as Prometheus itself has it: the alerting rules
 * it loaded for the SLO and their firing alerts (`GET /api/v1/rules`). Only
 * this says "paging": burn rates over thresholds are what a rule would
 * compute, not whether a rule exists, is loaded, and fires.
 */
import { OPSDECK_RECORDING_RULES, SLOTH_RECORDING_RULES } from './queries';

/**
 * An alerting rule as `GET /api/v1/rules?type=alert` lists it (the fields
 * OpsDeck reads).
 *
 * @public
 */
export interface PrometheusAlertingRule {
  /** The rule's `alert:` name. */
  name: string;
  /** The rule's static labels (OpsDeck's and Sloth's carry the SLO's). */
  labels?: Record<string, string>;
  /** Its active alerts: `pending` inside the rule's `for`, then `firing`. */
  alerts?: Array<{
    labels?: Record<string, string>;
    state: string;
    activeAt?: string;
  }>;
}

/**
 * One firing alert of an SLO.
 *
 * @public
 */
export interface SloFiringAlert {
  /** The alert's name, e.g. `SLOErrorBudgetBurn`. */
  name: string;
  /** From the alert's `severity` (OpsDeck) or `sloth_severity` (Sloth) label. */
  severity: 'page' | 'ticket';
  /** When Prometheus first saw the alert's condition. */
  activeAt?: string;
}

/**
 * Prometheus' own alert state for one SLO.
 *
 * @public
 */
export interface SloPrometheusAlerts {
  /** Alerting rules for this SLO that Prometheus has loaded; 0: none, nothing can page. */
  rules: number;
  /** The most severe firing alert, or `none`. */
  severity: 'page' | 'ticket' | 'none';
  /** The firing alerts of those rules (pending ones are left out). */
  firing: SloFiringAlert[];
}

// OpsDeck's generated rules label their alerts `severity: page|ticket`;
// Sloth's carry `sloth_severity: page|ticket` (and a `severity` of the
// user's choosing, often `critical`/`warning`).
function severityOf(labels: Record<string, string>): 'page' | 'ticket' {
  const value = labels.sloth_severity ?? labels.severity ?? '';
  return ['page', 'critical'].includes(value.toLowerCase()) ? 'page' : 'ticket';
}

/**
 * Picks the alerting rules of one SLO (by the service and SLO labels of
 * OpsDeck's or Sloth's rules) and summarizes their firing alerts. Pending
 * alerts (inside their `for`) do not count: they notify no one yet.
 *
 * @public
 */
export function sloPrometheusAlerts(
  slo: { service: string; name: string },
  rules: PrometheusAlertingRule[],
): SloPrometheusAlerts {
  const ofSlo = rules.filter(rule =>
    [OPSDECK_RECORDING_RULES, SLOTH_RECORDING_RULES].some(
      scheme =>
        rule.labels?.[scheme.serviceLabel] === slo.service &&
        rule.labels?.[scheme.sloLabel] === slo.name,
    ),
  );
  const firing: SloFiringAlert[] = [];
  for (const rule of ofSlo) {
    for (const alert of rule.alerts ?? []) {
      if (alert.state !== 'firing') continue;
      firing.push({
        name: rule.name,
        severity: severityOf({ ...rule.labels, ...alert.labels }),
        ...(alert.activeAt ? { activeAt: alert.activeAt } : {}),
      });
    }
  }
  let severity: SloPrometheusAlerts['severity'] = 'none';
  if (firing.some(a => a.severity === 'page')) severity = 'page';
  else if (firing.length > 0) severity = 'ticket';
  return { rules: ofSlo.length, severity, firing };
}
