import { setTimeout as sleep } from 'node:timers/promises';
import { DatabaseEndpoint } from '../config';
import { closeQuietly, connectForFailover } from '../connections';
import { readServerState, ServerState } from './preflight';
import { parseLsn } from '../lsn';

/**
 * Waits until the replica has replayed the WAL up to `lsn` (everything the
 * fenced primary wrote). Returns the replica's state when it has, or when
 * the time is up (the caller decides).
 */
export async function waitForReplay(options: {
  replica: DatabaseEndpoint;
  lsn: string;
  timeoutMs: number;
  signal?: AbortSignal;
}): Promise<{ caughtUp: boolean; state: ServerState }> {
  const { replica, lsn, timeoutMs, signal } = options;
  const target = parseLsn(lsn);
  const client = await connectForFailover(replica);
  const address = `${replica.host}:${replica.port}`;
  try {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const state = await readServerState(client, address);
      if (state.replayedLsn && parseLsn(state.replayedLsn) >= target) {
        return { caughtUp: true, state };
      }
      if (state.replayPaused || Date.now() > deadline || signal?.aborted) {
        return { caughtUp: false, state };
      }
      await sleep(20);
    }
  } finally {
    await closeQuietly(client);
  }
}

/**
 * Promotes the replica with pg_promote(wait => true). A replica that is no
 * longer in recovery was promoted already (by an earlier attempt of the same
 * task that died before recording it): it is not promoted again.
 */
export async function promoteReplica(options: {
  replica: DatabaseEndpoint;
  timeoutSeconds: number;
}): Promise<{ promotedNow: boolean; state: ServerState }> {
  const { replica, timeoutSeconds } = options;
  const client = await connectForFailover(replica);
  const address = `${replica.host}:${replica.port}`;
  try {
    const before = await readServerState(client, address);
    let promotedNow = false;
    if (before.inRecovery) {
      const { rows } = await client.query(
        'SELECT pg_promote(wait => true, wait_seconds => $1) AS promoted',
        [Math.ceil(timeoutSeconds)],
      );
      if (!rows[0].promoted) {
        throw new Error(
          `pg_promote did not finish within ${timeoutSeconds} s on ${address}`,
        );
      }
      promotedNow = true;
    }
    return { promotedNow, state: await readServerState(client, address) };
  } finally {
    await closeQuietly(client);
  }
}

function quoteIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** Writes one row into the canary table (created when missing); throws when the server refuses. */
export async function writeCanary(options: {
  endpoint: DatabaseEndpoint;
  table: string;
  drillId: string;
  connectTimeoutMs?: number;
}): Promise<void> {
  const table = quoteIdentifier(options.table);
  const client = await connectForFailover(options.endpoint, {
    connectTimeoutMs: options.connectTimeoutMs,
  });
  try {
    await client.query('BEGIN');
    await client.query(
      `CREATE TABLE IF NOT EXISTS ${table} (drill_id text NOT NULL, written_at timestamptz NOT NULL DEFAULT now())`,
    );
    await client.query(`INSERT INTO ${table} (drill_id) VALUES ($1)`, [
      options.drillId,
    ]);
    await client.query('COMMIT');
  } finally {
    await closeQuietly(client);
  }
}

/** Tries the canary write until the server accepts it. */
export async function waitUntilWritable(options: {
  endpoint: DatabaseEndpoint;
  table: string;
  drillId: string;
  timeoutMs: number;
}): Promise<void> {
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    try {
      await writeCanary(options);
      return;
    } catch (error) {
      if (Date.now() > deadline) {
        throw error;
      }
      await sleep(20);
    }
  }
}

/**
 * Whether the old primary refuses a write: a read-only error, a server in
 * recovery, or no server. A write that succeeds there means two primaries.
 */
export async function oldPrimaryRefusesWrites(options: {
  endpoint: DatabaseEndpoint;
  table: string;
  drillId: string;
}): Promise<{ refused: boolean; detail: string }> {
  try {
    await writeCanary({ ...options, connectTimeoutMs: 3_000 });
    return {
      refused: false,
      detail: 'it accepted a write: two primaries (split brain)',
    };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { refused: true, detail: `refused: ${message}` };
  }
}
