// The first draft of a post-mortem, written from the incident's facts: every
// section a team fills in anyway, with what OpsDeck already knows put in, and
// the judgement sections (root cause, contributing factors, lessons) left to
// the people. Pure: the same facts always give the same text.

import {
  Deployment,
  formatDuration,
  IncidentEvent,
} from '@opsdeck/plugin-ops-common';
import { PostmortemFacts } from './PostmortemFacts';
import { IncidentSloSpend } from './SloSpendReader';

const TO_FILL_IN = '_To fill in._';

/** Markdown text of one table cell or line: no pipes or line breaks from the records. */
function cell(text: string | undefined): string {
  return (text ?? '').replace(/\r?\n/g, ' ').replace(/\|/g, '\\|').trim();
}

/** A time as people read it in a document: `2026-12-03 10:04 UTC`. */
export function formatTime(iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}

function secondsBetween(from: string, to: string): number {
  return (Date.parse(to) - Date.parse(from)) / 1000;
}

/** A share as a percentage with the precision a small budget share needs: `0.42 %`. */
export function formatPercent(ratio: number): string {
  return `${(ratio * 100).toFixed(2)} %`;
}

/** An objective as it is written: `99.9 %`, `99 %`. */
function formatObjective(objective: number): string {
  return `${Number((objective * 100).toFixed(3))} %`;
}

function against(seconds: number, targetMinutes: number | undefined): string {
  if (targetMinutes === undefined) return '';
  const verdict = seconds <= targetMinutes * 60 ? 'met' : 'missed';
  return ` (target ${formatDuration(targetMinutes * 60)}: ${verdict})`;
}

/** The first time someone moved the incident out of `open`: the response. */
function firstResponse(events: IncidentEvent[]): string | undefined {
  return events.find(
    e =>
      e.type === 'status-changed' &&
      (e.data as { from?: string } | undefined)?.from === 'open',
  )?.createdAt;
}

function summary({ incident, severity }: PostmortemFacts): string[] {
  return [
    '## Summary',
    '',
    `**${incident.severity}${severity ? ` (${severity.title})` : ''}** on \`${
      incident.entityRef
    }\`, detected ${formatTime(incident.detectedAt)}.`,
    '',
    incident.summary?.trim() || TO_FILL_IN,
  ];
}

function budgetSpent(slo: IncidentSloSpend): string {
  if (slo.error) return `not available: ${cell(slo.error)}`;
  if (slo.spentRatio === undefined) return 'no traffic';
  return `${formatPercent(slo.spentRatio)} of the ${slo.window} budget`;
}

function impact(facts: PostmortemFacts): string[] {
  const { incident, severity, window } = facts;
  const lines = ['## Impact', ''];
  const response = firstResponse(facts.events);
  if (response) {
    const s = secondsBetween(incident.detectedAt, response);
    lines.push(
      `- Detection to response: ${formatDuration(s)}${against(
        s,
        severity?.respondWithinMinutes,
      )}`,
    );
  }
  for (const [label, time] of [
    ['mitigation', incident.mitigatedAt],
    ['resolution', incident.resolvedAt],
  ] as const) {
    if (time) {
      const s = secondsBetween(incident.detectedAt, time);
      lines.push(
        `- Detection to ${label}: ${formatDuration(s)}${against(
          s,
          severity?.resolveWithinMinutes,
        )}`,
      );
    }
  }
  lines.push(
    `- Impact window: ${formatTime(window.start)} to ${formatTime(
      window.end,
    )} (${formatDuration(secondsBetween(window.start, window.end))})`,
    '',
    '### Error budget spent during the incident',
    '',
  );
  if ('error' in facts.slos) {
    lines.push(`Not available: ${facts.slos.error}`);
  } else if (facts.slos.length === 0) {
    lines.push('The service declares no SLO.');
  } else {
    lines.push(
      '| SLO | Objective | Error ratio | Budget spent |',
      '| --- | --- | --- | --- |',
    );
    for (const slo of facts.slos) {
      const objective = `${formatObjective(slo.objective)} over ${slo.window}`;
      const ratio =
        slo.errorRatio === undefined ? '–' : formatPercent(slo.errorRatio);
      lines.push(
        `| ${cell(slo.displayName)} | ${objective} | ${ratio} | ${budgetSpent(
          slo,
        )} |`,
      );
    }
  }
  return lines;
}

