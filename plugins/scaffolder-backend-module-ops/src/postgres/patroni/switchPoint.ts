import { DatabaseEndpoint } from '../config';
import { closeQuietly, connectForFailover } from '../connections';
import { formatLsn, lsnBytesAhead } from '../lsn';
import { PatroniClient } from './client';
import { PatroniMember } from './config';

/** What the old leader wrote that the new timeline does not have, as far as it can be measured. */
export interface SwitchoverDataLoss {
  /** Where the old timeline ended on the new leader (its timeline history). */
  switchLsn?: string;
  /** The old leader's last record: the shutdown checkpoint of Patroni's graceful demotion. */
  oldLeaderEndLsn?: string;
  /** Bytes of the old leader's WAL past the switch point; undefined when not measurable. */
  bytes?: number;
  detail: string;
}

const POLL_MS = 200;

/** Where `timeline` ended, from Patroni's history of the cluster; waits for the leader to write it. */
async function switchPoint(
  client: PatroniClient,
  newLeader: PatroniMember,
  timeline: number,
  deadline: number,
): Promise<string | undefined> {
  while (Date.now() < deadline) {
    const lines = await client.history(newLeader).catch(() => []);
    const line = lines.find(([ended]) => ended === timeline);
    if (line) {
      return formatLsn(BigInt(line[1]));
    }
    await new Promise(resolve => setTimeout(resolve, POLL_MS));
  }
  return undefined;
}

/**
 * The old leader stopped with a shutdown checkpoint (Patroni demotes with a
 * fast shutdown), which is the last record it wrote and stays the server's
 * latest checkpoint until its first restartpoint as a replica (minutes
 * later). Nothing is lost when that record lies before the point where the
 * new leader's timeline branched off.
 */
export async function measureSwitchoverDataLoss(options: {
  client: PatroniClient;
  newLeader: PatroniMember;
  oldLeader: DatabaseEndpoint;
  oldTimeline: number;
  timeoutMs: number;
}): Promise<SwitchoverDataLoss> {
  const deadline = Date.now() + options.timeoutMs;
  const switchLsn = await switchPoint(
    options.client,
    options.newLeader,
    options.oldTimeline,
    deadline,
  );
  if (!switchLsn) {
    return {
      detail: `Patroni's history has no end of timeline ${options.oldTimeline} yet`,
    };
  }
  let client;
  try {
    client = await connectForFailover(options.oldLeader);
    const {
      rows: [row],
    } = await client.query(
      'SELECT checkpoint_lsn::text AS lsn, timeline_id FROM pg_control_checkpoint()',
    );
    if (row.timeline_id !== options.oldTimeline) {
      return {
        switchLsn,
        detail: `the old leader's latest checkpoint is on timeline ${row.timeline_id} already (a restartpoint replaced its shutdown checkpoint)`,
      };
    }
    const bytes = Math.max(0, lsnBytesAhead(row.lsn, switchLsn));
    return {
      switchLsn,
      oldLeaderEndLsn: row.lsn,
      bytes,
      detail: `old leader's shutdown checkpoint at ${row.lsn}, timeline ${options.oldTimeline} ended at ${switchLsn} on the new leader`,
    };
  } catch (error) {
    return {
      switchLsn,
      detail: `the old leader did not answer: ${
        error instanceof Error ? error.message : error
      }`,
    };
  } finally {
    await closeQuietly(client);
  }
}
