// The alerts of an incident, as the Alertmanager webhook recorded them on its
// timeline (notes with data.source 'alertmanager', see AlertmanagerService).

import { IncidentEvent } from '@opsdeck/plugin-ops-common';

export interface AlertFact {
  name: string;
  /** When the alert started firing (Alertmanager's startsAt). */
  startsAt?: string;
  /** When it opened or joined the incident (the timeline entry). */
  recordedAt: string;
  /** 'opened' the incident, or 'joined' it later. */
  role: 'opened' | 'joined';
  summary?: string;
  runbookUrl?: string;
}

type RecordedAlert = {
  fingerprint?: string;
  status?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  startsAt?: string;
};

/** Every alert that fired into the incident, once each, in timeline order. */
export function alertsOfTimeline(events: IncidentEvent[]): AlertFact[] {
  const seen = new Set<string>();
  const facts: AlertFact[] = [];
  let opened = false;
  for (const event of events) {
    const data = event.data as
      | {
          source?: string;
          alerts?: RecordedAlert[];
          runbook?: { url?: string };
        }
      | undefined;
    if (data?.source !== 'alertmanager' || !Array.isArray(data.alerts)) {
      continue;
    }
    const firing = data.alerts.filter(a => a.status === 'firing');
    if (firing.length === 0) continue;
    const role = opened ? 'joined' : 'opened';
    opened = true;
    for (const alert of firing) {
      const name = alert.labels?.alertname ?? 'Alert';
      const key = alert.fingerprint ?? `${name}:${alert.startsAt}`;
      if (seen.has(key)) continue;
      seen.add(key);
      facts.push({
        name,
        startsAt: alert.startsAt,
        recordedAt: event.createdAt,
        role,
        summary: alert.annotations?.summary ?? alert.annotations?.description,
        runbookUrl: alert.annotations?.runbook_url ?? data.runbook?.url,
      });
    }
  }
  return facts;
}
