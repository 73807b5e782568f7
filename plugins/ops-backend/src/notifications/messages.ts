import { parseEntityRef } from '@backstage/catalog-model';
import { NotificationSeverity } from '@backstage/plugin-notifications-common';
import {
  Drill,
  Incident,
  SeverityLevel,
  SloErrorBudget,
} from '@opsdeck/plugin-ops-common';
import { NotificationsOptions } from './notificationsConfig';

/**
 * What OpsDeck tells people, whatever the channel: the notifications inbox
 * shows title and description, the Slack module posts the same text. The
 * bodies follow the operations manuals' templates (Initial Alert, Status
 * Update, Resolution), one `Field: value` per line.
 */
export interface OpsMessage {
  title: string;
  description: string;
  /** A path of the app; the notifications backend and Slack resolve it. */
  link: string;
  severity: NotificationSeverity;
  topic: string;
  /** Messages of one scope replace each other in a user's inbox. */
  scope: string;
}

/** The service a message is about, as people know it. */
export interface MessageService {
  entityRef: string;
  /** `metadata.title`, else `metadata.name`. */
  displayName: string;
}

export interface MessageTemplates {
  options: Pick<NotificationsOptions, 'severityMap' | 'nextUpdateMinutes'>;
  severities: SeverityLevel[];
}

export const TOPICS = {
  incident: 'opsdeck.incident',
  drill: 'opsdeck.drill',
  failover: 'opsdeck.failover',
  rollback: 'opsdeck.rollback',
  errorBudget: 'opsdeck.error-budget',
} as const;

export const incidentScope = (id: string) => `opsdeck:incident:${id}`;
export const drillScope = (id: string) => `opsdeck:drill:${id}`;

/** The incident page of the frontend (`incidentRouteRef`, /ops/incidents/:id). */
export const incidentLink = (id: string) =>
  `/ops/incidents/${encodeURIComponent(id)}`;

/** A tab of the entity's page: `operations` (its Drills card opens each report), `slos`. */
export function entityTabLink(
  entityRef: string,
  tab: 'operations' | 'slos',
): string {
  const { kind, namespace, name } = parseEntityRef(entityRef);
  return `/catalog/${encodeURIComponent(namespace)}/${encodeURIComponent(
    kind.toLocaleLowerCase('en-US'),
  )}/${encodeURIComponent(name)}/${tab}`;
}

const lines = (fields: Array<[string, string]>) =>
  fields.map(([name, value]) => `${name}: ${value}`).join('\n');

/** `#` and the first 8 characters of the id, as people quote it. */
export const shortId = (id: string) => `#${id.slice(0, 8)}`;

const capitalized = (text: string) =>
  text.charAt(0).toLocaleUpperCase('en-US') + text.slice(1);

/**
 * 45 minutes, 2 hours 5 minutes, 3 days 4 hours: spelled out as the
 * manuals' templates do (the cards' formatDuration writes `45m`).
 */
export function humanDuration(ms: number): string {
  const minutes = Math.max(0, Math.round(ms / 60_000));
  const unit = (n: number, name: string) => `${n} ${name}${n === 1 ? '' : 's'}`;
  if (minutes < 60) return unit(minutes, 'minute');
  const hours = Math.floor(minutes / 60);
  if (hours < 24) {
    const rest = minutes % 60;
    return rest
      ? `${unit(hours, 'hour')} ${unit(rest, 'minute')}`
      : unit(hours, 'hour');
  }
  const days = Math.floor(hours / 24);
  const rest = hours % 24;
  return rest
    ? `${unit(days, 'day')} ${unit(rest, 'hour')}`
    : unit(days, 'day');
}

/** The person's name, or the ref's name when the catalog has none. */
const personName = (userRef?: string, displayName?: string) =>
  displayName ?? (userRef ? parseEntityRef(userRef).name : '-');

function firstLine(text?: string): string | undefined {
  return text
    ?.split('\n')
    .find(l => l.trim())
    ?.trim();
}

/**
 * What is wrong, in a line: the summary's first line, but for Alertmanager's
 * incidents, whose summary opens with where the alerts came from, the title
 * (the alert and its summary).
 */
function issueOf(incident: Incident): string {
  if (incident.labels.source === 'alertmanager') return incident.title;
  return firstLine(incident.summary) ?? incident.title;
}

function incidentSeverity(templates: MessageTemplates, incident: Incident) {
  return templates.options.severityMap[incident.severity] ?? 'normal';
}

