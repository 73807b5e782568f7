import { Client } from 'pg';
import { SqlCheck } from '../config';
import { querySingleStatement } from '../connections';
import { DRIFT } from './drift';
import { Verification } from './tables';

function resultText(rows: unknown[][]): string {
  return JSON.stringify(rows);
}

function firstValue(rows: unknown[][]): string {
  const value = rows[0]?.[0];
  if (value === undefined) {
    return '(no rows)';
  }
  if (value === null) {
    return 'NULL';
  }
  return value instanceof Date ? value.toISOString() : String(value);
}

function clip(text: string, length = 200): string {
  return text.length > length ? `${text.slice(0, length - 1)}…` : text;
}

/**
 * A configured check: with `expect`, the first value on the restored copy
 * must equal it; without, the restored result is compared with the source's
 * and a difference is reported as drift. An error on either side fails.
 */
export function compareCheckResult(
  check: SqlCheck,
  restored: { rows?: unknown[][]; error?: string },
  source?: { rows?: unknown[][]; error?: string },
): Verification {
  const name = `check ${check.name}`;
  if (restored.error !== undefined || !restored.rows) {
    return {
      name,
      passed: false,
      expected: check.expect ?? 'same result as the source',
      actual: `error: ${clip(restored.error ?? 'no result')}`,
      failure: `${name} failed on the restored copy: ${restored.error}`,
    };
  }
  if (check.expect !== undefined) {
    const actual = firstValue(restored.rows);
    return {
      name,
      passed: actual === check.expect,
      expected: check.expect,
      actual: clip(actual),
      ...(actual === check.expect
        ? {}
        : {
            failure: `${name}: restored copy returned ${clip(
              actual,
            )}, expected ${check.expect}`,
          }),
    };
  }
  if (source?.error !== undefined || !source?.rows) {
    return {
      name,
      passed: false,
      expected: `error: ${clip(source?.error ?? 'no result')}`,
      actual: clip(resultText(restored.rows)),
      failure: `${name} failed on the source: ${source?.error}`,
    };
  }
  const expected = resultText(source.rows);
  const actual = resultText(restored.rows);
  // The source answers for now, the copy for the backup's moment: a
  // different answer is drift. A check that must hold gives `expect`.
  return {
    name,
    passed: true,
    expected: clip(expected),
    actual:
      expected === actual
        ? clip(actual)
        : `${clip(actual, 160)} (${DRIFT}: the source's differs)`,
  };
}

export async function runCheck(
  client: Client,
  sql: string,
  inTransaction: boolean,
): Promise<{ rows?: unknown[][]; error?: string }> {
  // Inside the source's snapshot transaction a failing check must not abort it.
  if (inTransaction) {
    await client.query('SAVEPOINT opsdeck_drill_check');
  }
  try {
    const rows = await querySingleStatement<unknown[]>(
      client,
      sql,
      [],
      'array',
    );
    if (inTransaction) {
      await client.query('RELEASE SAVEPOINT opsdeck_drill_check');
    }
    return { rows };
  } catch (error) {
    if (inTransaction) {
      await client.query('ROLLBACK TO SAVEPOINT opsdeck_drill_check');
    }
    return { error: error instanceof Error ? error.message : String(error) };
  }
}
