import { Verification } from '../postgres/verification/verification';
import { DRIFT } from '../postgres/verification/drift';

/**
 * The drill's verification as a reader takes it in: one row per table (rows
 * in the backup or on the source, rows in the copy, the result, drift and
 * failures as notes), and everything else (indexes, sequences, configured
 * checks, pg_amcheck) as checks. The items come from
 * postgres/verification: `rows of T` against a backup's manifest,
 * `row count of T` against the live source, `sampled rows of T` and
 * `stable rows of T`.
 */
export interface TableRow {
  table: string;
  /** Rows the copy should hold, per the manifest or the source; `–` when unknown. */
  reference: string;
  /** Rows the restored copy holds. */
  copy: string;
  passed: boolean;
  /** Drift (information), sample results and failures, in that order of items. */
  notes: string[];
}

export interface VerificationTable {
  /** What the reference column holds. */
  against: 'backup' | 'source';
  /** Failed tables first, then by name. */
  rows: TableRow[];
  /** Every item that is not about one table's rows; failed first. */
  checks: Verification[];
}

const PER_TABLE =
  /^(rows of|row count of|sampled rows of|stable rows of) (.+)$/;

// `1000 rows, checksum …` (manifest) or `1000` (live count): the count.
function countOf(value: string | undefined): string {
  if (value === undefined) {
    return '–';
  }
  const count = /^(\d+)( rows)?\b/.exec(value);
  return count ? count[1] : value;
}

// `1002 (drift since the backup: +2 rows on the source)`: the drift part.
function driftOf(value: string | undefined): string | undefined {
  const drift = value?.match(new RegExp(`${DRIFT}: ([^)]*)`));
  return drift ? `${DRIFT}: ${drift[1]}` : undefined;
}

function noteOf(kind: string, item: Verification): string | undefined {
  if (!item.passed) {
    return (
      item.failure ?? `${kind.replace(/ of$/, '')}: ${item.actual ?? 'failed'}`
    );
  }
  if (kind === 'rows of' || kind === 'row count of') {
    return driftOf(item.actual);
  }
  return `${kind.replace(/ of$/, '')}: ${item.actual ?? 'passed'}`;
}

/** Groups the verification items by table; see {@link VerificationTable}. */
export function verificationTable(items: Verification[]): VerificationTable {
  const rows = new Map<string, TableRow>();
  const checks: Verification[] = [];
  let against: VerificationTable['against'] = 'source';
  for (const item of items) {
    const match = PER_TABLE.exec(item.name);
    if (!match) {
      checks.push(item);
      continue;
    }
    const [, kind, table] = match;
    const row = rows.get(table) ?? {
      table,
      reference: '–',
      copy: '–',
      passed: true,
      notes: [],
    };
    rows.set(table, row);
    if (kind === 'rows of' || kind === 'row count of') {
      against = kind === 'rows of' ? 'backup' : against;
      row.reference = countOf(item.expected);
      row.copy = countOf(item.actual);
    }
    row.passed = row.passed && item.passed;
    const note = noteOf(kind, item);
    if (note) {
      row.notes.push(note);
    }
  }
  const byFailureThenName =
    <T>(passed: (value: T) => boolean, name: (value: T) => string) =>
    (a: T, b: T) =>
      Number(passed(a)) - Number(passed(b)) || name(a).localeCompare(name(b));
  return {
    against,
    rows: [...rows.values()].sort(
      byFailureThenName(
        row => row.passed,
        row => row.table,
      ),
    ),
    checks: checks.sort(
      byFailureThenName(
        item => item.passed,
        () => '',
      ),
    ),
  };
}
