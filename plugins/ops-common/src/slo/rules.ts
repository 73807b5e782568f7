/**
 * Prometheus rules for SLOs: recording rules for the error ratio of every
 * alert window and of the SLO window, and the multi-window multi-burn-rate
 * alerts of the SRE workbook, in the shape Sloth generates them.
 */
import { stringify } from 'yaml';
import {
  SLO_ALERT_WINDOWS,
  sloAlertTiers,
  SloAlertSeverity,
  SloAlertTier,
  sloMeasurementWindows,
} from './alerting';
import type { SloDefinition } from './model';
import {
  formatPromNumber,
  OPSDECK_RECORDING_RULES,
  promEventCountQuery,
  sloErrorRatioQuery,
  sloRecordedErrorRatioMetric,
  sloRecordingRuleMatchers,
  sloTimesliceGoodQuery,
} from './queries';
import { checkPromLabelValue, formatPromMatchers } from './selector';

/**
 * A Prometheus recording or alerting rule, as in a rule file.
 *
 * @public
 */
export interface PrometheusRule {
  record?: string;
  alert?: string;
  expr: string;
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

/**
 * A Prometheus rule group.
 *
 * @public
 */
export interface PrometheusRuleGroup {
  name: string;
  /** Evaluation interval of the group when it differs from the global one. */
  interval?: string;
  rules: PrometheusRule[];
}

/**
 * Options of `generateSloRuleGroups`.
 *
 * @public
 */
export interface SloRuleOptions {
  /**
   * The runbook of an SLO's alerts (e.g. the service's TechDocs runbook),
   * written as the `runbook_url` annotation. A string applies to every SLO.
   */
  runbookUrl?: string | ((slo: SloDefinition) => string | undefined);
  /** Name of the alerts; `SLOErrorBudgetBurn` by default. */
  alertName?: string;
  /** Labels added to every alert (e.g. `team`); names and values are checked. */
  alertLabels?: Record<string, string>;
}

/** Event counters over 5 minutes, summed over the SLO window for its SLI. */
const BAD_EVENTS_5M = 'opsdeck_slo:bad_events:increase5m';
const TOTAL_EVENTS_5M = 'opsdeck_slo:total_events:increase5m';
/** 1 for a good slice, 0 for a bad one, for Timeslices SLOs. */
const TIMESLICE_GOOD = 'opsdeck_slo:timeslice_good:bool';
/** Remaining error budget over the SLO window, as a ratio of the budget. */
const BUDGET_REMAINING = 'opsdeck_slo:period_error_budget_remaining:ratio';

const scheme = OPSDECK_RECORDING_RULES;

/**
 * The rule groups for a set of SLOs: per SLO, the SLI recordings (error ratio
 * `opsdeck_slo:sli_error:ratio_rate<window>` for 5m, 30m, 1h, 2h, 6h, 1d, 3d
 * and the SLO window), metadata recordings (objective, error budget,
 * remaining budget) and two alerts, `severity: page` (14.4x over 1h and 5m,
 * or 6x over 6h and 30m, for 30 days) and `severity: ticket` (3x over 1d and
 * 2h, or 1x over 3d and 6h), with factors scaled to the SLO window.
 *
 * Like Sloth and the workbook, the alerts have no `for`: the short window
 * already requires the burn to be going on now, and a `for` would only delay
 * a page by its length.
 *
 * The alert windows are recorded from raw counters (event counts over the
 * window); the SLO window, too long to re-read every evaluation, sums 5-minute
 * event counts recorded by the same group, which keeps it event-weighted
 * (Sloth averages its 5m ratios instead). Timeslices SLOs get a group that
 * records whether each slice is good, evaluated once per slice.
 *
 * @public
 */
export function generateSloRuleGroups(
  slos: SloDefinition[],
  options: SloRuleOptions = {},
): PrometheusRuleGroup[] {
  const alertLabels = checkedAlertLabels(options.alertLabels ?? {});
  const alertName = options.alertName ?? 'SLOErrorBudgetBurn';
  if (!/^[a-zA-Z_][a-zA-Z0-9_]*$/.test(alertName)) {
    throw new TypeError(`Invalid alert name ${JSON.stringify(alertName)}`);
  }
  const groups: PrometheusRuleGroup[] = [];
  for (const slo of slos) {
    const labels = sloLabels(slo);
    const id = `${slo.service}-${slo.name}`;
    const filter = formatPromMatchers(sloRecordingRuleMatchers(scheme, slo));
    const windows = sloMeasurementWindows(slo.windowSeconds);
    const alertWindows = windows.filter(w => w !== slo.window);

    if (slo.budgetingMethod === 'Timeslices' && slo.timeslices) {
      groups.push({
        name: `opsdeck-slo-timeslices-${id}`,
        interval: slo.timeslices.slice,
        rules: [
          { record: TIMESLICE_GOOD, expr: sloTimesliceGoodQuery(slo), labels },
        ],
      });
      groups.push({
        name: `opsdeck-slo-sli-recordings-${id}`,
        rules: windows.map(window => ({
          record: sloRecordedErrorRatioMetric(scheme, window),
          expr: `1 - avg_over_time(${TIMESLICE_GOOD}${filter}[${window}])`,
          labels: { ...labels, [scheme.windowLabel]: window },
        })),
      });
    } else {
      const numerator = slo.indicator.bad
        ? promEventCountQuery(slo.indicator.bad, '5m')
        : `(${promEventCountQuery(
            slo.indicator.total,
            '5m',
          )} - ${promEventCountQuery(slo.indicator.good!, '5m')})`;
      groups.push({
        name: `opsdeck-slo-sli-recordings-${id}`,
        rules: [
          { record: BAD_EVENTS_5M, expr: numerator, labels },
          {
            record: TOTAL_EVENTS_5M,
            expr: promEventCountQuery(slo.indicator.total, '5m'),
            labels,
          },
          ...alertWindows.map(window => ({
            record: sloRecordedErrorRatioMetric(scheme, window),
            expr: sloErrorRatioQuery(slo, window),
            labels: { ...labels, [scheme.windowLabel]: window },
          })),
          {
            record: sloRecordedErrorRatioMetric(scheme, slo.window),
            expr: `sum_over_time(${BAD_EVENTS_5M}${filter}[${slo.window}]) / sum_over_time(${TOTAL_EVENTS_5M}${filter}[${slo.window}])`,
            labels: { ...labels, [scheme.windowLabel]: slo.window },
          },
        ],
      });
    }

    const budget = formatPromNumber(1 - slo.objective);
    groups.push({
      name: `opsdeck-slo-meta-recordings-${id}`,
      rules: [
        {
          record: scheme.objectiveMetric,
          expr: `vector(${formatPromNumber(slo.objective)})`,
          labels,
        },
        {
          record: scheme.errorBudgetMetric,
          expr: `vector(${budget})`,
          labels,
        },
        {
          record: BUDGET_REMAINING,
          expr: `1 - max without (${
            scheme.windowLabel
          }) (${sloRecordedErrorRatioMetric(
            scheme,
            slo.window,
          )}${filter}) / ${budget}`,
          labels,
        },
      ],
    });

    const tiers = sloAlertTiers(slo.objective, slo.windowSeconds);
    const runbookUrl =
      typeof options.runbookUrl === 'function'
        ? options.runbookUrl(slo)
        : options.runbookUrl;
    groups.push({
      name: `opsdeck-slo-alerts-${id}`,
      rules: (['page', 'ticket'] as SloAlertSeverity[]).map(severity =>
        alertRule(
          slo,
          tiers.filter(t => t.severity === severity),
          {
            alertName,
            // the SLO's labels make each alert rule distinct, as promtool's
            // lint requires, and are on the recorded series anyway
            labels: { ...alertLabels, ...labels },
            filter,
            runbookUrl,
          },
        ),
      ),
    });
  }
  return groups;
}

function sloLabels(slo: SloDefinition): Record<string, string> {
  return Object.fromEntries(
    sloRecordingRuleMatchers(scheme, slo).map(m => [m.name, m.value]),
  );
}

function checkedAlertLabels(
  labels: Record<string, string>,
): Record<string, string> {
  for (const [name, value] of Object.entries(labels)) {
    const problem = /^[a-zA-Z_][a-zA-Z0-9_]*$/.test(name)
      ? checkPromLabelValue(value)
      : 'is not a valid label name';
    if (problem) {
      throw new TypeError(`Alert label ${name} ${problem}`);
    }
  }
  return labels;
}

// Sloth's multi-window expression: for each tier, both windows above the
// tier's error ratio, tiers joined by `or`. The window label is dropped with
// `max without` so an alert keeps one identity whichever tier fires.
function alertRule(
  slo: SloDefinition,
  tiers: SloAlertTier[],
  context: {
    alertName: string;
    labels: Record<string, string>;
    filter: string;
    runbookUrl?: string;
  },
): PrometheusRule {
  const budget = formatPromNumber(1 - slo.objective);
  const over = (window: string, tier: SloAlertTier) =>
    `max without (${scheme.windowLabel}) (${sloRecordedErrorRatioMetric(
      scheme,
      window,
    )}${context.filter} > (${formatPromNumber(
      tier.burnRateFactor,
    )} * ${budget}))`;
  const expr = tiers
    .map(
      tier =>
        `(\n  ${over(tier.shortWindow, tier)}\n  and\n  ${over(
          tier.longWindow,
          tier,
        )}\n)`,
    )
    .join('\nor\n');
  const severity = tiers[0].severity;
  const described = tiers
    .map(
      t =>
        `${formatPromNumber(t.burnRateFactor)}x over ${t.longWindow} and ${
          t.shortWindow
        }`,
    )
    .join(', or ');
  const annotations: Record<string, string> = {
    summary: `${slo.service} ${slo.name}: the error budget is burning too fast (${severity})`,
    description: `The SLO ${slo.name} of ${
      slo.service
    } (objective ${formatPromNumber(slo.objective * 100)} % over ${
      slo.window
    }) burns its error budget at over ${described}.`,
  };
  if (context.runbookUrl !== undefined) {
    annotations.runbook_url = checkedUrl(context.runbookUrl);
  }
  return {
    alert: context.alertName,
    expr: `${expr}\n`,
    labels: { ...context.labels, severity },
    annotations,
  };
}

function checkedUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new TypeError(`Invalid runbook URL ${JSON.stringify(url)}`);
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    throw new TypeError(`Invalid runbook URL ${JSON.stringify(url)}`);
  }
  return parsed.toString();
}

/**
 * The rule file of a set of SLOs as YAML, ready for Prometheus' `rule_files`
 * (see `generateSloRuleGroups` for what it contains).
 *
 * @public
 */
export function generateSloRuleFile(
  slos: SloDefinition[],
  options: SloRuleOptions = {},
): string {
  const groups = generateSloRuleGroups(slos, options);
  const header = [
    '# Prometheus rules generated by OpsDeck from SLO definitions.',
    `# Alert tiers: ${SLO_ALERT_WINDOWS.map(
      w =>
        `${w.id} (${w.errorBudgetPercent} % of the budget in ${w.longWindow}, short window ${w.shortWindow})`,
    ).join('; ')}.`,
    '',
  ].join('\n');
  return (
    header +
    stringify({ groups }, { lineWidth: 0, aliasDuplicateObjects: false })
  );
}
