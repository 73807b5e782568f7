import { MysqlOutline } from '../verification/outline';
import { readManifestFile, writeManifestFile } from '../../manifestFile';

/**
 * What a MySQL/MariaDB dump holds, read in the dump's own consistent snapshot
 * (see takeDump): the restored copy must equal it exactly, whatever the
 * source received since. Written beside the dump as
 * `<dump name>.manifest.json`.
 *
 * @public
 */
export interface MysqlBackupManifest {
  version: 1;
  engine: 'mysql';
  /** The database dumped. */
  database: string;
  /** When the snapshot was taken (ISO 8601, UTC). */
  snapshotTime: string;
  /** Every base table, sorted by name: COUNT(*) and CHECKSUM TABLE as text. */
  tables: Array<{ table: string; rows: string; checksum: string }>;
  views: string[];
  /** `procedure name` or `function name`. */
  routines: string[];
  triggers: string[];
  events: string[];
}

export const MYSQL_MANIFEST_VERSION = 1;
const SUFFIX = '.manifest.json';

/** The manifest's path beside a dump (backup discovery skips `.json`). */
export function mysqlManifestPathOf(dumpPath: string): string {
  return `${dumpPath}${SUFFIX}`;
}

export function mysqlManifestOf(options: {
  database: string;
  snapshotTime: Date;
  outline: MysqlOutline;
}): MysqlBackupManifest {
  const { database, snapshotTime, outline } = options;
  return {
    version: MYSQL_MANIFEST_VERSION,
    engine: 'mysql',
    database,
    snapshotTime: snapshotTime.toISOString(),
    tables: outline.tables.map(table => {
      const contents = outline.contents.get(table);
      if (!contents) {
        throw new Error(`The contents of table ${table} were not read`);
      }
      return { table, ...contents };
    }),
    views: [...outline.views],
    routines: [...outline.routines],
    triggers: [...outline.triggers],
    events: [...outline.events],
  };
}

const NAME_LISTS = ['views', 'routines', 'triggers', 'events'] as const;

/** Parses and checks a manifest; the error names the file and the field. */
export function parseMysqlManifest(
  text: string,
  file: string,
): MysqlBackupManifest {
  const bad = (what: string) =>
    new Error(`The backup manifest ${file} is invalid: ${what}`);
  let value: any;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw bad(`not JSON (${(error as Error).message})`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw bad('not an object');
  }
  if (value.version !== MYSQL_MANIFEST_VERSION) {
    throw bad(
      `version ${JSON.stringify(
        value.version,
      )} is not ${MYSQL_MANIFEST_VERSION}, the version this OpsDeck reads`,
    );
  }
  if (value.engine !== 'mysql') {
    throw bad(
      `engine ${JSON.stringify(
        value.engine,
      )} is not mysql (a manifest of another engine's backup)`,
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
    if (!/^\d+$/.test(table.rows) || !/^\d+$/.test(table.checksum)) {
      throw bad(
        `tables[${index}] (${table.table}) must hold whole numbers as text`,
      );
    }
  });
  for (const field of NAME_LISTS) {
    const list = value[field];
    if (!Array.isArray(list) || list.some(name => typeof name !== 'string')) {
      throw bad(`${field} must be an array of names`);
    }
  }
  return {
    version: MYSQL_MANIFEST_VERSION,
    engine: 'mysql',
    database: value.database,
    snapshotTime: value.snapshotTime,
    tables: value.tables.map((table: any) => ({
      table: table.table,
      rows: table.rows,
      checksum: table.checksum,
    })),
    views: value.views,
    routines: value.routines,
    triggers: value.triggers,
    events: value.events,
  };
}

/**
 * The manifest of a dump, or undefined when the dump has none; one that
 * exists but cannot be read fails (see readManifestFile).
 */
export function readMysqlManifestOf(
  dumpPath: string,
): Promise<MysqlBackupManifest | undefined> {
  return readManifestFile(mysqlManifestPathOf(dumpPath), parseMysqlManifest);
}

/** Writes the manifest beside the dump, atomically (see writeManifestFile). */
export function writeMysqlManifest(
  dumpPath: string,
  manifest: MysqlBackupManifest,
): Promise<string> {
  return writeManifestFile(mysqlManifestPathOf(dumpPath), manifest);
}
