import { clip, RECORD_LIMITS } from '@opsdeck/plugin-ops-common';
import {
  AlertmanagerAlert,
  AlertmanagerWebhookPayload,
} from './alertmanagerPayload';

/**
 * The title, summary and labels of an incident opened for firing alerts,
 * within the record limits: what fired, where to read about it, who is on
 * call.
 */
export function incidentText(input: {
  payload: AlertmanagerWebhookPayload;
  /** The group's key in the alert group store. */
  key: string;
  alertname: string;
  firing: AlertmanagerAlert[];
  runbook?: { url: string };
  oncall: Array<{ level: string; userRef: string }>;
}): { title: string; summary: string; labels: Record<string, string> } {
  const { payload, key, alertname, firing, runbook, oncall } = input;
  const first = firing[0];
  const summaryText =
    first.annotations.summary ?? first.annotations.description ?? '';
  const title = clip(
    `${alertname}${summaryText ? `: ${summaryText}` : ''}`,
    RECORD_LIMITS.titleLength,
  );
  const summary = clip(
    [
      `Opened by Alertmanager (receiver ${payload.receiver}) for ${
        firing.length
      } firing alert${firing.length === 1 ? '' : 's'} of group ${
        payload.groupKey
      }.`,
      first.annotations.description,
      runbook && `Runbook: ${runbook.url}`,
      oncall.length > 0 &&
        `On call: ${oncall.map(o => `${o.level} ${o.userRef}`).join(', ')}`,
    ]
      .filter(Boolean)
      .join('\n'),
    RECORD_LIMITS.textLength,
  );

  const labels: Record<string, string> = {
    source: 'alertmanager',
    alertname: clip(alertname, RECORD_LIMITS.labelValueLength),
    'alertmanager/group': key,
  };
  if (runbook) {
    labels.runbook = clip(runbook.url, RECORD_LIMITS.labelValueLength);
  }
  for (const o of oncall) labels[`oncall/${o.level}`] = o.userRef;
  return { title, summary, labels };
}

/** The alert names of a delivery, for timeline messages. */
export function describe(alerts: AlertmanagerAlert[]): string {
  const names = [...new Set(alerts.map(a => a.labels.alertname ?? '?'))];
  return names.join(', ');
}

/** What an incident's timeline keeps of an alert. */
export function alertData(alert: AlertmanagerAlert) {
  return {
    fingerprint: alert.fingerprint,
    status: alert.status,
    labels: alert.labels,
    annotations: alert.annotations,
    startsAt: alert.startsAt,
    endsAt: alert.endsAt,
    generatorURL: alert.generatorURL,
  };
}