/** The incident's own times, which may be earlier than its records (declared late). */
function milestones({ incident }: PostmortemFacts) {
  return [
    ['Impact started', incident.startedAt],
    ['Detected', incident.detectedAt],
    ['Mitigated', incident.mitigatedAt],
    ['Resolved', incident.resolvedAt],
  ].flatMap(([label, time]) => (time ? [{ time, line: `**${label}**` }] : []));
}

function timeline(facts: PostmortemFacts): string[] {
  const entries = [
    ...milestones(facts),
    ...facts.events.map(event => ({
      time: event.createdAt,
      line: `${event.type} · ${cell(event.message)} (${event.author})`,
    })),
  ].sort((a, b) => Date.parse(a.time) - Date.parse(b.time));
  return [
    '## Timeline',
    '',
    ...entries.map(e => `- ${formatTime(e.time)} · ${e.line}`),
  ];
}

function deploymentLine(d: Deployment, start: string): string {
  const kind = d.status === 'rolled-back' ? 'Rollback' : 'Deployment';
  const when =
    Date.parse(d.startedAt) < Date.parse(start) ? 'before' : 'during';
  return `| ${formatTime(d.startedAt)} | ${when} | ${kind} | ${cell(
    d.version,
  )} | ${d.environment} | ${d.status} | ${cell(d.description)} | ${
    d.createdBy
  } |`;
}

function deployments(facts: PostmortemFacts): string[] {
  const lines = [
    '## Deployments and rollbacks',
    '',
    `From ${facts.lookbackHours} h before the impact started to its end.`,
    '',
  ];
  if ('error' in facts.deployments) {
    lines.push(`Not available: ${facts.deployments.error}`);
  } else if (facts.deployments.length === 0) {
    lines.push('None recorded.');
  } else {
    lines.push(
      '| Started | When | Kind | Version | Environment | Status | Description | By |',
      '| --- | --- | --- | --- | --- | --- | --- | --- |',
      ...facts.deployments.map(d => deploymentLine(d, facts.window.start)),
    );
  }
  return lines;
}

function alerts({ alerts: facts }: PostmortemFacts): string[] {
  const lines = ['## Alerts', ''];
  for (const alert of facts) {
    const runbook = alert.runbookUrl
      ? `[runbook](${alert.runbookUrl})`
      : 'no runbook';
    lines.push(
      `- **${cell(alert.name)}** ${alert.role} the incident${
        alert.startsAt ? ` (firing since ${formatTime(alert.startsAt)})` : ''
      }${alert.summary ? `: ${cell(alert.summary)}` : ''} (${runbook})`,
    );
  }
  if (facts.length === 0) lines.push('No alert opened or joined it.');
  return lines;
}

function onCall(facts: PostmortemFacts): string[] {
  const lines = ['## On call', ''];
  if ('error' in facts.onCall) {
    lines.push(`Not available: ${facts.onCall.error}`);
  } else if (facts.onCall.length === 0) {
    lines.push('Nobody was on call when it was detected.');
  } else {
    lines.push(
      ...facts.onCall.map(o => `- ${o.level}: ${o.userRef}`),
      ...(facts.incident.commander
        ? [`- Incident commander: ${facts.incident.commander}`]
        : []),
    );
  }
  return lines;
}

function actionsTaken({ events }: PostmortemFacts): string[] {
  const actions = events.filter(e => e.type === 'action');
  return [
    '## Actions taken',
    '',
    ...(actions.length === 0
      ? [TO_FILL_IN]
      : actions.map(
          e => `- ${formatTime(e.createdAt)}: ${cell(e.message)} (${e.author})`,
        )),
  ];
}

function toFillIn(title: string, hint?: string): string[] {
  return [`## ${title}`, '', hint ? `${TO_FILL_IN} ${hint}` : TO_FILL_IN];
}

/** The markdown draft of the post-mortem of `facts.incident`. */
export function draftPostmortem(facts: PostmortemFacts): string {
  const rootCause = facts.incident.rootCause?.trim();
  const sections = [
    [`# Post-mortem: ${cell(facts.incident.title)}`],
    summary(facts),
    impact(facts),
    timeline(facts),
    deployments(facts),
    alerts(facts),
    onCall(facts),
    actionsTaken(facts),
    rootCause
      ? ['## Root cause', '', rootCause]
      : toFillIn('Root cause', 'What made it happen, found by asking why.'),
    toFillIn('Contributing factors'),
    toFillIn(
      'Lessons learned',
      'What went well, what went badly, where we got lucky.',
    ),
    toFillIn(
      'Action items',
      'Tracked as action items of this post-mortem, each with an owner and a due date.',
    ),
  ];
  return `${sections.map(lines => lines.join('\n')).join('\n\n')}\n`;
}
