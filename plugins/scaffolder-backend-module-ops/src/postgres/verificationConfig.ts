import { Config } from '@backstage/config';
import { invalid } from './configValues';

/**
 * Rows of a table that the backup must hold unchanged, whatever the source
 * received since: the rows a drill without a manifest can blame the backup
 * for. Either the rows a timestamp column dates before the backup
 * (`column`), or, for an append-only table, the rows whose primary key is at
 * most the restored copy's largest key.
 *
 * @public
 */
export type StableRows = {
  schema: string;
  table: string;
} & (
  | { column: string; appendOnly?: undefined }
  | { appendOnly: true; column?: undefined }
);

/**
 * `ops.databases.<name>.verification`.
 *
 * @public
 */
export interface VerificationSettings {
  /** Run pg_amcheck (heap and btree) on the restored copy. */
  amcheck: boolean;
  /** Rows the copy must hold as the source does (used without a manifest). */
  stableRows: StableRows[];
}

/** Off by default: amcheck reads every page of the copy once more. */
export const DEFAULT_VERIFICATION_SETTINGS: VerificationSettings = {
  amcheck: false,
  stableRows: [],
};

// Catalog names as they are stored (case-sensitive), without the dot that
// separates schema and table, and short enough to be PostgreSQL names.
const NAME = /^[^.\s"]{1,63}$/;

function readStableRows(config: Config, key: string): StableRows {
  const tableKey = `${key}.table`;
  const qualified = config.getString('table');
  const parts = qualified.split('.');
  if (parts.length > 2 || !parts.every(part => NAME.test(part))) {
    throw invalid(
      tableKey,
      `'${qualified}' is not a table name: write schema.table (or table, in public), as the catalog stores the names`,
    );
  }
  const [schema, table] = parts.length === 2 ? parts : ['public', parts[0]];
  const column = config.getOptionalString('column');
  const appendOnly = config.getOptionalBoolean('appendOnly') ?? false;
  if (column !== undefined && appendOnly) {
    throw invalid(
      key,
      'set either column (a timestamp dating each row) or appendOnly: true, not both',
    );
  }
  if (column !== undefined) {
    if (!NAME.test(column)) {
      throw invalid(`${key}.column`, `'${column}' is not a column name`);
    }
    return { schema, table, column };
  }
  if (!appendOnly) {
    throw invalid(
      key,
      'needs column (a timestamp dating each row, compared for rows older than the backup) or appendOnly: true (rows whose primary key is at most the copy’s largest must match)',
    );
  }
  return { schema, table, appendOnly: true };
}

/** Reads `verification` of a target; errors name the full key. */
export function readVerificationSettings(
  config: Config | undefined,
  key: string,
): VerificationSettings {
  if (!config) {
    return DEFAULT_VERIFICATION_SETTINGS;
  }
  const stableRows = (config.getOptionalConfigArray('stableRows') ?? []).map(
    (entry, index) => readStableRows(entry, `${key}.stableRows[${index}]`),
  );
  const seen = new Set<string>();
  stableRows.forEach((entry, index) => {
    const name = `${entry.schema}.${entry.table}`;
    if (seen.has(name)) {
      throw invalid(
        `${key}.stableRows[${index}].table`,
        `${name} is listed twice`,
      );
    }
    seen.add(name);
  });
  return {
    amcheck: config.getOptionalBoolean('amcheck') ?? false,
    stableRows,
  };
}
