import type {
  Connection,
  ResultSetHeader,
  RowDataPacket,
} from 'mysql2/promise';
import { WORK_ORDER_STATUSES } from './maintenanceSchema';
import type { MysqlConnect } from './seed';

// The application of the MySQL drill tests: it keeps changing the seeded
// maintenance database the way its service would, during a dump and while
// a drill runs, until stopped. Each transaction adds two work orders,
// changes one (the trigger appends to work_order_log), and deletes the
// oldest; rows it never touches are the seeded log entries, which a good
// dump must hold unchanged. It counts what the server acknowledged.

/** What the writer's committed transactions did. @public */
export interface MaintenanceWriterCounts {
  transactions: number;
  inserted: number;
  updated: number;
  deleted: number;
}

/** @public */
export interface MaintenanceWriterResult {
  counts: MaintenanceWriterCounts;
  /** The error of every transaction that failed. */
  failures: string[];
}

const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));
// A writer that fails on every attempt (its server gone) stops counting.
const MAX_FAILURES = 100;

async function idRange(connection: Connection) {
  const [rows] = await connection.query<RowDataPacket[]>(
    'SELECT MIN(id) AS low, MAX(id) AS high FROM work_orders',
  );
  if (rows[0].high === null) {
    throw new Error(
      'The maintenance writer needs a seeded work_orders table; it is empty',
    );
  }
  return { low: Number(rows[0].low), high: Number(rows[0].high) };
}

async function oneTransaction(
  connection: Connection,
  range: { low: number; high: number },
  counts: MaintenanceWriterCounts,
) {
  const status =
    WORK_ORDER_STATUSES[Math.floor(Math.random() * WORK_ORDER_STATUSES.length)];
  // Chosen here, not by RAND() in the WHERE clause, which would scan the table.
  const changed =
    range.low + Math.floor(Math.random() * (range.high - range.low + 1));
  await connection.query('START TRANSACTION');
  try {
    const [inserted] = await connection.query<ResultSetHeader>(
      `INSERT INTO work_orders
        (asset_id, status, priority, created_at, updated_at, description)
       VALUES (?, 'open', 1, NOW(6), NOW(6), 'written live'),
              (?, 'open', 2, NOW(6), NOW(6), 'written live')`,
      [1 + (changed % 100), 2 + (changed % 100)],
    );
    const [updated] = await connection.query<ResultSetHeader>(
      'UPDATE work_orders SET status = ?, updated_at = NOW(6) WHERE id = ?',
      [status, changed],
    );
    const [deleted] = await connection.query<ResultSetHeader>(
      'DELETE FROM work_orders ORDER BY id LIMIT 1',
    );
    await connection.query('COMMIT');
    counts.transactions++;
    counts.inserted += inserted.affectedRows;
    counts.updated += updated.affectedRows;
    counts.deleted += deleted.affectedRows;
    // The newest id: later updates may pick the rows written live too.
    // Number(): sessions that keep big integers whole return ids as strings.
    range.high = Math.max(range.high, Number(inserted.insertId) + 1);
    range.low += deleted.affectedRows;
  } catch (error) {
    await connection.query('ROLLBACK').catch(() => {});
    throw error;
  }
}

/**
 * Starts writing to the maintenance database through its own connection
 * (from `connect`) and keeps on until `stop()`. `pauseMs` between
 * transactions (default 5) leaves the server to the dump and the drill.
 *
 * @public
 */
export async function startMaintenanceWriter(
  connect: MysqlConnect,
  options: { database?: string; pauseMs?: number } = {},
) {
  const pauseMs = options.pauseMs ?? 5;
  const connection = await connect(options.database ?? 'maintenance');
  const counts: MaintenanceWriterCounts = {
    transactions: 0,
    inserted: 0,
    updated: 0,
    deleted: 0,
  };
  const failures: string[] = [];
  let stopped = false;
  let range: { low: number; high: number };
  try {
    range = await idRange(connection);
  } catch (error) {
    await connection.end().catch(() => {});
    throw error;
  }
  const done = (async () => {
    while (!stopped && failures.length < MAX_FAILURES) {
      try {
        await oneTransaction(connection, range, counts);
      } catch (error) {
        failures.push(error instanceof Error ? error.message : String(error));
      }
      await sleep(pauseMs);
    }
  })();
  return {
    counts,
    failures,
    /** Resolves once `count` more transactions committed; fails after `timeoutMs`. */
    async waitForTransactions(count: number, timeoutMs = 60_000) {
      const target = counts.transactions + count;
      const deadline = Date.now() + timeoutMs;
      while (counts.transactions < target) {
        if (Date.now() > deadline) {
          throw new Error(
            `The maintenance writer committed ${
              counts.transactions
            }/${target} transactions in ${timeoutMs} ms; failures: ${failures
              .slice(-3)
              .join('; ')}`,
          );
        }
        await sleep(10);
      }
    },
    async stop(): Promise<MaintenanceWriterResult> {
      stopped = true;
      await done;
      await connection.end().catch(() => {});
      return { counts: { ...counts }, failures: [...failures] };
    },
  };
}
