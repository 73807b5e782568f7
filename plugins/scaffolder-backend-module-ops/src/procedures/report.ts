import {
  DrillStatus,
  DrillStepStatus,
  formatDuration,
  RecoveryObjectives,
} from '@opsdeck/plugin-ops-common';
import { DrillOutcome } from './judgement';
import { DrillFailureKind, describeFailureKind } from './failureKind';
import { Verification } from '../postgres/verification/verification';
import { recordedSeconds } from './recordedDrill';
import { oneReadableLine } from './serverPaths';
import { TableRow, verificationTable } from './verificationTable';

/** A step as it ran, for the report. */
export interface StepRecord {
  name: string;
  status: DrillStepStatus;
  startedAt: Date;
  finishedAt?: Date;
  output?: string;
}

export interface DrillReportInput {
  target: string;
  entityRef: string;
  status: DrillStatus;
  startedAt: Date;
  finishedAt: Date;
  /** The restored backup: its source's one-line summary. */
  backup?: { summary: string };
  steps: StepRecord[];
  rtoSeconds?: number;
  rpoSeconds?: number;
  objectives: RecoveryObjectives;
  verification: Verification[];
  outcome: DrillOutcome;
  /** Whose failure a failed drill is, said in the verdict. */
  failureKind?: DrillFailureKind;
  /** Default `backup-restore`. */
  kind?: 'backup-restore' | 'failover';
  /** Name-value lines shown under the figures, e.g. the failover's LSNs. */
  facts?: Array<[string, string]>;
}

const WORDING = {
  'backup-restore': {
    title: 'backup-restore drill',
    measures:
      'RTO: scratch instance and restore. RPO: age of the newest restorable point of the backup.',
  },
  failover: {
    title: 'failover',
    measures:
      'RTO: write downtime, fence to first write on the new primary. RPO: data loss, 0 when the new primary replayed all the old one wrote.',
  },
} as const;

// Passed tables and checks beyond these are counted, not listed: the report
// must stay readable (and within the record's size limit).
const MAX_PASSED_ROWS = 200;
const MAX_PASSED_CHECKS = 50;

/** Text for a Markdown table cell or list item: one line, no server path. */
export function cell(text: string | undefined): string {
  return oneReadableLine(text ?? '')
    .replace(/\\/g, '\\\\')
    .replace(/\|/g, '\\|');
}

/** `PASSED`, `FAILED (backup failure)`, `FAILED (infrastructure failure, not the backup)`. */
function verdict(input: DrillReportInput): string {
  const status = input.status.toUpperCase();
  if (input.status !== 'failed') {
    return status;
  }
  // A backup-restore drill whose copy failed verification, without a failed
  // step, is the backup's failure too.
  const kind =
    input.failureKind ??
    (input.kind !== 'failover' && input.verification.some(v => !v.passed)
      ? 'backup'
      : undefined);
  if (kind === 'infrastructure') {
    return `${status} (infrastructure failure, not the backup)`;
  }
  return kind === 'backup' ? `${status} (backup failure)` : status;
}

/** As the Drills card shows it: `RTO 4m 12s / 1h ✓`. */
function measure(
  name: string,
  measured: number | undefined,
  objective: number,
) {
  const seconds = recordedSeconds(measured);
  if (seconds === undefined) {
    return `${name} – / ${formatDuration(objective)} (not measured)`;
  }
  return `${name} ${formatDuration(seconds)} / ${formatDuration(objective)} ${
    seconds <= objective ? '✓' : '✗ over the objective'
  }`;
}

function whyItFailed(input: DrillReportInput): string[] {
  if (input.outcome.reasons.length === 0) {
    return [];
  }
  return [
    ...(input.failureKind === 'infrastructure'
      ? [
          `${describeFailureKind(
            input.failureKind,
          )}: this drill says nothing about the backup; run it again once fixed.`,
          '',
        ]
      : []),
    '**Why it failed**',
    '',
    ...input.outcome.reasons.map(reason => `- ${cell(reason)}`),
    '',
  ];
}

