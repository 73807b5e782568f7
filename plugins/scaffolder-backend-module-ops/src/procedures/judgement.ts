import { formatDuration, RecoveryObjectives } from '@opsdeck/plugin-ops-common';
import { Verification } from '../postgres/verification/verification';
import type { FailoverRun } from './failoverRun';
import { DrillFailureKind, describeFailureKind } from './failureKind';

/** @public */
export interface DrillOutcome {
  passed: boolean;
  /** Why it did not pass, most important first; empty when it passed. */
  reasons: string[];
}

// The one duration formatter, as the Drills card shows RTO and RPO: the
// task log, the reasons and the report read `13m 56s` where the card does.
export { formatDuration };

/**
 * A drill passes when it ran to the end, verified something, every
 * verification passed, the measured RTO is within the objective and the
 * backup's age (RPO exposure) is within the objective.
 */
export function judgeDrill(options: {
  /** The step that failed, why, and whose failure it is, when one did. */
  failure?: { step: string; message: string; kind?: DrillFailureKind };
  verification: Verification[];
  rtoSeconds?: number;
  rpoSeconds?: number;
  objectives: RecoveryObjectives;
  /** Cleanup left something behind. */
  leftovers?: string;
}): DrillOutcome {
  const { failure, verification, rtoSeconds, rpoSeconds, objectives } = options;
  const reasons: string[] = [];
  if (failure) {
    reasons.push(
      // A failed step reads as a finding about the backup unless the
      // drill's own infrastructure failed: that is said, so it is not
      // taken for a bad backup.
      `${failure.step} failed${
        failure.kind === 'infrastructure'
          ? ` (${describeFailureKind(failure.kind)})`
          : ''
      }: ${failure.message}`,
    );
  }
  for (const item of verification) {
    if (!item.passed) {
      reasons.push(
        item.failure ??
          `${item.name}: ${item.actual ?? 'failed'} (expected ${
            item.expected ?? 'a pass'
          })`,
      );
    }
  }
  if (!failure && verification.length === 0) {
    reasons.push(
      'nothing was verified: the restored copy has no tables and no checks are configured',
    );
  }
  if (rtoSeconds === undefined) {
    if (!failure) {
      reasons.push('the recovery time was not measured');
    }
  } else if (rtoSeconds > objectives.rtoSeconds) {
    reasons.push(
      `measured RTO ${formatDuration(
        rtoSeconds,
      )} exceeds the objective ${formatDuration(objectives.rtoSeconds)}`,
    );
  }
  if (
    rpoSeconds !== undefined &&
    rpoSeconds > objectives.rpoSeconds &&
    // Already the reason the drill refused to restore.
    !failure?.message.includes('RPO objective')
  ) {
    reasons.push(
      `the latest backup is ${formatDuration(
        rpoSeconds,
      )} old, more than the RPO objective ${formatDuration(
        objectives.rpoSeconds,
      )}`,
    );
  }
  if (options.leftovers) {
    reasons.push(`cleanup left something behind: ${options.leftovers}`);
  }
  return { passed: reasons.length === 0, reasons };
}

/**
 * A failover passes when the replica was promoted, no step failed, every
 * verification passed and the write downtime is within the RTO objective.
 */
export function judgeFailover(
  run: FailoverRun,
  objectivesRto: number,
): DrillOutcome {
  const reasons: string[] = [];
  if (run.failure) {
    reasons.push(`${run.failure.step} failed: ${run.failure.message}`);
  }
  for (const item of run.verification.filter(v => !v.passed)) {
    reasons.push(`${item.name}: ${item.actual}`);
  }
  if (
    run.writeDowntimeSeconds !== undefined &&
    run.writeDowntimeSeconds > objectivesRto &&
    !reasons.some(reason => reason.startsWith('write downtime'))
  ) {
    reasons.push(`write downtime ${formatDuration(run.writeDowntimeSeconds)}`);
  }
  return { passed: reasons.length === 0 && run.promoted, reasons };
}
