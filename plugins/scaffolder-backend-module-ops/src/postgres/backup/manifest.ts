import { DatabaseContents, TableContents } from '../verification/contents';
import { readManifestFile, writeManifestFile } from '../../manifestFile';

/**
 * What a backup holds, read in the very snapshot pg_dump dumped
 * (`pg_dump --snapshot`): the restored copy must equal it exactly, whatever
 * the source received since. Written beside the dump as
 * `<dump name>.manifest.json`.
 *
 * @public
 */
export interface BackupManifest {
  version: 1;
  /** The database dumped. */
  database: string;
  /** When the snapshot was taken (ISO 8601, UTC). */
  snapshotTime: string;
  /** Every user table by `schema.table`, sorted. */
  tables: Array<{ table: string } & TableContents>;
  /** `schema.index`, sorted. */
  indexes: string[];
  /** `schema.sequence`, sorted. */
  sequences: string[];
}

export const MANIFEST_VERSION = 1;
const SUFFIX = '.manifest.json';

/**
 * The manifest's path beside a dump. Backup discovery ignores it: for
 * custom-format dumps it is a file without the PGDMP magic, for directory
 * dumps a file where dumps are directories.
 */
export function manifestPathOf(dumpPath: string): string {
  return `${dumpPath.replace(/\/+$/, '')}${SUFFIX}`;
}

export function manifestOf(options: {
  database: string;
  snapshotTime: Date;
  contents: DatabaseContents;
}): BackupManifest {
  const { database, snapshotTime, contents } = options;
  return {
    version: MANIFEST_VERSION,
    database,
    snapshotTime: snapshotTime.toISOString(),
    tables: [...contents.contents.entries()]
      .map(([table, { rows, checksum }]) => ({ table, rows, checksum }))
      .sort((a, b) => a.table.localeCompare(b.table, 'en')),
    indexes: [...contents.indexes].sort(),
    sequences: [...contents.sequences].sort(),
  };
}

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every(item => typeof item === 'string');
}

/** Parses and checks a manifest; the error names the file and the field. */
export function parseManifest(text: string, file: string): BackupManifest {
  const bad = (what: string) =>
    new Error(`The backup manifest ${file} is invalid: ${what}`);
  let value: any;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw bad(`not JSON (${(error as Error).message})`);
  }
  if (typeof value !== 'object' || value === null) {
    throw bad('not an object');
  }
  if (value.version !== MANIFEST_VERSION) {
    throw bad(
      `version ${JSON.stringify(
        value.version,
      )} is not ${MANIFEST_VERSION}, the version this OpsDeck reads`,
    );
  }
  if (typeof value.database !== 'string' || !value.database) {
    throw bad('database must be a non-empty string');
  }
  if (
    typeof value.snapshotTime !== 'string' ||
    Number.isNaN(new Date(value.snapshotTime).getTime())
  ) {
    throw bad('snapshotTime must be an ISO 8601 time');
  }
  if (!Array.isArray(value.tables)) {
    throw bad('tables must be an array');
  }
  value.tables.forEach((table: any, index: number) => {
    for (const field of ['table', 'rows', 'checksum']) {
      if (typeof table?.[field] !== 'string') {
        throw bad(`tables[${index}].${field} must be a string`);
      }
    }
    if (!/^\d+$/.test(table.rows) || !/^-?\d+$/.test(table.checksum)) {
      throw bad(`tables[${index}] must hold whole numbers as text`);
    }
  });
  for (const field of ['indexes', 'sequences']) {
    if (!isStringArray(value[field])) {
      throw bad(`${field} must be an array of names`);
    }
  }
  return {
    version: MANIFEST_VERSION,
    database: value.database,
    snapshotTime: value.snapshotTime,
    tables: value.tables.map((table: any) => ({
      table: table.table,
      rows: table.rows,
      checksum: table.checksum,
    })),
    indexes: value.indexes,
    sequences: value.sequences,
  };
}

/**
 * The manifest of a dump, or undefined when the dump has none; one that
 * exists but cannot be read fails (see readManifestFile).
 */
export function readManifestOf(
  dumpPath: string,
): Promise<BackupManifest | undefined> {
  return readManifestFile(manifestPathOf(dumpPath), parseManifest);
}

/** Writes the manifest beside the dump, atomically (see writeManifestFile). */
export function writeManifest(
  dumpPath: string,
  manifest: BackupManifest,
): Promise<string> {
  return writeManifestFile(manifestPathOf(dumpPath), manifest);
}
