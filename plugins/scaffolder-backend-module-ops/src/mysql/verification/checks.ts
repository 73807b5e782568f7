import type { Connection } from 'mysql2/promise';
import { SqlCheck } from '../../postgres/config';
import { compareCheckResult } from '../../postgres/verification/checks';
import { Verification } from '../../postgres/verification/tables';
import { messageOf, selectArrays } from './sql';

/**
 * Runs a configured check in a read-only transaction of its own (an INSERT
 * in a check fails instead of changing the database). MariaDB keeps a
 * transaction usable after a failed statement: no savepoint is needed.
 */
export async function runMysqlCheck(
  connection: Connection,
  sql: string,
): Promise<{ rows?: unknown[][]; error?: string }> {
  await connection.query('START TRANSACTION READ ONLY');
  try {
    const rows = await selectArrays(connection, sql);
    return { rows: rows.map(row => row.map(printable)) };
  } catch (error) {
    return { error: messageOf(error) };
  } finally {
    await connection.query('ROLLBACK').catch(() => {});
  }
}

/** Binary values as hex, so results compare and print as text. */
function printable(value: unknown): unknown {
  return Buffer.isBuffer(value) ? `0x${value.toString('hex')}` : value;
}

/**
 * The configured checks on the copy; without `expect`, each is compared with
 * the source's answer (a different one is drift, see compareCheckResult).
 */
export async function verifyChecks(options: {
  checks: SqlCheck[];
  restored: Connection;
  source?: Connection;
}): Promise<Verification[]> {
  const { checks, restored, source } = options;
  const items: Verification[] = [];
  const onSource = async (sql: string) =>
    source
      ? runMysqlCheck(source, sql)
      : { error: 'no source connection to compare with' };
  for (const check of checks) {
    const [restoredResult, sourceResult] = await Promise.all([
      runMysqlCheck(restored, check.sql),
      check.expect === undefined ? onSource(check.sql) : undefined,
    ]);
    items.push(compareCheckResult(check, restoredResult, sourceResult));
  }
  return items;
}
