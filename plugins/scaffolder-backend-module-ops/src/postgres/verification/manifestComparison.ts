import { BackupManifest } from '../backup/manifest';
import { DatabaseContents } from './contents';
import { compareObjects } from './rowCounts';
import { Verification } from './tables';

/**
 * The restored copy against the manifest of the backup's own snapshot:
 * exactly, because both describe the same moment. Every table's row count
 * and checksum must be equal, and every table, index and sequence the
 * manifest lists must be present; anything else is the backup's fault.
 */
export function compareWithManifest(
  manifest: BackupManifest,
  restored: DatabaseContents,
): Verification[] {
  const items: Verification[] = [];
  const listed = new Set(manifest.tables.map(entry => entry.table));
  for (const entry of manifest.tables) {
    const name = `rows of ${entry.table}`;
    const expected = `${entry.rows} rows, checksum ${entry.checksum}`;
    const copy = restored.contents.get(entry.table);
    if (!copy) {
      items.push({
        name,
        passed: false,
        expected,
        actual: 'absent',
        failure: `${entry.table} is missing from the restored copy (the backup's manifest lists ${entry.rows} rows)`,
      });
      continue;
    }
    const actual = `${copy.rows} rows, checksum ${copy.checksum}`;
    if (copy.rows !== entry.rows) {
      items.push({
        name,
        passed: false,
        expected,
        actual,
        failure: `${entry.table}: the restored copy has ${copy.rows} rows, the backup's manifest ${entry.rows}`,
      });
    } else if (copy.checksum !== entry.checksum) {
      items.push({
        name,
        passed: false,
        expected,
        actual,
        failure: `${entry.table}: the restored rows differ from the backup's manifest (${copy.rows} rows as listed, checksum ${copy.checksum} instead of ${entry.checksum})`,
      });
    } else {
      items.push({ name, passed: true, expected, actual });
    }
  }
  const unlisted = [...restored.contents.keys()].filter(
    table => !listed.has(table),
  );
  for (const table of unlisted.sort()) {
    items.push({
      name: `rows of ${table}`,
      passed: false,
      expected: 'absent',
      actual: `${restored.contents.get(table)!.rows} rows`,
      failure: `${table} is in the restored copy but not in the backup's manifest`,
    });
  }
  return [
    ...items,
    ...compareObjects({
      kind: 'index',
      reference: manifest.indexes,
      restored: restored.indexes,
      against: 'manifest',
    }),
    ...compareObjects({
      kind: 'sequence',
      reference: manifest.sequences,
      restored: restored.sequences,
      against: 'manifest',
    }),
  ];
}
