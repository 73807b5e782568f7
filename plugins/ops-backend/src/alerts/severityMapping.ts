import { Config } from '@backstage/config';
import { SeverityLevel } from '@opsdeck/plugin-ops-common';

/**
 * Alert severity label values to incident severities, from the manuals'
 * alert tiers: critical pages the on-call (SEV1), high pages too (SEV2),
 * medium/warning go to chat (SEV3), low/info to email (SEV4).
 */
export const DEFAULT_ALERT_SEVERITIES: Record<string, string> = {
  critical: 'SEV1',
  page: 'SEV1',
  high: 'SEV2',
  error: 'SEV2',
  warning: 'SEV3',
  medium: 'SEV3',
  low: 'SEV4',
  info: 'SEV4',
};

export interface AlertmanagerOptions {
  /** Alert label that names the service (a component name or entity ref). */
  serviceLabel: string;
  severityLabel: string;
  severities: Record<string, string>;
  /** For alerts without a mapped severity. */
  defaultSeverity: string;
}

export function readAlertmanagerOptions(
  config: Config,
  levels: SeverityLevel[],
): AlertmanagerOptions {
  const section = config.getOptionalConfig('ops.alerts.alertmanager');
  const configured = section?.getOptionalConfig('severities');
  const severities: Record<string, string> = configured
    ? Object.fromEntries(
        configured.keys().map(key => [key, configured.getString(key)]),
      )
    : DEFAULT_ALERT_SEVERITIES;
  const known = new Set(levels.map(l => l.id));
  const defaultSeverity =
    section?.getOptionalString('defaultSeverity') ??
    (known.has('SEV3') ? 'SEV3' : levels[levels.length - 1].id);
  for (const [label, severity] of [
    ...Object.entries(severities),
    ['defaultSeverity', defaultSeverity],
  ]) {
    if (!known.has(severity)) {
      throw new Error(
        `Invalid ops.alerts.alertmanager.severities.${label}: '${severity}' is not one of the severity levels ${[
          ...known,
        ].join(', ')}`,
      );
    }
  }
  return {
    serviceLabel: section?.getOptionalString('serviceLabel') ?? 'service',
    severityLabel: section?.getOptionalString('severityLabel') ?? 'severity',
    severities,
    defaultSeverity,
  };
}

/** The most severe incident severity any of the alerts maps to. */
export function incidentSeverity(
  alertLabels: Array<Record<string, string>>,
  options: AlertmanagerOptions,
  levels: SeverityLevel[],
): string {
  const rank = (id: string) => levels.findIndex(l => l.id === id);
  const mapped = alertLabels.map(
    labels =>
      options.severities[
        (labels[options.severityLabel] ?? '').toLocaleLowerCase('en-US')
      ] ?? options.defaultSeverity,
  );
  return mapped.length === 0
    ? options.defaultSeverity
    : mapped.reduce((worst, s) => (rank(s) < rank(worst) ? s : worst));
}
