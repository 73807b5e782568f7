import { Client, escapeIdentifier } from 'pg';
import { StableRows } from '../config';
import { querySingleStatement } from '../connections';
import { contentsQuery, TableContents } from './contents';
import { DRIFT } from './drift';
import { PRIMARY_KEY_SQL, TableRef, Verification } from './tables';

/**
 * Rows dated this long before the backup's time are compared; younger ones
 * are left out. A transaction that began before the backup and committed
 * after it dates its rows before the backup although the backup cannot hold
 * them, and the backup's time comes from the clock of the host that ran
 * pg_dump: a minute covers both without leaving much out.
 */
export const STABLE_ROWS_MARGIN_SECONDS = 60;

/**
 * Which rows of a table must be in the copy unchanged: a SQL condition on the
 * row alias `r` with its parameters, and how to say it. Undefined when an
 * append-only table is empty in the copy (nothing to hold it to).
 */
export interface StableSelection {
  where: string;
  values: unknown[];
  description: string;
}

export function tableOf(rule: StableRows): TableRef {
  return { schema: rule.schema, name: rule.table };
}

/** The rows of the rule, chosen on the restored copy. */
export async function stableSelection(
  restored: Client,
  rule: StableRows,
  backupTime: Date,
): Promise<StableSelection | undefined> {
  if (rule.column !== undefined) {
    const cutoff = new Date(
      backupTime.getTime() - STABLE_ROWS_MARGIN_SECONDS * 1000,
    ).toISOString();
    return {
      where: `r.${escapeIdentifier(rule.column)} < $1::timestamptz`,
      values: [cutoff],
      description: `${rule.column} before ${cutoff}`,
    };
  }
  const keyColumns = (
    await querySingleStatement<{ column: string }>(restored, PRIMARY_KEY_SQL, [
      rule.schema,
      rule.table,
    ])
  ).map(row => row.column);
  if (keyColumns.length === 0) {
    throw new Error(
      `${rule.schema}.${rule.table} is configured appendOnly but has no primary key in the restored copy`,
    );
  }
  const keys = keyColumns.map(column => `r.${escapeIdentifier(column)}`);
  const [largest] = await querySingleStatement<unknown[]>(
    restored,
    `SELECT ${keys
      .map(key => `${key}::text`)
      .join(', ')} FROM ${escapeIdentifier(rule.schema)}.${escapeIdentifier(
      rule.table,
    )} AS r ORDER BY ${keys.map(key => `${key} DESC`).join(', ')} LIMIT 1`,
    [],
    'array',
  );
  if (!largest) {
    return undefined;
  }
  const params = keyColumns.map((_, index) => `$${index + 1}`);
  return {
    // A row comparison follows the primary key's order, column by column.
    where: `(${keys.join(', ')}) <= (${params.join(', ')})`,
    values: largest,
    description: `(${keyColumns.join(', ')}) up to the copy's largest (${(
      largest as unknown[]
    ).join(', ')})`,
  };
}

export async function readStableContents(
  client: Client,
  rule: StableRows,
  selection: StableSelection,
): Promise<TableContents> {
  const [row] = await querySingleStatement<TableContents>(
    client,
    contentsQuery(tableOf(rule), selection.where),
    selection.values,
  );
  return row;
}

/** The stable rows of a table: the copy must hold exactly the source's. */
export function compareStableRows(options: {
  table: string;
  description?: string;
  source?: TableContents;
  restored?: TableContents;
  error?: string;
}): Verification {
  const { table, description, source, restored, error } = options;
  const name = `stable rows of ${table}`;
  if (error !== undefined) {
    return {
      name,
      passed: false,
      actual: `error: ${error}`,
      failure: `${name} could not be compared: ${error}`,
    };
  }
  if (!description || !source || !restored) {
    return {
      name,
      passed: true,
      expected: 'rows up to the copy’s largest key',
      actual: `the copy holds no rows of this append-only table (${DRIFT}: nothing to compare)`,
    };
  }
  const expected = `${source.rows} rows with ${description}, as on the source`;
  if (source.rows !== restored.rows) {
    return {
      name,
      passed: false,
      expected,
      actual: `${restored.rows} rows`,
      failure: `${name} (${description}): the restored copy has ${restored.rows}, the source ${source.rows}; these rows predate the backup`,
    };
  }
  if (source.checksum !== restored.checksum) {
    return {
      name,
      passed: false,
      expected,
      actual: `${restored.rows} rows, with different contents`,
      failure: `${name} (${description}): the restored rows differ from the source's (checksum ${restored.checksum}, source ${source.checksum}); these rows predate the backup`,
    };
  }
  return {
    name,
    passed: true,
    expected,
    actual: `${restored.rows} rows, equal`,
  };
}
