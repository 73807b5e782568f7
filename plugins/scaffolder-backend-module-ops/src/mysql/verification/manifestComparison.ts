import { Verification } from '../../postgres/verification/tables';
import { MysqlBackupManifest } from '../backup/manifest';
import { compareMysqlObjects } from './objects';
import { MysqlOutline } from './outline';

/** One table of the manifest against the copy: rows and checksum, exactly. */
function compareTable(
  entry: MysqlBackupManifest['tables'][number],
  restored: MysqlOutline,
): Verification {
  const name = `rows of ${entry.table}`;
  const expected = `${entry.rows} rows, checksum ${entry.checksum}`;
  const copy = restored.contents.get(entry.table);
  if (!copy) {
    return {
      name,
      passed: false,
      expected,
      actual: 'absent',
      failure: `table ${entry.table} is missing from the restored copy (the backup's manifest lists ${entry.rows} rows)`,
    };
  }
  const actual = `${copy.rows} rows, checksum ${copy.checksum}`;
  if (copy.rows !== entry.rows) {
    return {
      name,
      passed: false,
      expected,
      actual,
      failure: `table ${entry.table}: the restored copy has ${copy.rows} rows, the backup's manifest ${entry.rows}`,
    };
  }
  if (copy.checksum !== entry.checksum) {
    return {
      name,
      passed: false,
      expected,
      actual,
      failure: `table ${entry.table}: the restored rows differ from the backup's manifest (${copy.rows} rows as listed, CHECKSUM TABLE ${copy.checksum} instead of ${entry.checksum})`,
    };
  }
  return { name, passed: true, expected, actual };
}

/**
 * The restored copy against the manifest of the dump's own snapshot:
 * exactly, both describe the same moment. Every table's row count and
 * checksum must be equal; every table, view, routine, trigger and event the
 * manifest lists must be there, and no table it does not list.
 */
export function compareMysqlWithManifest(
  manifest: MysqlBackupManifest,
  restored: MysqlOutline,
): Verification[] {
  const listed = new Set(manifest.tables.map(entry => entry.table));
  const unlisted: Verification[] = restored.tables
    .filter(table => !listed.has(table))
    .map(table => ({
      name: `rows of ${table}`,
      passed: false,
      expected: 'absent',
      actual: `${restored.contents.get(table)?.rows ?? '?'} rows`,
      failure: `table ${table} is in the restored copy but not in the backup's manifest`,
    }));
  return [
    ...manifest.tables.map(entry => compareTable(entry, restored)),
    ...unlisted,
    ...compareMysqlObjects({
      reference: manifest,
      restored,
      against: 'manifest',
    }),
  ];
}
