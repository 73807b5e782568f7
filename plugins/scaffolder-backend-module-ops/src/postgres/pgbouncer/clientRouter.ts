import { DatabaseEndpoint } from '../config';

/**
 * Where a router's clients were sent before a failover changed anything,
 * kept in the task's checkpoints (JSON) so that a retried task can put it
 * back even after an earlier attempt rewrote it.
 */
export interface RouteSnapshot {
  /** The route as the router's configuration spells it (a PgBouncer `[databases]` line). */
  route?: string;
  /** `host:port` the clients were sent to. */
  address: string;
}

/**
 * Something between the clients and the primary that a failover or a
 * switchover redirects: it holds the clients while the primary changes, so
 * that they see a stall, not errors. Every method is idempotent: a retried
 * task calls them again.
 *
 * Order for a caller: `capture` (checkpointed) → `pause` → change the
 * primary → `repoint` → `resume` once the new primary accepts writes; on a
 * failure before the primary changed, `restore` the snapshot.
 */
export interface ClientRouter {
  /** For records: `pgbouncer`. */
  readonly kind: string;
  /** What the router will do, for a dry run's plan. */
  describe(): string;
  /** Reads the current route and checks that the router serves it; changes nothing. */
  capture(): Promise<RouteSnapshot>;
  /** Holds new queries and waits for the ones in flight; no server connection stays open. */
  pause(signal?: AbortSignal): Promise<string>;
  /** Sends the clients to `primary` once resumed (they stay held). */
  repoint(primary: DatabaseEndpoint): Promise<string>;
  /** Lets the held clients go on. */
  resume(): Promise<string>;
  /** Puts the captured route back and resumes. */
  restore(snapshot: RouteSnapshot): Promise<string>;
}
