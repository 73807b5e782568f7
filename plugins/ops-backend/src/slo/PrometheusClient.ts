import { CacheService } from '@backstage/backend-plugin-api';
import { ServiceUnavailableError } from '@backstage/errors';
import { PrometheusAlertingRule } from '@opsdeck/plugin-ops-common';
import { ReadThroughCache } from '../shared/ReadThroughCache';

/** One sample of an instant vector: its labels and value. */
export interface PrometheusSample {
  metric: Record<string, string>;
  value: number;
}

/** One series of a range vector: its labels and [unix seconds, value] points. */
export interface PrometheusSeries {
  metric: Record<string, string>;
  values: Array<[number, number]>;
}

/** A Prometheus server as configured under `ops.prometheus.servers.<name>`. */
export interface PrometheusServer {
  name: string;
  baseUrl: string;
  headers: Record<string, string>;
}

/** Counts what was asked of Prometheus, for the benchmark and the metrics. */
export interface PrometheusQueryCounter {
  onQuery?(server: string, kind: Endpoint): void;
}

interface ApiResponse<T> {
  status: 'success' | 'error';
  data?: T;
  errorType?: string;
  error?: string;
}

type Endpoint = 'query' | 'query_range' | 'rules';

type VectorData = {
  resultType: 'vector' | 'scalar' | 'matrix' | 'string';
  result: unknown;
};

/**
 * A client of the Prometheus HTTP API (`/api/v1/query`, `/api/v1/query_range`,
 * `/api/v1/rules`) for one configured server.
 *
 * Every request is bounded by `timeoutMs`, so a slow or unreachable Prometheus
 * turns into a `ServiceUnavailableError` naming the server instead of a
 * request that hangs the card (and the Node event loop is never blocked: the
 * other routes keep answering meanwhile). Results are kept for `cacheTtlMs` in
 * Backstage's cache service: a page of cards and the SLO tab ask the same
 * questions within seconds, and Prometheus data at that scale moves no faster.
 * Concurrent identical requests share one round trip.
 */
export class PrometheusClient {
  readonly #responses: ReadThroughCache;

  constructor(
    readonly server: PrometheusServer,
    private readonly options: {
      timeoutMs: number;
      cacheTtlMs: number;
      cache?: CacheService;
      counter?: PrometheusQueryCounter;
      fetch?: typeof fetch;
    },
  ) {
    this.#responses = new ReadThroughCache(options.cache);
  }

  /**
   * Now, in unix seconds, rounded down to a multiple of the time results are
   * kept (`cacheTtlMs`): every reader within that time asks the same queries
   * and so shares their answers, across replicas too (the key is the query).
   * Figures are then at most that old, as a kept answer is anyway; with a
   * time of 0 it is now.
   */
  evaluationTime(now: number = Date.now()): number {
    const ttl = this.options.cacheTtlMs;
    return Math.floor((ttl > 0 ? Math.floor(now / ttl) * ttl : now) / 1000);
  }

  /**
   * An instant query; `time` in unix seconds, now when omitted. `deadline`
   * (epoch milliseconds) shortens the timeout, so that several queries in a
   * row still answer within one time limit.
   */
  async query(
    expr: string,
    time?: number,
    deadline?: number,
  ): Promise<PrometheusSample[]> {
    const params: Record<string, string> = { query: expr };
    if (time !== undefined) params.time = String(time);
    const data = await this.#get<VectorData>('query', params, deadline);
    if (data.resultType === 'scalar') {
      const [, value] = data.result as [number, string];
      return [{ metric: {}, value: Number(value) }];
    }
    if (data.resultType !== 'vector') {
      throw new ServiceUnavailableError(
        `Prometheus '${this.server.name}' answered a ${data.resultType} to an instant query of ${expr}`,
      );
    }
    return (
      data.result as Array<{
        metric: Record<string, string>;
        value: [number, string];
      }>
    ).map(s => ({ metric: s.metric, value: Number(s.value[1]) }));
  }

