import { DatabaseEndpoint } from '../config';
import { inspectServer, ServerState } from '../replication/preflight';
import { messageOf } from '../../errors';
import { PatroniClient, PatroniCluster } from './client';

const POLL_MS = 100;

/** Polls GET /cluster until `done` says so; the last cluster seen, or the error, on timeout. */
export async function waitForCluster(options: {
  client: PatroniClient;
  done: (cluster: PatroniCluster) => boolean;
  timeoutMs: number;
  signal?: AbortSignal;
}): Promise<{ reached: boolean; cluster?: PatroniCluster; error?: string }> {
  const deadline = Date.now() + options.timeoutMs;
  let last: { cluster?: PatroniCluster; error?: string } = {};
  while (!options.signal?.aborted) {
    try {
      const cluster = await options.client.cluster(options.signal);
      last = { cluster };
      if (options.done(cluster)) {
        return { reached: true, cluster };
      }
    } catch (error) {
      last = { error: messageOf(error) };
    }
    if (Date.now() > deadline) {
      break;
    }
    await new Promise(resolve => setTimeout(resolve, POLL_MS));
  }
  return { reached: false, ...last };
}

/** The leader's name in a cluster, if any. */
export function leaderOf(cluster: PatroniCluster): string | undefined {
  return cluster.members.find(m => m.role === 'leader')?.name;
}

/**
 * Waits until the old leader runs as a replica of the new one: Patroni says
 * it is running as a replica, and its WAL receiver streams (pg_stat_wal_receiver).
 */
export async function waitForStreamingReplica(options: {
  client: PatroniClient;
  member: string;
  endpoint: DatabaseEndpoint;
  timeoutMs: number;
  signal?: AbortSignal;
}): Promise<{ streaming: boolean; detail: string; state?: ServerState }> {
  const deadline = Date.now() + options.timeoutMs;
  let detail = 'not seen yet';
  let state: ServerState | undefined;
  while (!options.signal?.aborted && Date.now() <= deadline) {
    const seen = await options.client
      .cluster(options.signal)
      .then(cluster => cluster.members.find(m => m.name === options.member))
      .catch(error => messageOf(error));
    if (typeof seen === 'string' || !seen) {
      detail = seen ?? `${options.member} is not a member any more`;
    } else if (
      seen.role === 'leader' ||
      !['running', 'streaming'].includes(seen.state)
    ) {
      detail = `Patroni reports ${options.member} as ${seen.role}, ${seen.state}`;
    } else {
      state = await inspectServer(options.endpoint);
      if (state.inRecovery && state.receiverStatus === 'streaming') {
        return {
          streaming: true,
          detail: `${options.member} is a replica again, streaming on timeline ${state.timeline}`,
          state,
        };
      }
      detail = state.reachable
        ? `${options.member}: in recovery ${state.inRecovery}, WAL receiver ${
            state.receiverStatus ?? 'not running'
          }`
        : `${options.member}: ${state.error}`;
    }
    await new Promise(resolve => setTimeout(resolve, POLL_MS));
  }
  return { streaming: false, detail, state };
}
