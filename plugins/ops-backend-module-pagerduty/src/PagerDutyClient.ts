/**
 * The parts of the PagerDuty REST API v2 the on-call provider reads
 * (https://developer.pagerduty.com/api-reference/): a service, and the
 * on-call entries of an escalation policy.
 */

export interface PagerDutyUser {
  id: string;
  summary?: string;
  name?: string;
  email?: string;
  html_url?: string;
}

export interface PagerDutyOnCall {
  escalation_level: number;
  start: string | null;
  end: string | null;
  user: PagerDutyUser;
  schedule: { id: string; summary?: string; html_url?: string } | null;
  escalation_policy: { id: string; summary?: string; html_url?: string };
}

export interface PagerDutyService {
  id: string;
  name?: string;
  summary?: string;
  html_url?: string;
  escalation_policy: { id: string; summary?: string; html_url?: string };
}

/** PagerDuty could not answer: down, unreachable, rate limited or refusing. */
export class PagerDutyUnavailableError extends Error {
  name = 'PagerDutyUnavailableError';
}

/** The service or policy does not exist (404). */
export class PagerDutyNotFoundError extends Error {
  name = 'PagerDutyNotFoundError';
}

export interface PagerDutyClientOptions {
  apiToken: string;
  apiBaseUrl: string;
  maxRetries: number;
  maxRetryAfterSeconds: number;
  timeoutSeconds: number;
  /** For tests: how to wait. */
  sleep?: (ms: number) => Promise<void>;
}

const PAGE_LIMIT = 100;
/** At most this many pages of on-calls: 2,000 entries is far beyond one policy. */
const MAX_PAGES = 20;

/** Reads from the PagerDuty REST API, with retries on 429 and pagination. */
export class PagerDutyClient {
  readonly #options: PagerDutyClientOptions;
  readonly #sleep: (ms: number) => Promise<void>;

  constructor(options: PagerDutyClientOptions) {
    this.#options = options;
    this.#sleep =
      options.sleep ?? (ms => new Promise(resolve => setTimeout(resolve, ms)));
  }

  async getService(id: string): Promise<PagerDutyService> {
    const body = await this.#get(`/services/${encodeURIComponent(id)}`, {});
    return (body as { service: PagerDutyService }).service;
  }

  /** Every on-call entry of the policy overlapping [since, until), all pages. */
  async listOnCalls(options: {
    escalationPolicyId: string;
    since: Date;
    until: Date;
  }): Promise<PagerDutyOnCall[]> {
    const entries: PagerDutyOnCall[] = [];
    for (let page = 0, offset = 0; page < MAX_PAGES; page++) {
      const body = (await this.#get('/oncalls', {
        'escalation_policy_ids[]': options.escalationPolicyId,
        'include[]': 'users',
        since: options.since.toISOString(),
        until: options.until.toISOString(),
        time_zone: 'UTC',
        limit: String(PAGE_LIMIT),
        offset: String(offset),
      })) as { oncalls: PagerDutyOnCall[]; more?: boolean; limit?: number };
      entries.push(...body.oncalls);
      if (!body.more || body.oncalls.length === 0) {
        return entries;
      }
      offset += body.oncalls.length;
    }
    return entries;
  }

  async #get(path: string, query: Record<string, string>): Promise<unknown> {
    const url = new URL(
      `${this.#options.apiBaseUrl.replace(/\/+$/, '')}${path}`,
    );
    for (const [key, value] of Object.entries(query)) {
      url.searchParams.append(key, value);
    }
    for (let attempt = 0; ; attempt++) {
      let response: Response;
      try {
        response = await fetch(url, {
          headers: {
            Accept: 'application/vnd.pagerduty+json;version=2',
            Authorization: `Token token=${this.#options.apiToken}`,
          },
          signal: AbortSignal.timeout(this.#options.timeoutSeconds * 1000),
        });
      } catch (error) {
        throw new PagerDutyUnavailableError(
          `PagerDuty unreachable: ${(error as Error).message}`,
        );
      }
      if (response.status === 429) {
        // PagerDuty's documented rate limiting: wait as long as told, a few times.
        const retryAfter = Number(response.headers.get('retry-after') ?? '1');
        const seconds = Number.isFinite(retryAfter)
          ? Math.max(retryAfter, 0)
          : 1;
        if (
          attempt >= this.#options.maxRetries ||
          seconds > this.#options.maxRetryAfterSeconds
        ) {
          throw new PagerDutyUnavailableError(
            `PagerDuty is rate limiting requests (429, retry after ${seconds} s)`,
          );
        }
        await response.body?.cancel();
        await this.#sleep(seconds * 1000);
        continue;
      }
      if (response.status === 404) {
        throw new PagerDutyNotFoundError(`PagerDuty has no ${path}`);
      }
      if (!response.ok) {
        throw new PagerDutyUnavailableError(
          `PagerDuty answered ${response.status} ${response.statusText} for ${path}`,
        );
      }
      try {
        return await response.json();
      } catch {
        throw new PagerDutyUnavailableError(
          `PagerDuty answered ${path} with something that is not JSON`,
        );
      }
    }
  }
}
