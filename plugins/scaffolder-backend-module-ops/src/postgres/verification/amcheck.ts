import { execFile } from 'node:child_process';
import path from 'node:path';
import { postgresEnvironment } from '../processes';
import { Verification } from './tables';

/** One corruption pg_amcheck reported: the relation, where in it, and what. */
export interface AmcheckFinding {
  kind: string;
  /** `schema.relation`, without the database. */
  relation: string;
  /** `block 3, offset 7`, when pg_amcheck says where. */
  location?: string;
  problem: string;
}

// `heap table "db.public.orders", block 3, offset 7:` or `btree index "db.public.orders_pkey":`
const HEADER = /^(heap table|btree index) "([^"]*)"(?:, (.*))?:$/;

/**
 * Reads pg_amcheck's report: a header line naming the relation (and the
 * block, offset and attribute for heap findings), then indented lines with
 * the problem. A header without problem lines still counts.
 */
export function parseAmcheckOutput(output: string): AmcheckFinding[] {
  const findings: AmcheckFinding[] = [];
  let current: Omit<AmcheckFinding, 'problem'> | undefined;
  let problems: string[] = [];
  const flush = () => {
    if (current) {
      findings.push({
        ...current,
        problem: problems.join(' ') || 'reported without details',
      });
    }
    current = undefined;
    problems = [];
  };
  for (const line of output.split('\n')) {
    const header = line.match(HEADER);
    if (header) {
      flush();
      // Names are database.schema.relation; the database is the copy's own.
      const relation = header[2].split('.').slice(1).join('.') || header[2];
      current = {
        kind: header[1],
        relation,
        ...(header[3] ? { location: header[3] } : {}),
      };
    } else if (current && /^\s+\S/.test(line) && !/^\s*query was:/.test(line)) {
      problems.push(line.trim().replace(/\s+/g, ' '));
    }
  }
  flush();
  return findings;
}

/** One failed item per relation, naming it and its first problem; or one passed item. */
export function amcheckVerifications(
  findings: AmcheckFinding[],
): Verification[] {
  if (findings.length === 0) {
    return [
      {
        name: 'pg_amcheck (heap and btree)',
        passed: true,
        expected: 'no corruption',
        actual: 'no corruption found',
      },
    ];
  }
  const byRelation = new Map<string, AmcheckFinding[]>();
  for (const finding of findings) {
    const key = `${finding.kind} ${finding.relation}`;
    byRelation.set(key, [...(byRelation.get(key) ?? []), finding]);
  }
  return [...byRelation].map(([relation, found]) => {
    const [first] = found;
    const where = first.location ? `${first.location}: ` : '';
    const more = found.length > 1 ? ` (and ${found.length - 1} more)` : '';
    return {
      name: `pg_amcheck of ${relation}`,
      passed: false,
      expected: 'no corruption',
      actual: `${where}${first.problem}${more}`,
      failure: `pg_amcheck found corruption in ${relation}: ${where}${first.problem}${more}`,
    };
  });
}

/**
 * Runs pg_amcheck (heap checks of every table, btree checks of their
 * indexes) on a database of the scratch instance. `--install-missing`
 * creates the amcheck extension in that database: the scratch copy, never
 * the source. pg_amcheck exits with 2 when it found corruption (its report
 * is on stdout); any other failure to check is an error, not a finding.
 */
export async function runAmcheck(options: {
  binDir: string;
  connection: { host: string; port: number; user: string; database: string };
  jobs: number;
  signal?: AbortSignal;
}): Promise<AmcheckFinding[]> {
  const { binDir, connection, jobs, signal } = options;
  const args = [
    `--host=${connection.host}`,
    `--port=${connection.port}`,
    `--username=${connection.user}`,
    '--no-password',
    '--install-missing',
    `--jobs=${jobs}`,
    connection.database,
  ];
  const file = path.join(binDir, 'pg_amcheck');
  return new Promise((resolve, reject) => {
    execFile(
      file,
      args,
      {
        env: postgresEnvironment(),
        signal,
        maxBuffer: 16 * 1024 * 1024,
      },
      (error, stdout, stderr) => {
        if (!error) {
          resolve(parseAmcheckOutput(stdout));
          return;
        }
        const findings = parseAmcheckOutput(stdout);
        if ((error as { code?: unknown }).code === 2 && findings.length > 0) {
          resolve(findings);
          return;
        }
        const detail = `${stderr}\n${stdout}`.trim().split('\n').slice(-3);
        reject(
          new Error(
            `pg_amcheck ${
              signal?.aborted
                ? 'was cancelled'
                : `failed (${
                    typeof (error as { code?: unknown }).code === 'number'
                      ? `exit code ${(error as { code?: unknown }).code}`
                      : error.message
                  })`
            }${detail.join(' ') ? `: ${detail.join(' ')}` : ''}`,
          ),
        );
      },
    );
  });
}
