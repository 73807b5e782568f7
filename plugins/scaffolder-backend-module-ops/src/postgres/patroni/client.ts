import { PatroniMember, PatroniSettings } from './config';
import { messageOf } from '../../errors';

/**
 * A member as GET /cluster reports it (Patroni 3.0: `utils.cluster_as_json`).
 * `state` is `running` for a healthy member (3.0.4 and later say `streaming`
 * for a replica that streams); `lag` is in bytes behind the leader, or
 * `unknown`, and absent on the leader.
 */
export interface PatroniClusterMember {
  name: string;
  role: 'leader' | 'replica' | 'sync_standby' | 'standby_leader' | string;
  state: string;
  api_url?: string;
  host?: string;
  port?: number;
  timeline?: number;
  lag?: number | 'unknown';
  tags?: Record<string, unknown>;
  pending_restart?: boolean;
}

/** GET /cluster */
export interface PatroniCluster {
  members: PatroniClusterMember[];
  /** Present and true while Patroni is paused (maintenance mode). */
  pause?: boolean;
  scheduled_switchover?: { at: string; from?: string; to?: string };
}

/** A line of GET /history: [timeline, switch LSN in bytes, reason, time?, new leader?] */
export type PatroniHistoryLine = [number, number, string, string?, string?];

/** The answer of POST /switchover or /failover: Patroni answers in plain text. */
export interface PatroniActionResult {
  status: number;
  ok: boolean;
  text: string;
}

/** How long one REST call may take; POST /switchover waits for the switchover itself. */
const GET_TIMEOUT_MS = 5_000;

/**
 * Patroni's REST API on the configured members. Reads ask the members in
 * turn (any member answers for the whole cluster); writes go to the member
 * named, as Patroni expects a switchover to be posted to the leader.
 */
export class PatroniClient {
  readonly #settings: PatroniSettings;

  constructor(settings: PatroniSettings) {
    this.#settings = settings;
  }

  get members(): PatroniMember[] {
    return this.#settings.members;
  }

  #headers(json: boolean): Record<string, string> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (json) {
      headers['content-type'] = 'application/json';
    }
    const { usernameEnv, passwordEnv } = this.#settings;
    if (usernameEnv && passwordEnv) {
      const user = process.env[usernameEnv];
      const password = process.env[passwordEnv];
      if (user === undefined || password === undefined) {
        throw new Error(
          `The Patroni REST API credentials are missing: set the backend's environment variables ${usernameEnv} and ${passwordEnv}`,
        );
      }
      headers.authorization = `Basic ${Buffer.from(
        `${user}:${password}`,
      ).toString('base64')}`;
    }
    return headers;
  }

  /** GET /cluster from the first member that answers; throws with every member's error otherwise. */
  async cluster(signal?: AbortSignal): Promise<PatroniCluster> {
    const errors: string[] = [];
    for (const member of this.members) {
      try {
        return await this.clusterFrom(member, signal);
      } catch (error) {
        errors.push(`${member.name} (${member.url}): ${messageOf(error)}`);
      }
    }
    throw new Error(
      `No Patroni member answered GET /cluster: ${errors.join('; ')}`,
    );
  }

  /** GET /cluster from one member. */
  async clusterFrom(
    member: PatroniMember,
    signal?: AbortSignal,
  ): Promise<PatroniCluster> {
    const response = await fetch(`${member.url}/cluster`, {
      headers: this.#headers(false),
      signal: combine(signal, GET_TIMEOUT_MS),
    });
    if (!response.ok) {
      throw new Error(
        `HTTP ${response.status}: ${(await response.text()).slice(0, 200)}`,
      );
    }
    const body = (await response.json()) as PatroniCluster;
    if (!Array.isArray(body?.members)) {
      throw new Error('the answer has no members: is this Patroni?');
    }
    return body;
  }

  /**
   * GET /history from one member: one line per ended timeline, `[timeline,
   * LSN where it ended (bytes), reason, time, new leader]`. The leader writes
   * it into the DCS in its loop, so a new line appears a loop after a promotion.
   */
  async history(
    member: PatroniMember,
    signal?: AbortSignal,
  ): Promise<PatroniHistoryLine[]> {
    const response = await fetch(`${member.url}/history`, {
      headers: this.#headers(false),
      signal: combine(signal, GET_TIMEOUT_MS),
    });
    if (!response.ok) {
      throw new Error(`HTTP ${response.status} from ${member.url}/history`);
    }
    return (await response.json()) as PatroniHistoryLine[];
  }

  /** POST /switchover {leader, candidate} to the leader; Patroni answers once it is done. */
  switchover(
    to: PatroniMember,
    request: { leader: string; candidate: string },
    timeoutMs: number,
    signal?: AbortSignal,
  ): Promise<PatroniActionResult> {
    return this.#post(to, '/switchover', request, timeoutMs, signal);
  }

  /** POST /failover {candidate}: for a cluster whose leader is gone. */
  failover(
    to: PatroniMember,
    request: { candidate: string },
    timeoutMs: number,
    signal?: AbortSignal,
  ): Promise<PatroniActionResult> {
    return this.#post(to, '/failover', request, timeoutMs, signal);
  }

  async #post(
    to: PatroniMember,
    route: string,
    body: object,
    timeoutMs: number,
    signal?: AbortSignal,
  ): Promise<PatroniActionResult> {
    const response = await fetch(`${to.url}${route}`, {
      method: 'POST',
      headers: this.#headers(true),
      body: JSON.stringify(body),
      signal: combine(signal, timeoutMs),
    });
    const text = (await response.text()).trim();
    return { status: response.status, ok: response.ok, text };
  }
}

function combine(signal: AbortSignal | undefined, timeoutMs: number) {
  const timeout = AbortSignal.timeout(timeoutMs);
  return signal ? AbortSignal.any([signal, timeout]) : timeout;
}
