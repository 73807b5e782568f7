// What a post-mortem draft is written from: the incident and what the other
// OpsDeck records say about its window. Gathered once, when the post-mortem
// starts; each source that fails is named in the draft instead of failing it.

import { BackstageCredentials } from '@backstage/backend-plugin-api';
import {
  Deployment,
  Incident,
  IncidentEvent,
  SeverityLevel,
} from '@opsdeck/plugin-ops-common';
import { DeploymentsService } from '../deployments/DeploymentsService';
import { IncidentStore } from '../incidents/IncidentStore';
import { OnCallService } from '../oncall/OnCallService';
import { alertsOfTimeline, AlertFact } from './timelineAlerts';
import { IncidentSloSpend, SloSpendReader } from './SloSpendReader';

export interface PostmortemFacts {
  incident: Incident;
  /** The incident's severity level and its targets, when configured. */
  severity?: SeverityLevel;
  /** The whole timeline, oldest first. */
  events: IncidentEvent[];
  /** The impact window: from the start (or detection) to resolution (or mitigation). */
  window: { start: string; end: string };
  /** How far before the start deployments are listed. */
  lookbackHours: number;
  /** Deployments and rollbacks from `lookbackHours` before the start to the end. */
  deployments: Deployment[] | { error: string };
  alerts: AlertFact[];
  /** Who was on call when the incident was detected, per level. */
  onCall: Array<{ level: string; userRef: string }> | { error: string };
  slos: IncidentSloSpend[] | { error: string };
}

/** Where the facts come from; each is the service the API reads through. */
export interface PostmortemFactSources {
  incidents: Pick<IncidentStore, 'listIncidentEvents'>;
  deployments: Pick<DeploymentsService, 'list'>;
  onCall: Pick<OnCallService, 'getOnCall'>;
  slos: SloSpendReader;
  severities: SeverityLevel[];
  lookbackHours: number;
}

/** The most deployments a draft lists (a busy service, a 24 h lookback). */
const MAX_DEPLOYMENTS = 200;

/** The impact window of an incident, as ISO times. */
export function incidentWindow(
  incident: Incident,
  now: Date,
): { start: string; end: string } {
  const start = incident.startedAt ?? incident.detectedAt;
  const end = incident.resolvedAt ?? incident.mitigatedAt ?? now.toISOString();
  // An impact that started after it was detected counts from detection.
  const first =
    Date.parse(start) <= Date.parse(incident.detectedAt)
      ? start
      : incident.detectedAt;
  return { start: first, end };
}

export async function gatherPostmortemFacts(
  incident: Incident,
  sources: PostmortemFactSources,
  credentials: BackstageCredentials,
  now: Date = new Date(),
): Promise<PostmortemFacts> {
  const window = incidentWindow(incident, now);
  const events = await sources.incidents.listIncidentEvents(incident.id);
  const from = new Date(
    Date.parse(window.start) - sources.lookbackHours * 3_600_000,
  ).toISOString();
  const [deployments, onCall, slos] = await Promise.all([
    failureAsError(async () => {
      const page = await sources.deployments.list(
        {
          entityRef: incident.entityRef,
          from,
          to: window.end,
          limit: MAX_DEPLOYMENTS,
        },
        credentials,
      );
      return [...page.items].sort((a, b) =>
        a.startedAt.localeCompare(b.startedAt),
      );
    }),
    failureAsError(async () => {
      const status = await sources.onCall.getOnCall(
        incident.entityRef,
        credentials,
        new Date(incident.detectedAt),
      );
      return status.levels.flatMap(l =>
        l.current ? [{ level: l.level, userRef: l.current.userRef }] : [],
      );
    }),
    failureAsError(() =>
      sources.slos.spentDuring(incident.entityRef, window, credentials),
    ),
  ]);
  return {
    incident,
    severity: sources.severities.find(s => s.id === incident.severity),
    events,
    window,
    lookbackHours: sources.lookbackHours,
    deployments,
    alerts: alertsOfTimeline(events),
    onCall,
    slos,
  };
}

async function failureAsError<T>(
  read: () => Promise<T>,
): Promise<T | { error: string }> {
  try {
    return await read();
  } catch (error) {
    return { error: (error as Error).message ?? String(error) };
  }
}
