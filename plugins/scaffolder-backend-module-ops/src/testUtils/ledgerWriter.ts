import fs from 'node:fs/promises';
import { Client } from 'pg';
import { APP_PASSWORD, APP_USER, DATABASE } from './replicatedCluster';

/**
 * One insert the server acknowledged.
 *
 * @public
 */
export interface Acknowledged {
  id: number;
  at: number;
  port: number;
}

/** @public */
export interface WriterResult {
  acknowledged: Acknowledged[];
  /** Writes that failed (refused, ended session, no server). */
  failures: number;
  /** The longest time between two consecutive acknowledged inserts. */
  longestGapMs: number;
}

export async function connectApp(port: number): Promise<Client> {
  const client = new Client({
    host: '127.0.0.1',
    port,
    database: DATABASE,
    user: APP_USER,
    password: APP_PASSWORD,
    connectionTimeoutMillis: 2_000,
  });
  client.on('error', () => {});
  await client.connect();
  return client;
}

/**
 * An application that inserts rows into `ledger` one after the other as fast
 * as it can, finding the primary in the JSON connection file whenever a write
 * fails: what a client of the demo does. It remembers every insert the server
 * acknowledged, with the time and the server.
 *
 * @public
 */
export function startLedgerWriter(connectionFile: string) {
  const acknowledged: Acknowledged[] = [];
  let stopped = false;
  let failures = 0;
  const done = (async () => {
    let next = 1;
    let client: Client | undefined;
    let port = 0;
    while (!stopped) {
      try {
        if (!client) {
          port = JSON.parse(await fs.readFile(connectionFile, 'utf8')).port;
          client = await connectApp(port);
        }
        // A new id for every attempt: a failed insert may still have committed.
        const id = next++;
        await client.query('INSERT INTO ledger (id) VALUES ($1)', [id]);
        acknowledged.push({ id, at: Date.now(), port });
      } catch {
        failures += 1;
        await client?.end().catch(() => {});
        client = undefined;
        await new Promise(resolve => setTimeout(resolve, 10));
      }
    }
    await client?.end().catch(() => {});
  })();
  return {
    acknowledged,
    /** Resolves once `count` more inserts were acknowledged by the server on `port`. */
    async waitFor(count: number, port?: number): Promise<void> {
      const start = acknowledged.length;
      while (
        acknowledged.length < start + count ||
        (port !== undefined &&
          acknowledged[acknowledged.length - 1].port !== port)
      ) {
        await new Promise(resolve => setTimeout(resolve, 10));
      }
    },
    async stop(): Promise<WriterResult> {
      stopped = true;
      await done;
      let longestGapMs = 0;
      for (let i = 1; i < acknowledged.length; i++) {
        longestGapMs = Math.max(
          longestGapMs,
          acknowledged[i].at - acknowledged[i - 1].at,
        );
      }
      return { acknowledged, failures, longestGapMs };
    },
  };
}

/**
 * The acknowledged inserts missing from the server on `port`.
 *
 * @public
 */
export async function missingInserts(
  port: number,
  acknowledged: Acknowledged[],
): Promise<Acknowledged[]> {
  const client = await connectApp(port);
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
