import path from 'node:path';
import { runCommand } from '../../postgres/processes';
import { Verification } from '../../postgres/verification/tables';
import { mysqlEnvironment } from '../scratch/programEnvironment';
import { messageOf } from './sql';

/** What mariadb-check said of one table beyond OK. */
export interface TableFinding {
  table: string;
  level: 'error' | 'warning';
  message: string;
}

/**
 * Parses `mariadb-check --check` output: a table is `db.table   OK` on one
 * line, or `db.table` followed by `level    : message` lines. Errors and
 * warnings are findings; notes and the final status are not.
 */
export function parseCheckOutput(output: string): {
  tables: string[];
  findings: TableFinding[];
} {
  const tables: string[] = [];
  const findings: TableFinding[] = [];
  for (const line of output.split('\n')) {
    const finding = /^(error|warning)\s*:\s*(.*)$/.exec(line);
    if (finding && tables.length > 0) {
      findings.push({
        table: tables[tables.length - 1],
        level: finding[1] as TableFinding['level'],
        message: finding[2].trim(),
      });
    } else if (/^\S+\.\S+(\s+\S.*)?$/.test(line) && !/^\w+\s*:/.test(line)) {
      tables.push(line.split(/\s+/)[0]);
    }
  }
  return { tables, findings };
}

/** The check's findings as verification items, one per table with findings. */
export function tableCheckVerifications(
  database: string,
  result: { tables: string[]; findings: TableFinding[] },
): Verification[] {
  const byTable = new Map<string, TableFinding[]>();
  for (const finding of result.findings) {
    byTable.set(finding.table, [
      ...(byTable.get(finding.table) ?? []),
      finding,
    ]);
  }
  if (byTable.size === 0) {
    return [
      {
        name: 'mariadb-check',
        passed: true,
        expected: `every table of ${database} OK`,
        actual: `${result.tables.length} tables OK`,
      },
    ];
  }
  return [...byTable].map(([table, findings]) => {
    const text = findings
      .map(finding => `${finding.level}: ${finding.message}`)
      .join('; ');
    return {
      name: `mariadb-check of ${table}`,
      passed: false,
      expected: 'OK',
      actual: text.length > 200 ? `${text.slice(0, 199)}…` : text,
      failure: `mariadb-check found problems in table ${table} of the restored copy: ${text}`,
    };
  });
}

/**
 * `mariadb-check --check` (CHECK TABLE on every table) of the restored
 * copy's database, over the scratch instance's socket.
 */
export async function checkRestoredTables(options: {
  binDir: string;
  socket: string;
  user: string;
  database: string;
  signal?: AbortSignal;
}): Promise<Verification[]> {
  const { binDir, socket, user, database, signal } = options;
  try {
    const { stdout } = await runCommand(
      {
        file: path.join(binDir, 'mariadb-check'),
        args: [
          '--no-defaults',
          `--socket=${socket}`,
          `--user=${user}`,
          '--check',
          '--databases',
          database,
        ],
      },
      { env: mysqlEnvironment(), signal },
    );
    return tableCheckVerifications(database, parseCheckOutput(stdout));
  } catch (error) {
    return [
      {
        name: 'mariadb-check',
        passed: false,
        actual: 'error',
        failure: `mariadb-check of the restored copy failed: ${messageOf(
          error,
        )}`,
      },
    ];
  }
}
