import { Client } from 'pg';
import { DatabaseEndpoint, FailoverSettings } from '../config';
import { closeQuietly, connectForFailover } from '../connections';
import { formatDuration } from '../../procedures/judgement';
import { compareLsn, formatBytes, lsnBytesAhead } from '../lsn';

/** What one server said about its replication state, or why it did not answer. */
export interface ServerState {
  /** `host:port` */
  address: string;
  reachable: boolean;
  error?: string;
  inRecovery?: boolean;
  /** Primary: pg_current_wal_lsn(). */
  currentLsn?: string;
  /** Replica: pg_last_wal_receive_lsn() and pg_last_wal_replay_lsn(). */
  receivedLsn?: string;
  replayedLsn?: string;
  replayPaused?: boolean;
  /** Seconds since the last replayed transaction when replay is behind; 0 when caught up. */
  replayLagSeconds?: number;
  /** pg_stat_wal_receiver.status, e.g. `streaming`; absent when no receiver runs. */
  receiverStatus?: string;
  timeline?: number;
}

export function addressOf(endpoint: DatabaseEndpoint): string {
  return `${endpoint.host}:${endpoint.port}`;
}

// One round trip; functions that fail on the other role are guarded by CASE
// (they are volatile, so PostgreSQL does not evaluate them early).
const STATE_QUERY = `
SELECT pg_is_in_recovery() AS in_recovery,
  CASE WHEN NOT pg_is_in_recovery() THEN pg_current_wal_lsn()::text END AS current_lsn,
  pg_last_wal_receive_lsn()::text AS received_lsn,
  pg_last_wal_replay_lsn()::text AS replayed_lsn,
  CASE WHEN pg_is_in_recovery() THEN pg_is_wal_replay_paused() END AS replay_paused,
  CASE
    WHEN NOT pg_is_in_recovery() THEN NULL
    WHEN pg_last_wal_receive_lsn() IS NOT DISTINCT FROM pg_last_wal_replay_lsn() THEN 0
    ELSE extract(epoch FROM clock_timestamp() - pg_last_xact_replay_timestamp())
  END::float8 AS replay_lag_seconds,
  (SELECT status FROM pg_stat_wal_receiver) AS receiver_status,
  CASE
    WHEN NOT pg_is_in_recovery()
      THEN ('x' || substr(pg_walfile_name(pg_current_wal_lsn()), 1, 8))::bit(32)::int
    ELSE coalesce((SELECT received_tli FROM pg_stat_wal_receiver),
      (SELECT timeline_id FROM pg_control_checkpoint()))
  END AS timeline`;

/** Reads the replication state of a server over an open session. */
export async function readServerState(
  client: Client,
  address: string,
): Promise<ServerState> {
  const {
    rows: [row],
  } = await client.query(STATE_QUERY);
  return {
    address,
    reachable: true,
    inRecovery: row.in_recovery,
    currentLsn: row.current_lsn ?? undefined,
    receivedLsn: row.received_lsn ?? undefined,
    replayedLsn: row.replayed_lsn ?? undefined,
    replayPaused: row.replay_paused ?? undefined,
    replayLagSeconds:
      row.replay_lag_seconds === null ? undefined : row.replay_lag_seconds,
    receiverStatus: row.receiver_status ?? undefined,
    timeline: row.timeline ?? undefined,
  };
}

/** Connects and reads the state; an unreachable server is a state, not an error. */
export async function inspectServer(
  endpoint: DatabaseEndpoint,
): Promise<ServerState> {
  const address = addressOf(endpoint);
  let client: Client | undefined;
  try {
    client = await connectForFailover(endpoint);
    return await readServerState(client, address);
  } catch (error) {
    return {
      address,
      reachable: false,
      error: error instanceof Error ? error.message : String(error),
    };
  } finally {
    await closeQuietly(client);
  }
}

/** One finding of the preflight. */
export interface PreflightCheck {
  name: string;
  passed: boolean;
  detail: string;
  /** `force` cannot override it: there would be nothing to promote, or two primaries. */
  hard?: boolean;
}

export interface Preflight {
  /** Index into the replicas of the chosen candidate; absent when none can be. */
  candidate?: number;
  /** The old primary answered as a primary: fence it and wait for catch-up. */
  primaryReachable: boolean;
  checks: PreflightCheck[];
  passed: boolean;
  /** No `force` can make this failover happen. */
  blocked: boolean;
}

/**
 * The replica to promote when none is named: among the reachable replicas in
 * recovery, the one that received the most WAL, then replayed the most (as
 * CloudNativePG chooses).
 */
export function chooseCandidate(replicas: ServerState[]): number | undefined {
  let best: number | undefined;
  replicas.forEach((state, index) => {
    if (!state.reachable || !state.inRecovery) {
      return;
    }
    if (best === undefined) {
      best = index;
      return;
    }
    const current = replicas[best];
    const byReceived = compareLsn(state.receivedLsn, current.receivedLsn);
    if (
      byReceived > 0 ||
      (byReceived === 0 &&
        compareLsn(state.replayedLsn, current.replayedLsn) > 0)
    ) {
      best = index;
    }
  });
  return best;
}

/**
 * Judges whether the candidate may be promoted, from the states read: pure,
 * so the rules are tested without servers.
 */
