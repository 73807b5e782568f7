import fs from 'node:fs/promises';
import { Client } from 'pg';
import { APP_PASSWORD, APP_USER, DATABASE } from './replicatedCluster';

// The one application of the failover tests and benchmarks: it inserts rows
// into `ledger` one after the other as fast as it can and remembers every
// insert the server acknowledged. Afterwards `missingInserts` counts, on the
// new primary and independently of the action, which of them are not there.
// Only how it finds its server differs: a connection file, the member that
// accepts writes, or one fixed port (PgBouncer) that it never leaves.

/**
 * One insert the server acknowledged.
 *
 * @public
 */
export interface Acknowledged {
  /** The row's id in `ledger`. */
  id: number;
  /** When the acknowledgement arrived (`performance.now()`). */
  at: number;
  /** The port the writer was connected to (PgBouncer's, through PgBouncer). */
  port: number;
}

/** @public */
export interface WriterResult {
  acknowledged: Acknowledged[];
  /** The error of every write that failed (refused, ended session, no server). */
  failures: string[];
  /** The longest time between two consecutive acknowledged inserts. */
  longestGapMs: number;
}

/**
 * Who the writer logs in as; the ReplicatedCluster's and the
 * PatroniTestCluster's application role by default.
 *
 * @public
 */
export interface AppLogin {
  /** Default `DATABASE` (`payments`). */
  database?: string;
  /** Default `APP_USER`. */
  user?: string;
  /** Default `APP_PASSWORD`. */
  password?: string;
}

/**
 * How a writer finds its server: a connected client and its port.
 *
 * @public
 */
export type ServerFinder = () => Promise<{ client: Client; port: number }>;

/**
 * A connection as the application role, to 127.0.0.1:`port`.
 *
 * @public
 */
export async function connectApp(
  port: number,
  login: AppLogin = {},
): Promise<Client> {
  const client = new Client({
    host: '127.0.0.1',
    port,
    database: login.database ?? DATABASE,
    user: login.user ?? APP_USER,
    password: login.password ?? APP_PASSWORD,
    connectionTimeoutMillis: 2_000,
  });
  client.on('error', () => {});
  await client.connect();
  return client;
}

/**
 * The server the JSON connection file names (what the failover rewrites):
 * what a client of the demo does.
 *
 * @public
 */
export function fromConnectionFile(file: string): ServerFinder {
  return async () => {
    const port = JSON.parse(await fs.readFile(file, 'utf8')).port;
    return { client: await connectApp(port), port };
  };
}

/**
 * The first of `ports` that accepts writes, as a client with a list of hosts
 * and `target_session_attrs=read-write` finds it: the writer follows the
 * leader by itself, whoever moved it.
 *
 * @public
 */
export function leaderAmong(ports: number[]): ServerFinder {
  return async () => {
    for (const port of ports) {
      const client = await connectApp(port).catch(() => undefined);
      if (!client) {
        continue;
      }
      const { rows } = await client
        .query('SELECT pg_is_in_recovery() AS r')
        .catch(() => ({ rows: [{ r: true }] }));
      if (!rows[0].r) {
        return { client, port };
      }
      await client.end().catch(() => {});
    }
    throw new Error(`None of ${ports.join(', ')} accepts writes`);
  };
}

/**
 * Always `port`, e.g. PgBouncer's.
 *
 * @public
 */
export function atPort(port: number, login: AppLogin = {}): ServerFinder {
  return async () => ({ client: await connectApp(port, login), port });
}

const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));

/**
 * Starts the writer once it has its first connection. With `reconnect`
 * (the default) it finds its server again after any failed write; without,
 * it keeps its one connection for good, so that every error a failover
 * causes is a failed write (a client behind PgBouncer should see a stall).
 *
 * @public
 */
export async function startLedgerWriter(
  find: ServerFinder,
  options: { reconnect?: boolean; firstId?: number } = {},
) {
  const reconnect = options.reconnect ?? true;
  const acknowledged: Acknowledged[] = [];
  const failures: string[] = [];
  let stopped = false;
  let { client, port } = await find();
  const done = (async () => {
    // A new id for every attempt: a failed insert may still have committed.
    let next = options.firstId ?? 1;
    while (!stopped) {
      try {
        if (!client) {
          ({ client, port } = await find());
        }
        const id = next++;
        await client.query('INSERT INTO ledger (id) VALUES ($1)', [id]);
        acknowledged.push({ id, at: performance.now(), port });
      } catch (error) {
        failures.push(error instanceof Error ? error.message : String(error));
        if (!reconnect) {
          // A broken connection fails at once: stop counting past a point.
          if (failures.length > 1000) return;
          continue;
        }
        await client?.end().catch(() => {});
        client = undefined as unknown as Client;
        await sleep(5);
      }
    }
  })();
  const gapSince = (from: number) => {
    let gap = 0;
    for (let i = 1; i < acknowledged.length; i++) {
      if (acknowledged[i].at >= from) {
        gap = Math.max(gap, acknowledged[i].at - acknowledged[i - 1].at);
      }
    }
    return gap;
  };
  return {
    acknowledged,
    failures,
    /**
     * Resolves once `count` more inserts were acknowledged, the last one by
     * the server on `onPort` when given.
     */
    async waitFor(
      count: number,
      onPort?: number,
      timeoutMs = 60_000,
    ): Promise<void> {
      const target = acknowledged.length + count;
      const deadline = Date.now() + timeoutMs;
      while (
        acknowledged.length < target ||
        (onPort !== undefined &&
          acknowledged[acknowledged.length - 1].port !== onPort)
      ) {
        if (Date.now() > deadline) {
          throw new Error(
            `The writer got ${
              acknowledged.length
            }/${target} inserts acknowledged${
              onPort === undefined ? '' : ` (the last on ${onPort})`
            } in ${timeoutMs} ms; failures: ${failures.slice(-3).join('; ')}`,
          );
        }
        await sleep(10);
      }
    },
    /** The longest gap between acknowledged inserts that ended after `from` (`performance.now()`). */
    longestGapSince: gapSince,
    async stop(): Promise<WriterResult> {
      stopped = true;
      await done;
      await client?.end().catch(() => {});
      return { acknowledged, failures, longestGapMs: gapSince(0) };
    },
  };
}

/**
 * The acknowledged inserts missing from the server on `port`: counted there,
 * independently of whatever moved the writes.
 *
 * @public
 */
export async function missingInserts(
  port: number,
  acknowledged: Acknowledged[],
  login: AppLogin = {},
): Promise<Acknowledged[]> {
  const client = await connectApp(port, login);
  try {
    const { rows } = await client.query(
      'SELECT id FROM ledger WHERE id = ANY($1::bigint[])',
      [acknowledged.map(a => a.id)],
    );
    const present = new Set(rows.map(row => Number(row.id)));
    return acknowledged.filter(a => !present.has(a.id));
  } finally {
    await client.end();
  }
}
