import { CacheService } from '@backstage/backend-plugin-api';
import { JsonValue } from '@backstage/types';

/**
 * Reads through Backstage's cache service: a value kept under the key is
 * reused, otherwise it is loaded and kept for its time to live. Callers that
 * miss the same key at the same time share one load, with or without a cache.
 * A load that fails is not kept. Values must be plain JSON: the cache service
 * may serialise them (TypeScript cannot tell that of every interface, hence
 * no JsonValue bound on the type).
 */
export class ReadThroughCache {
  readonly #inFlight = new Map<string, Promise<unknown>>();

  constructor(private readonly cache?: CacheService) {}

  /**
   * The value under `key`, or `load()`'s, kept for `ttlMs` milliseconds
   * (a function of the value when some values should live shorter; zero or
   * less keeps nothing).
   */
  async get<T>(
    key: string,
    load: () => Promise<T>,
    ttlMs: number | ((value: T) => number),
  ): Promise<T> {
    if (this.cache && (typeof ttlMs === 'function' || ttlMs > 0)) {
      const cached = (await this.cache.get(key)) as T | undefined;
      if (cached !== undefined) return cached;
    }
    const pending = this.#inFlight.get(key);
    if (pending) return pending as Promise<T>;
    const loading = load().then(async value => {
      const ttl = typeof ttlMs === 'function' ? ttlMs(value) : ttlMs;
      if (this.cache && ttl > 0) {
        await this.cache.set(key, value as JsonValue, { ttl });
      }
      return value;
    });
    this.#inFlight.set(key, loading);
    try {
      return await loading;
    } finally {
      this.#inFlight.delete(key);
    }
  }
}
