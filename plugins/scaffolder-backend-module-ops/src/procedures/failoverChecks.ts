import { messageOf } from '../errors';
import { DatabaseEndpoint } from '../postgres/config';
import { formatBytes } from '../postgres/lsn';
import {
  oldPrimaryRefusesWrites,
  waitUntilWritable,
} from '../postgres/replication/promotion';
import { Verification } from '../postgres/verification/verification';
import type { FailoverRun } from './failoverRun';
import { formatDuration } from './judgement';

// The checks every failover ends with, whoever promoted (OpsDeck's
// pg_promote or Patroni): the new primary takes a canary write, the old one
// refuses writes, and the write downtime is held against the RTO. One
// definition, so that both paths report them in the same words.

/** How long the canary write gets on the new primary. */
export const WRITABLE_TIMEOUT_MS = 30_000;

/** The canary write on the new primary; `writableAt` when it was accepted. */
export async function checkNewPrimaryWritable(options: {
  endpoint: DatabaseEndpoint;
  /** How the new primary is named in the result (a Patroni member's name). */
  label?: string;
  canaryTable: string;
  drillId: string;
}): Promise<{ check: Verification; writableAt?: Date }> {
  const expected = `a row in ${options.canaryTable}`;
  try {
    await waitUntilWritable({
      endpoint: options.endpoint,
      table: options.canaryTable,
      drillId: options.drillId,
      timeoutMs: WRITABLE_TIMEOUT_MS,
    });
    return {
      writableAt: new Date(),
      check: {
        name: 'new primary accepts writes',
        passed: true,
        expected,
        actual: options.label
          ? `${options.label} accepted a write`
          : 'accepted a write',
      },
    };
  } catch (error) {
    return {
      check: {
        name: 'new primary accepts writes',
        passed: false,
        expected,
        actual: messageOf(error),
      },
    };
  }
}

/** The old primary must refuse writes: fenced by OpsDeck, or a replica under Patroni. */
export async function checkOldPrimaryRefuses(options: {
  endpoint: DatabaseEndpoint;
  canaryTable: string;
  drillId: string;
}): Promise<Verification> {
  const old = await oldPrimaryRefusesWrites({
    endpoint: options.endpoint,
    table: options.canaryTable,
    drillId: options.drillId,
  });
  return {
    name: 'old primary refuses writes',
    passed: old.refused,
    expected: 'refused',
    actual: old.detail,
  };
}

/** WAL the fenced old primary wrote that the promoted replica never replayed. */
export function fencedDataLoss(
  run: Pick<
    FailoverRun,
    'dataLossBytes' | 'fenceLsn' | 'replayedLsnAtPromotion'
  >,
): Verification {
  if (run.dataLossBytes === undefined) {
    return {
      name: 'data loss',
      passed: false,
      expected: '0 B',
      actual: 'not measurable: the old primary was unreachable',
    };
  }
  return {
    name: 'data loss',
    passed: run.dataLossBytes === 0,
    expected: '0 B',
    actual: `${formatBytes(run.dataLossBytes)} (fenced primary at ${
      run.fenceLsn
    }, promoted replica at ${run.replayedLsnAtPromotion})`,
  };
}

export function downtimeWithinRto(
  writeDowntimeSeconds: number,
  rtoSeconds: number,
): Verification {
  return {
    name: 'write downtime within RTO',
    passed: writeDowntimeSeconds <= rtoSeconds,
    expected: `≤ ${formatDuration(rtoSeconds)}`,
    actual: formatDuration(writeDowntimeSeconds),
  };
}

/** The verify step's result: every check in one line, failed when one did not pass. */
export function verifyStepOutcome(checks: Verification[]) {
  return {
    value: undefined,
    output: checks.map(item => `${item.name}: ${item.actual}`).join('; '),
    failed: checks.some(item => !item.passed),
  };
}