  /** A range query; times in unix seconds, step in seconds. */
  async queryRange(
    expr: string,
    start: number,
    end: number,
    step: number,
  ): Promise<PrometheusSeries[]> {
    const data = await this.#get<VectorData>('query_range', {
      query: expr,
      start: String(start),
      end: String(end),
      step: String(step),
    });
    return (
      data.result as Array<{
        metric: Record<string, string>;
        values: Array<[number, string]>;
      }>
    ).map(s => ({
      metric: s.metric,
      values: s.values.map(([t, v]) => [t, Number(v)] as [number, number]),
    }));
  }

  /**
   * The alerting rules Prometheus has loaded, with their active alerts
   * (`GET /api/v1/rules?type=alert`).
   */
  async alertingRules(deadline?: number): Promise<PrometheusAlertingRule[]> {
    const data = await this.#get<{
      groups: Array<{
        rules: Array<PrometheusAlertingRule & { type: string }>;
      }>;
    }>('rules', { type: 'alert' }, deadline);
    return data.groups.flatMap(g => g.rules.filter(r => r.type === 'alerting'));
  }

  async #get<T>(
    endpoint: Endpoint,
    params: Record<string, string>,
    deadline?: number,
  ): Promise<T> {
    const search = new URLSearchParams(params).toString();
    // Kept as text, so that no two callers ever share one mutable object.
    const text = await this.#responses.get(
      `ops:prometheus:${this.server.name}:${endpoint}?${search}`,
      async () =>
        JSON.stringify(await this.#fetch<T>(endpoint, search, deadline)),
      this.options.cacheTtlMs,
    );
    return JSON.parse(text) as T;
  }

  async #fetch<T>(
    endpoint: Endpoint,
    search: string,
    deadline?: number,
  ): Promise<T> {
    const timeoutMs = Math.max(
      1,
      Math.min(
        this.options.timeoutMs,
        deadline === undefined ? Infinity : deadline - Date.now(),
      ),
    );
    // The query endpoints take a form body (a long PromQL query fits no
    // URL); /rules answers GET only.
    const viaGet = endpoint === 'rules';
    const url = `${this.server.baseUrl.replace(/\/+$/, '')}/api/v1/${endpoint}${
      viaGet ? `?${search}` : ''
    }`;
    const where = `Prometheus '${this.server.name}' (${this.server.baseUrl})`;
    this.options.counter?.onQuery?.(this.server.name, endpoint);
    let response: Response;
    try {
      response = await (this.options.fetch ?? fetch)(
        url,
        viaGet
          ? {
              headers: { ...this.server.headers, accept: 'application/json' },
              signal: AbortSignal.timeout(timeoutMs),
            }
          : {
              method: 'POST',
              headers: {
                ...this.server.headers,
                'content-type': 'application/x-www-form-urlencoded',
                accept: 'application/json',
              },
              body: search,
              signal: AbortSignal.timeout(timeoutMs),
            },
      );
    } catch (e) {
      const error = e as Error;
      const reason =
        error.name === 'TimeoutError' || error.name === 'AbortError'
          ? `no answer within ${timeoutMs / 1000} s`
          : describeFetchError(error);
      throw new ServiceUnavailableError(`${where} is unavailable: ${reason}`);
    }
    let body: ApiResponse<T> | undefined;
    try {
      body = (await response.json()) as ApiResponse<T>;
    } catch {
      body = undefined;
    }
    if (!response.ok || !body || body.status !== 'success') {
      // Prometheus explains a bad query (400/422) in `error`; anything else
      // (a proxy's HTML page, a 503) is reported by status.
      const detail = body?.error
        ? `${body.errorType ?? 'error'}: ${body.error}`
        : `HTTP ${response.status} ${response.statusText}`;
      throw new ServiceUnavailableError(
        `${where} refused ${
          viaGet ? `the ${endpoint} request` : 'a query'
        }: ${detail}`,
      );
    }
    return body.data as T;
  }
}

function describeFetchError(error: Error): string {
  const cause = (error as { cause?: { code?: string; message?: string } })
    .cause;
  if (cause?.code === 'ECONNREFUSED') return 'connection refused';
  if (cause?.code === 'ENOTFOUND') return 'host not found';
  return cause?.message ?? error.message;
}
