import { Client } from 'pg';
import { DRIFT, rowDifference } from './drift';
import { countRows, listUserTables, TableRef, Verification } from './tables';
import { listIndexesAndSequences } from './contents';

/**
 * Row counts of every table, restored copy against the live source, for a
 * backup without a manifest. The source changed since the backup, so a
 * different count, or a table only in the copy (dropped since), is drift:
 * it passes, saying so. A table of the source missing from the copy fails:
 * tables are not created so often that the backup should be excused (a table
 * created after the backup does fail; give the backup a manifest, or take a
 * new one, to avoid that).
 */
export function compareRowCounts(
  source: Map<string, string>,
  restored: Map<string, string>,
): Verification[] {
  const tables = [...new Set([...source.keys(), ...restored.keys()])].sort();
  return tables.map(table => {
    const expected = source.get(table);
    const actual = restored.get(table);
    const name = `row count of ${table}`;
    if (expected === undefined) {
      return {
        name,
        passed: true,
        expected: 'absent',
        actual: `${actual} (${DRIFT}: not on the source now)`,
      };
    }
    if (actual === undefined) {
      return {
        name,
        passed: false,
        expected,
        actual: 'absent',
        failure: `${table} is missing from the restored copy (source has ${expected} rows)`,
      };
    }
    if (expected === actual) {
      return { name, passed: true, expected, actual };
    }
    return {
      name,
      passed: true,
      expected,
      actual: `${actual} (${DRIFT}: ${rowDifference(
        BigInt(expected),
        BigInt(actual),
      )} on the source)`,
    };
  });
}

/**
 * Names present on the reference side (the source, or the backup's manifest)
 * must be present in the copy; each missing one fails, named. Names only in
 * the copy are drift when the reference is the live source.
 */
export function compareObjects(options: {
  /** Any kind of named object: PostgreSQL's tables, indexes, sequences; MySQL's views, routines, triggers, events too. */
  kind: string;
  reference: string[];
  restored: string[];
  against: 'source' | 'manifest';
}): Verification[] {
  const { kind, reference, restored, against } = options;
  const plural = kind === 'index' ? 'indexes' : `${kind}s`;
  const inCopy = new Set(restored);
  const inReference = new Set(reference);
  const missing = reference.filter(name => !inCopy.has(name));
  const extra = restored.filter(name => !inReference.has(name));
  const where = against === 'source' ? 'the source' : "the backup's manifest";
  const items: Verification[] = missing.map(name => ({
    name: `${kind} ${name}`,
    passed: false,
    expected: `present, as on ${where}`,
    actual: 'absent',
    failure: `${kind} ${name} is missing from the restored copy`,
  }));
  if (extra.length > 0 && against === 'manifest') {
    // At most ten names: a record's values are limited in length.
    const names = `${extra.slice(0, 10).join(', ')}${
      extra.length > 10 ? ` and ${extra.length - 10} more` : ''
    }`;
    items.push({
      name: `${plural} not in the manifest`,
      passed: false,
      expected: 'none',
      actual: names,
      failure: `the restored copy has ${plural} the backup's manifest does not list: ${names}`,
    });
  }
  if (missing.length > 0) {
    // Each missing one is its own failed item; a summary would repeat them.
    return items;
  }
  items.push({
    name: `${plural} present`,
    passed: true,
    expected: `${reference.length}, as on ${where}`,
    actual: `${reference.length - missing.length} present${
      extra.length && against === 'source'
        ? `; ${extra.length} only in the copy (${DRIFT}: ${extra
            .slice(0, 3)
            .join(', ')}${extra.length > 3 ? ', …' : ''} not on the source now)`
        : ''
    }`,
  });
  return items;
}

/** What the source holds now, read in one snapshot: names and row counts. */
export interface SourceOutline {
  tables: TableRef[];
  counts: Map<string, string>;
  indexes: string[];
  sequences: string[];
}

/**
 * Runs `read` in one repeatable-read, read-only transaction on the source, so
 * that everything it reads is of one moment.
 */
export async function inSnapshot<T>(
  source: Client,
  read: () => Promise<T>,
): Promise<T> {
  await source.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
  try {
    return await read();
  } finally {
    await source.query('ROLLBACK').catch(() => {});
  }
}

/**
 * Counts the rows of every user table of the source and lists its indexes
 * and sequences, in one snapshot. It does not depend on the restored copy:
 * the drill runs it while it makes the scratch instance and restores the
 * backup.
 */
export function readSourceOutline(source: Client): Promise<SourceOutline> {
  return inSnapshot(source, async () => {
    const tables = await listUserTables(source);
    return {
      tables,
      counts: await countRows(source, tables),
      ...(await listIndexesAndSequences(source)),
    };
  });
}