function severityLabel(templates: MessageTemplates, id: string) {
  const level = templates.severities.find(s => s.id === id);
  return level ? `${id} - ${level.title}` : id;
}

const incidentBase = (templates: MessageTemplates, incident: Incident) => ({
  link: incidentLink(incident.id),
  severity: incidentSeverity(templates, incident),
  topic: TOPICS.incident,
  scope: incidentScope(incident.id),
});

/** Initial Alert: an incident was declared, by a person or by Alertmanager. */
export function incidentDeclaredMessage(
  templates: MessageTemplates,
  input: {
    incident: Incident;
    service: MessageService;
    onCall?: { userRef: string; displayName?: string };
    /** The commander's display name, when the catalog has one. */
    commanderName?: string;
  },
): OpsMessage {
  const { incident, service, onCall, commanderName } = input;
  const level = templates.severities.find(s => s.id === incident.severity);
  return {
    ...incidentBase(templates, incident),
    title: `INCIDENT ALERT: ${incident.title}`,
    description: lines([
      ['Severity', severityLabel(templates, incident.severity)],
      ['Service', service.displayName],
      ['Issue', issueOf(incident)],
      ['Impact', incident.labels.impact ?? level?.description ?? '-'],
      ['ETA', 'Investigating'],
      [
        'On-Call',
        onCall ? personName(onCall.userRef, onCall.displayName) : '-',
      ],
      [
        'Commander',
        incident.commander
          ? personName(incident.commander, commanderName)
          : '-',
      ],
    ]),
  };
}

/** What an update changed, in words, for its Progress line. */
export function describeChange(previous: Incident, incident: Incident): string {
  const changes: string[] = [];
  if (previous.status !== incident.status) {
    changes.push(`status ${previous.status} → ${incident.status}`);
  }
  if (previous.severity !== incident.severity) {
    changes.push(`severity ${previous.severity} → ${incident.severity}`);
  }
  if (previous.commander !== incident.commander) {
    changes.push(`commander ${personName(incident.commander)}`);
  }
  if (previous.title !== incident.title) changes.push('title changed');
  if (previous.summary !== incident.summary) {
    changes.push(`summary: ${firstLine(incident.summary) ?? '-'}`);
  }
  return changes.length > 0
    ? capitalized(changes.join('; '))
    : 'Details updated';
}

/** Status Update: a change of the incident that does not resolve it, or a note. */
export function incidentUpdateMessage(
  templates: MessageTemplates,
  input: { incident: Incident; progress: string },
): OpsMessage {
  const { incident, progress } = input;
  return {
    ...incidentBase(templates, incident),
    title: `INCIDENT UPDATE: ${incident.title}`,
    description: lines([
      ['Incident', shortId(incident.id)],
      ['Status', capitalized(incident.status)],
      ['Progress', progress],
      [
        'Next Update',
        humanDuration(templates.options.nextUpdateMinutes * 60_000),
      ],
    ]),
  };
}

/** Resolution: the incident was resolved. */
export function incidentResolvedMessage(
  templates: MessageTemplates,
  input: { incident: Incident },
): OpsMessage {
  const { incident } = input;
  const resolvedAt = incident.resolvedAt ?? incident.updatedAt;
  return {
    ...incidentBase(templates, incident),
    title: `INCIDENT RESOLVED: ${incident.title}`,
    description: lines([
      ['Incident', shortId(incident.id)],
      [
        'Duration',
        humanDuration(Date.parse(resolvedAt) - Date.parse(incident.detectedAt)),
      ],
      [
        'Root Cause',
        incident.rootCause ??
          incident.labels['root-cause'] ??
          'to be determined in the post-mortem',
      ],
      ['Resolution', incident.labels.resolution ?? 'see the incident timeline'],
      ['Post-Mortem', incident.postmortemUrl ?? 'to be scheduled'],
    ]),
  };
}

/** What a drill of each kind is called in a title. */
const DRILL_NOUN: Record<Drill['kind'], string> = {
  'backup-restore': 'BACKUP DRILL',
  failover: 'FAILOVER',
  rollback: 'ROLLBACK',
  other: 'DRILL',
};

const DRILL_TOPIC: Record<Drill['kind'], string> = {
  'backup-restore': TOPICS.drill,
  failover: TOPICS.failover,
  rollback: TOPICS.rollback,
  other: TOPICS.drill,
};