export function judgePreflight(options: {
  primary: ServerState;
  replicas: ServerState[];
  /** Index of the replica the user named. */
  requested?: number;
  limits: Pick<FailoverSettings, 'maxReplayLagSeconds' | 'maxReplayLagBytes'>;
}): Preflight {
  const { primary, replicas, requested, limits } = options;
  const checks: PreflightCheck[] = [];
  const primaryReachable = primary.reachable && primary.inRecovery === false;

  if (!primary.reachable) {
    checks.push({
      name: 'old primary',
      passed: true,
      detail: `${primary.address} is unreachable (${primary.error}): it cannot be fenced or caught up with; what it wrote after the replica's received position is lost`,
    });
  } else if (primary.inRecovery) {
    checks.push({
      name: 'old primary',
      passed: false,
      hard: true,
      detail: `${primary.address} is in recovery, not a primary: was the failover already done? Update ops.databases to the current primary first`,
    });
  } else {
    checks.push({
      name: 'old primary',
      passed: true,
      detail: `${primary.address} is a primary on timeline ${primary.timeline} at ${primary.currentLsn}`,
    });
  }

  const candidate = requested ?? chooseCandidate(replicas);
  if (candidate === undefined) {
    checks.push({
      name: 'candidate',
      passed: false,
      hard: true,
      detail: `no replica is reachable and in recovery (${replicas
        .map(r => `${r.address}: ${r.reachable ? 'not in recovery' : r.error}`)
        .join('; ')})`,
    });
    return { primaryReachable, checks, passed: false, blocked: true };
  }
  const replica = replicas[candidate];
  if (!replica.reachable) {
    checks.push({
      name: 'candidate reachable',
      passed: false,
      hard: true,
      detail: `${replica.address}: ${replica.error}`,
    });
    return {
      candidate,
      primaryReachable,
      checks,
      passed: false,
      blocked: true,
    };
  }
  checks.push({
    name: 'candidate reachable',
    passed: true,
    detail: `${replica.address}${
      requested === undefined && replicas.length > 1
        ? ' (received and replayed the most WAL of the replicas)'
        : ''
    }`,
  });
  if (!replica.inRecovery) {
    checks.push({
      name: 'candidate in recovery',
      passed: false,
      hard: true,
      detail: `${replica.address} is not in recovery (pg_is_in_recovery() is false): it is a primary already`,
    });
    return {
      candidate,
      primaryReachable,
      checks,
      passed: false,
      blocked: true,
    };
  }
  checks.push({
    name: 'candidate in recovery',
    passed: true,
    detail: `received ${replica.receivedLsn ?? 'nothing'}, replayed ${
      replica.replayedLsn ?? 'nothing'
    }`,
  });

  const streaming = replica.receiverStatus === 'streaming';
  checks.push({
    name: 'WAL receiver streaming',
    // With the old primary gone there is nothing to stream from.
    passed: streaming || !primaryReachable,
    detail: streaming
      ? 'pg_stat_wal_receiver: streaming'
      : `pg_stat_wal_receiver: ${replica.receiverStatus ?? 'no WAL receiver'}${
          primaryReachable ? '' : ' (expected: the old primary is unreachable)'
        }`,
  });

  checks.push({
    name: 'replay not paused',
    passed: !replica.replayPaused,
    detail: replica.replayPaused
      ? 'WAL replay is paused (pg_wal_replay_pause()); resume it with pg_wal_replay_resume()'
      : 'replaying',
  });

  const ahead = primaryReachable ? primary.currentLsn : replica.receivedLsn;
  const lagBytes =
    ahead && replica.replayedLsn
      ? lsnBytesAhead(ahead, replica.replayedLsn)
      : undefined;
  const bytesWithinLimit =
    lagBytes !== undefined && lagBytes <= limits.maxReplayLagBytes;

  // The time lag comes from the commit time of the last replayed transaction.
  // A replica that has replayed none since it started (a fresh replica of an
  // idle primary) has no such time, even when nothing is left to replay but
  // the rest of a WAL page: the byte lag, within its limit, then decides.
  const lagSeconds = replica.replayLagSeconds;
  checks.push({
    name: 'replay lag (time)',
    passed:
      lagSeconds === undefined
        ? bytesWithinLimit
        : lagSeconds <= limits.maxReplayLagSeconds,
    detail:
      lagSeconds === undefined
        ? `unknown: the replica has replayed no transaction since it started; ${
            bytesWithinLimit
              ? 'judged by the byte lag, which is within its limit'
              : 'and the byte lag is not within its limit'
          }`
        : `${formatDuration(lagSeconds)} (limit ${formatDuration(
            limits.maxReplayLagSeconds,
          )})`,
  });

  checks.push({
    name: 'replay lag (bytes)',
    passed: bytesWithinLimit,
    detail:
      lagBytes === undefined
        ? 'unknown'
        : `${formatBytes(lagBytes)} behind the ${
            primaryReachable ? 'primary' : 'received WAL'
          } (limit ${formatBytes(limits.maxReplayLagBytes)})`,
  });

  if (primaryReachable) {
    const same = replica.timeline === primary.timeline;
    checks.push({
      name: 'timeline',
      passed: same,
      detail: same
        ? `both on timeline ${primary.timeline}`
        : `the replica is on timeline ${replica.timeline}, the primary on ${primary.timeline}: it does not follow this primary`,
    });
  } else {
    checks.push({
      name: 'timeline',
      passed: true,
      detail: `the replica is on timeline ${replica.timeline}`,
    });
  }

  const passed = checks.every(check => check.passed);
  return {
    candidate,
    primaryReachable,
    checks,
    passed,
    blocked: checks.some(check => !check.passed && check.hard),
  };
}

/** `✓ name: detail; ✗ name: detail` */
export function summarizeChecks(checks: PreflightCheck[]): string {
  return checks
    .map(check => `${check.passed ? '✓' : '✗'} ${check.name}: ${check.detail}`)
    .join('; ');
}