function tableLines(rows: TableRow[], against: 'backup' | 'source'): string[] {
  const failed = rows.filter(row => !row.passed);
  const passed = rows.filter(row => row.passed);
  const shown = [...failed, ...passed.slice(0, MAX_PASSED_ROWS)];
  return [
    `| table | rows ${
      against === 'backup' ? 'in the backup' : 'on the source now'
    } | rows in the copy | result | notes |`,
    '| --- | ---: | ---: | --- | --- |',
    ...shown.map(
      row =>
        `| ${cell(row.table)} | ${cell(row.reference)} | ${cell(row.copy)} | ${
          row.passed ? 'passed' : '**FAILED**'
        } | ${cell(row.notes.join('; '))} |`,
    ),
    ...(passed.length > MAX_PASSED_ROWS
      ? ['', `… and ${passed.length - MAX_PASSED_ROWS} more tables passed.`]
      : []),
  ];
}

function verificationLines(items: Verification[]): string[] {
  const lines = ['### Verification', ''];
  if (items.length === 0) {
    return [...lines, 'Nothing was verified.', ''];
  }
  const { rows, checks, against } = verificationTable(items);
  const passedItems = items.filter(item => item.passed).length;
  lines.push(`${passedItems} of ${items.length} verifications passed.`, '');
  if (rows.length > 0) {
    lines.push(...tableLines(rows, against), '');
  }
  if (checks.length > 0) {
    const failed = checks.filter(item => !item.passed);
    const passed = checks.filter(item => item.passed);
    lines.push(
      '### Checks',
      '',
      ...[...failed, ...passed.slice(0, MAX_PASSED_CHECKS)].map(item =>
        item.passed
          ? `- passed: ${cell(item.name)}: ${cell(item.actual ?? 'passed')}`
          : `- **FAILED**: ${cell(
              item.failure ??
                `${item.name}: ${item.actual ?? 'failed'} (expected ${
                  item.expected ?? 'a pass'
                })`,
            )}`,
      ),
      ...(passed.length > MAX_PASSED_CHECKS
        ? [`- … and ${passed.length - MAX_PASSED_CHECKS} more passed`]
        : []),
      '',
    );
  }
  return lines;
}

function stepLine(step: StepRecord): string {
  const duration =
    step.finishedAt && step.status !== 'skipped'
      ? ` (${formatDuration(
          (step.finishedAt.getTime() - step.startedAt.getTime()) / 1000,
        )})`
      : '';
  const status =
    step.status === 'succeeded'
      ? ''
      : ` ${step.status === 'failed' ? '**FAILED**' : step.status}`;
  return `- **${cell(step.name)}**${duration}${status}${
    step.output ? `: ${cell(step.output)}` : ''
  }`;
}

/**
 * The drill report, in Markdown, in the order a reader asks: the verdict,
 * RTO and RPO against their objectives (as the Drills card shows them), why
 * it failed, one table of what the restored copy holds, the other checks,
 * then each step with its duration. No server path appears in it.
 */
export function renderDrillReport(input: DrillReportInput): string {
  const wording = WORDING[input.kind ?? 'backup-restore'];
  const lines: string[] = [
    `## ${verdict(input)}: ${wording.title} of ${input.target}`,
    '',
    `${measure(
      'RTO',
      input.rtoSeconds,
      input.objectives.rtoSeconds,
    )} · ${measure('RPO', input.rpoSeconds, input.objectives.rpoSeconds)}`,
    '',
    `_${wording.measures}_`,
    '',
    ...whyItFailed(input),
  ];
  if (input.backup) {
    lines.push(`Backup ${cell(input.backup.summary)}.`, '');
  }
  if (input.facts?.length) {
    lines.push(
      ...input.facts.map(([name, value]) => `- ${cell(name)}: ${cell(value)}`),
      '',
    );
  }
  lines.push(
    ...verificationLines(input.verification),
    '### Steps',
    '',
    ...(input.steps.length
      ? input.steps.map(stepLine)
      : ['No steps were recorded.']),
    '',
    `Entity \`${
      input.entityRef
    }\`, started ${input.startedAt.toISOString()}, finished ${input.finishedAt.toISOString()}.`,
    '',
  );
  return lines.join('\n');
}