function seconds(value: number | undefined, objective: number): string {
  return value === undefined
    ? `- (objective ${humanDuration(objective * 1000)})`
    : `${humanDuration(value * 1000)} (objective ${humanDuration(
        objective * 1000,
      )})`;
}

/**
 * A failover started, or a drill, failover or rollback ended: passed or
 * finished, failed (an aborted one is failed, with its status saying so).
 */
export function drillMessage(input: {
  drill: Drill;
  service: MessageService;
}): OpsMessage {
  const { drill, service } = input;
  const noun = DRILL_NOUN[drill.kind];
  const succeeded = drill.status === 'passed';
  let verdict: string;
  let severity: NotificationSeverity;
  if (drill.status === 'running') {
    verdict = 'STARTED';
    severity = 'high';
  } else if (succeeded) {
    verdict =
      drill.kind === 'backup-restore' || drill.kind === 'other'
        ? 'PASSED'
        : 'FINISHED';
    severity = 'normal';
  } else {
    verdict = 'FAILED';
    // A failed failover or rollback leaves production in question.
    severity =
      drill.kind === 'failover' || drill.kind === 'rollback'
        ? 'critical'
        : 'high';
  }
  const failedChecks = drill.verification
    .filter(v => !v.passed)
    .map(v => v.name);
  const failedStep = drill.steps.find(s => s.status === 'failed');
  const fields: Array<[string, string]> = [
    ['Service', service.displayName],
    ['Target', drill.target],
    ['Status', capitalized(drill.status)],
    ['Triggered By', personName(drill.triggeredBy)],
  ];
  if (drill.status !== 'running') {
    fields.push(
      ['RTO', seconds(drill.rtoSeconds, drill.objectives.rtoSeconds)],
      ['RPO', seconds(drill.rpoSeconds, drill.objectives.rpoSeconds)],
    );
  }
  if (failedStep) {
    fields.push([
      'Failed Step',
      failedStep.output
        ? `${failedStep.name}: ${failedStep.output}`
        : failedStep.name,
    ]);
  }
  if (failedChecks.length > 0)
    fields.push(['Failed Checks', failedChecks.join(', ')]);
  return {
    title: `${noun} ${verdict}: ${service.displayName} ${drill.target}`,
    description: lines(fields),
    // The frontend gives a drill report no address of its own: the
    // Operations tab, where the Drills card opens it.
    link: entityTabLink(drill.entityRef, 'operations'),
    severity,
    topic: DRILL_TOPIC[drill.kind],
    scope: drillScope(drill.id),
  };
}

/** The scheduled drill check found a database target past its interval. */
export function drillOverdueMessage(input: {
  service: MessageService;
  detail: string;
}): OpsMessage {
  const { service, detail } = input;
  return {
    title: `BACKUP DRILL OVERDUE: ${service.displayName}`,
    description: lines([
      ['Service', service.displayName],
      ['Detail', detail],
    ]),
    link: entityTabLink(service.entityRef, 'operations'),
    severity: 'normal',
    topic: TOPICS.drill,
    scope: `opsdeck:drill-overdue:${service.entityRef}`,
  };
}

/** The scheduled budget check found an SLO's budget exhausted or low. */
export function errorBudgetMessage(input: {
  service: MessageService;
  slo: { name: string; errorBudget: SloErrorBudget };
  thresholdPercent: number;
}): OpsMessage {
  const { service, slo, thresholdPercent } = input;
  const budget = slo.errorBudget;
  const exhausted = budget.remainingRatio <= 0;
  const remainingPercent = Math.round(budget.remainingRatio * 1000) / 10;
  const objectivePercent = Math.round(budget.objective * 100_000) / 1000;
  return {
    title: `ERROR BUDGET ${exhausted ? 'EXHAUSTED' : 'LOW'}: ${
      service.displayName
    } ${slo.name}`,
    description: lines([
      ['Service', service.displayName],
      [
        'SLO',
        `${slo.name} (${objectivePercent}% over ${humanDuration(
          budget.windowSeconds * 1000,
        )})`,
      ],
      [
        'Remaining',
        `${remainingPercent}% of the budget (${
          Math.round(budget.remainingMinutes * 10) / 10
        } minutes)`,
      ],
      ['Threshold', `${thresholdPercent}%`],
    ]),
    link: entityTabLink(service.entityRef, 'slos'),
    severity: exhausted ? 'high' : 'normal',
    topic: TOPICS.errorBudget,
    scope: `opsdeck:error-budget:${service.entityRef}:${slo.name}`,
  };
}
