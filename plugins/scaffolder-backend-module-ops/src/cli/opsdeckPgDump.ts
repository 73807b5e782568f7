import fs from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { dumpWithManifest } from '../postgres/backup/take';
import { newestPostgresBinDir, POSTGRES_LIB_ROOT } from '../postgres/binDir';

const USAGE = `Usage: opsdeck-pg-dump --host HOST [--port 5432] --username USER --dbname DB
                       --file PATH [--format directory|custom] [--jobs N] [--bin-dir DIR]

Runs pg_dump of one database and writes, beside the dump, the manifest of the
very snapshot it dumped (<file>.manifest.json): every table's row count and
checksum, the indexes and sequences. OpsDeck's backup-restore drill then
verifies the restored copy against it exactly, however much the database
changed since. The password comes from PGPASSWORD, as for pg_dump. The dump
appears under its name only when it and its manifest are complete.`;

class UsageError extends Error {}

/** The newest PostgreSQL installation's programs, as Debian lays them out. */
function newestBinDir(): string {
  const dir = newestPostgresBinDir('pg_dump');
  if (!dir) {
    throw new UsageError(
      `no pg_dump under ${POSTGRES_LIB_ROOT}/*/bin: give the directory of pg_dump with --bin-dir`,
    );
  }
  return dir;
}

function integer(value: string, option: string, min: number, max: number) {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < min || parsed > max) {
    throw new UsageError(
      `${option} must be an integer from ${min} to ${max}, not '${value}'`,
    );
  }
  return parsed;
}

/** The options of a run, checked; throws UsageError naming the option. */
export async function readOptions(args: string[], env: NodeJS.ProcessEnv) {
  const { values } = parseArgs({
    args,
    strict: true,
    options: {
      host: { type: 'string', short: 'h' },
      port: { type: 'string', short: 'p' },
      username: { type: 'string', short: 'U' },
      dbname: { type: 'string', short: 'd' },
      file: { type: 'string', short: 'f' },
      format: { type: 'string', short: 'F' },
      jobs: { type: 'string', short: 'j' },
      'bin-dir': { type: 'string' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) {
    return undefined;
  }
  for (const option of ['host', 'username', 'dbname', 'file'] as const) {
    if (!values[option]) {
      throw new UsageError(`--${option} is required`);
    }
  }
  const format = values.format ?? 'directory';
  if (format !== 'directory' && format !== 'custom') {
    throw new UsageError(
      `--format must be directory (pg_dump -Fd) or custom (pg_dump -Fc), not '${format}'`,
    );
  }
  const file = path.resolve(values.file!);
  if (await fs.stat(file).catch(() => undefined)) {
    throw new UsageError(`--file ${file} exists already`);
  }
  const binDir = values['bin-dir']
    ? path.resolve(values['bin-dir'])
    : await newestBinDir();
  return {
    endpoint: {
      host: values.host!,
      port: integer(values.port ?? '5432', '--port', 1, 65535),
      user: values.username!,
      database: values.dbname!,
      password: env.PGPASSWORD,
    },
    binDir,
    format: format as 'directory' | 'custom',
    file,
    jobs: integer(values.jobs ?? '1', '--jobs', 1, 64),
  };
}

/**
 * The `opsdeck-pg-dump` command (see the package README): pg_dump with the
 * manifest OpsDeck's drill verifies against. Resolves with the exit code.
 *
 * @public
 */
export async function runOpsdeckPgDump(
  args: string[],
  io: {
    env?: NodeJS.ProcessEnv;
    out?: (line: string) => void;
    err?: (line: string) => void;
  } = {},
): Promise<number> {
  const out = io.out ?? (line => process.stdout.write(`${line}\n`));
  const err = io.err ?? (line => process.stderr.write(`${line}\n`));
  let options;
  try {
    options = await readOptions(args, io.env ?? process.env);
  } catch (error) {
    err(`opsdeck-pg-dump: ${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (!options) {
    out(USAGE);
    return 0;
  }
  try {
    const taken = await dumpWithManifest(options);
    out(
      `${taken.path}: pg_dump of ${options.endpoint.database} at ${taken.manifest.snapshotTime}`,
    );
    out(
      `${taken.manifestPath}: ${taken.manifest.tables.length} tables, ${taken.manifest.indexes.length} indexes, ${taken.manifest.sequences.length} sequences`,
    );
    return 0;
  } catch (error) {
    err(`opsdeck-pg-dump: ${error instanceof Error ? error.message : error}`);
    return 1;
  }
}
