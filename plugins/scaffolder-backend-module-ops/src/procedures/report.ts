import {
  DrillStatus,
  DrillStepStatus,
  RecoveryObjectives,
} from '@opsdeck/plugin-ops-common';
import { DrillOutcome, formatDuration } from './judgement';
import { DrillFailureKind, describeFailureKind } from './failureKind';
import { Verification } from '../postgres/verification/verification';

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
  /** The restored backup: its source's one-line summary, or a pg_dump's fields. */
  backup?:
    | { summary: string }
    | {
        path: string;
        format: string;
        createdAt: Date;
        createdAtSource: string;
        database?: string;
      };
  steps: StepRecord[];
  rtoSeconds?: number;
  rpoSeconds?: number;
  objectives: RecoveryObjectives;
  verification: Verification[];
  outcome: DrillOutcome;
  /** Whose failure a failed drill is, said in the report. */
  failureKind?: DrillFailureKind;
  /** Default `backup-restore`. */
  kind?: 'backup-restore' | 'failover';
  /** Name-value lines shown under the title, e.g. the failover's LSNs. */
  facts?: Array<[string, string]>;
}

const WORDING = {
  'backup-restore': {
    title: 'Backup-restore drill',
    rto: 'RTO (scratch instance + restore)',
    rpo: 'RPO exposure (age of the backup)',
    // Against the backup's manifest when it has one, else the live source,
    // where differences since the backup are marked as drift and pass.
    columns:
      '| verification | result | expected (manifest or source) | actual (restored) |',
  },
  failover: {
    title: 'Failover',
    rto: 'Write downtime (fence to first write on the new primary)',
    rpo: 'Data loss (0 when the new primary replayed all the old one wrote)',
    columns: '| verification | result | expected | actual |',
  },
} as const;

// Passed rows of the verification table beyond this are summarised: the
// report must stay readable (and within the record's size limit).
const MAX_PASSED_ROWS = 200;

/** Text for a Markdown table cell. */
export function cell(text: string | undefined): string {
  return (text ?? '')
    .replace(/\r?\n/g, ' ')
    .replace(/\\/g, '\\\\')
    .replace(/\|/g, '\\|')
    .trim();
}

function mark(ok: boolean): string {
  return ok ? '✅' : '❌';
}

function stepMark(status: DrillStepStatus): string {
  switch (status) {
    case 'succeeded':
      return '✅ succeeded';
    case 'failed':
      return '❌ failed';
    case 'skipped':
      return '⏭ skipped';
    default:
      return '… running';
  }
}

function objectiveRow(
  label: string,
  measured: number | undefined,
  objective: number,
): string {
  if (measured === undefined) {
    return `| ${label} | not measured | ${formatDuration(objective)} | ❌ |`;
  }
  return `| ${label} | ${formatDuration(measured)} | ${formatDuration(
    objective,
  )} | ${mark(measured <= objective)} |`;
}

/** The drill report, in Markdown: what ran, how long, what was verified. */
export function renderDrillReport(input: DrillReportInput): string {
  const wording = WORDING[input.kind ?? 'backup-restore'];
  const lines: string[] = [];
  lines.push(
    `## ${wording.title} of ${input.target}: ${input.status.toUpperCase()}`,
    '',
    `Entity \`${
      input.entityRef
    }\`, started ${input.startedAt.toISOString()}, finished ${input.finishedAt.toISOString()}.`,
    '',
  );
  if (input.facts?.length) {
    lines.push(
      '| | |',
      '| --- | --- |',
      ...input.facts.map(
        ([name, value]) => `| ${cell(name)} | ${cell(value)} |`,
      ),
      '',
    );
  }
  if (input.backup && 'summary' in input.backup) {
    lines.push(`Backup ${input.backup.summary}.`, '');
  } else if (input.backup) {
    lines.push(
      `Backup \`${input.backup.path}\` (${input.backup.format} format${
        input.backup.database ? `, database ${input.backup.database}` : ''
      }), taken ${input.backup.createdAt.toISOString()} per its ${
        input.backup.createdAtSource
      }.`,
      '',
    );
  }

  lines.push(
    '### Recovery objectives',
    '',
    '| | measured | objective | within |',
    '| --- | --- | --- | --- |',
    objectiveRow(wording.rto, input.rtoSeconds, input.objectives.rtoSeconds),
    objectiveRow(wording.rpo, input.rpoSeconds, input.objectives.rpoSeconds),
    '',
  );

  if (input.outcome.reasons.length > 0) {
    lines.push(
      '### Why it did not pass',
      '',
      ...(input.failureKind
        ? [
            `**${
              input.failureKind === 'infrastructure'
                ? 'Infrastructure failure'
                : 'Backup failure'
            }**: ${describeFailureKind(input.failureKind)}${
              input.failureKind === 'infrastructure'
                ? '; this drill says nothing about the backup, run it again once fixed'
                : ''
            }.`,
            '',
          ]
        : []),
      ...input.outcome.reasons.map(reason => `- ${reason}`),
      '',
    );
  }

  lines.push(
    '### Steps',
    '',
    '| step | status | duration | output |',
    '| --- | --- | --- | --- |',
    ...input.steps.map(step => {
      const duration =
        step.finishedAt && step.status !== 'skipped'
          ? formatDuration(
              (step.finishedAt.getTime() - step.startedAt.getTime()) / 1000,
            )
          : '';
      return `| ${cell(step.name)} | ${stepMark(
        step.status,
      )} | ${duration} | ${cell(step.output)} |`;
    }),
    '',
  );

  lines.push('### Verification', '');
  if (input.verification.length === 0) {
    lines.push('Nothing was verified.', '');
  } else {
    const failed = input.verification.filter(item => !item.passed);
    const passed = input.verification.filter(item => item.passed);
    const shown = [...failed, ...passed.slice(0, MAX_PASSED_ROWS)];
    lines.push(
      `${passed.length} of ${input.verification.length} passed.`,
      '',
      wording.columns,
      '| --- | --- | --- | --- |',
      ...shown.map(
        item =>
          `| ${cell(item.name)} | ${mark(item.passed)} | ${cell(
            item.expected,
          )} | ${cell(item.actual)} |`,
      ),
    );
    if (passed.length > MAX_PASSED_ROWS) {
      lines.push('', `… and ${passed.length - MAX_PASSED_ROWS} more passed.`);
    }
    lines.push('');
  }
  return lines.join('\n');
}
