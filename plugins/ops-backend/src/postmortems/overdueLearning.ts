// What a team owes from its incidents: post-mortems past their due time,
// SEV1/SEV2 incidents past it without one started, and open action items past
// their due date. One rule for the readiness item and the notifications.

import {
  ActionItem,
  addBusinessDays,
  Incident,
  Postmortem,
  RECORD_LIMITS,
} from '@opsdeck/plugin-ops-common';
import { IncidentStore } from '../incidents/IncidentStore';
import { utcDay } from './postmortemRows';
import { PostmortemStore } from './PostmortemStore';
import { PostmortemsOptions } from './PostmortemsService';

/** How far back incidents without a post-mortem are looked for. */
const LOOKBACK_DAYS = 90;

export interface OverdueLearning {
  postmortems: Postmortem[];
  /** Incidents that need a post-mortem, past its due time, with none started. */
  notStarted: Array<{ incident: Incident; dueAt: string }>;
  actionItems: ActionItem[];
}

export interface OverdueLearningSources {
  store: PostmortemStore;
  incidents: Pick<IncidentStore, 'listIncidents'>;
  options: PostmortemsOptions;
}

export async function findOverdueLearning(
  sources: OverdueLearningSources,
  entityRef: string | undefined,
  now: Date,
): Promise<OverdueLearning> {
  const { store, incidents, options } = sources;
  const limit = RECORD_LIMITS.maxPageSize;
  const [postmortems, all, actionItems, ended] = await Promise.all([
    store.listPostmortems({ entityRef, overdueAt: now }, limit),
    store.listPostmortems({ entityRef }, limit),
    store.listActionItems({ entityRef, openDueBefore: utcDay(now) }, limit),
    options.dueSeverities.length === 0
      ? Promise.resolve({ items: [] as Incident[] })
      : incidents.listIncidents({
          entityRef,
          status: ['mitigated', 'resolved'],
          severity: options.dueSeverities,
          from: new Date(
            now.getTime() - LOOKBACK_DAYS * 86_400_000,
          ).toISOString(),
          limit,
        }),
  ]);
  const started = new Set(all.map(p => p.incidentId));
  const notStarted = ended.items.flatMap(incident => {
    if (started.has(incident.id)) return [];
    const endedAt = incident.resolvedAt ?? incident.mitigatedAt;
    if (!endedAt) return [];
    const dueAt = addBusinessDays(new Date(endedAt), options.dueBusinessDays);
    return dueAt < now ? [{ incident, dueAt: dueAt.toISOString() }] : [];
  });
  return { postmortems, notStarted, actionItems };
}

export function isEmpty(overdue: OverdueLearning): boolean {
  return (
    overdue.postmortems.length +
      overdue.notStarted.length +
      overdue.actionItems.length ===
    0
  );
}

/** One sentence per kind of debt, naming the records. */
export function describeOverdueLearning(overdue: OverdueLearning): string {
  const parts: string[] = [];
  if (overdue.notStarted.length > 0) {
    parts.push(
      `no post-mortem started for ${overdue.notStarted
        .map(
          ({ incident, dueAt }) =>
            `${incident.severity} "${incident.title}" (due ${dueAt.slice(
              0,
              10,
            )})`,
        )
        .join(', ')}`,
    );
  }
  if (overdue.postmortems.length > 0) {
    parts.push(
      `post-mortem not published: ${overdue.postmortems
        .map(p => `"${p.title}" (${p.status}, due ${p.dueAt?.slice(0, 10)})`)
        .join(', ')}`,
    );
  }
  if (overdue.actionItems.length > 0) {
    parts.push(
      `action item overdue: ${overdue.actionItems
        .map(i => `"${i.title}" (${i.ownerRef}, due ${i.dueDate})`)
        .join(', ')}`,
    );
  }
  return parts.join('; ');
}
