import fs from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { dumpMysqlWithManifest } from '../mysql/backup/take';

const USAGE = `Usage: opsdeck-mysql-dump --host HOST [--port 3306] --user USER --database DB
                           --file PATH.sql.gz [--bin-dir /usr/bin]

Runs mariadb-dump (or mysqldump) --single-transaction --routines --triggers
--events --hex-blob of one database, gzipped, and writes beside it the
manifest of the very snapshot it dumped (<file>.manifest.json): every table's
row count and CHECKSUM TABLE, the views, routines, triggers and events.
OpsDeck's backup-restore drill then verifies the restored copy against it
exactly, however much the database changed since. The user needs SELECT,
RELOAD (a global read lock held for milliseconds, while the dump opens its
snapshot), LOCK TABLES, SHOW VIEW, TRIGGER and EVENT. The password comes from
MYSQL_PWD. The dump appears under its name only when it and its manifest are
complete.`;

class UsageError extends Error {}

function port(value: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1 || parsed > 65535) {
    throw new UsageError(
      `--port must be an integer from 1 to 65535, not '${value}'`,
    );
  }
  return parsed;
}

/** The options of a run, checked; throws UsageError naming the option. */
export async function readMysqlDumpOptions(
  args: string[],
  env: NodeJS.ProcessEnv,
) {
  const { values } = parseArgs({
    args,
    strict: true,
    options: {
      host: { type: 'string', short: 'h' },
      port: { type: 'string', short: 'P' },
      user: { type: 'string', short: 'u' },
      database: { type: 'string', short: 'D' },
      file: { type: 'string', short: 'f' },
      'bin-dir': { type: 'string' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) {
    return undefined;
  }
  for (const option of ['host', 'user', 'database', 'file'] as const) {
    if (!values[option]) {
      throw new UsageError(`--${option} is required`);
    }
  }
  const file = path.resolve(values.file!);
  if (!file.endsWith('.sql.gz')) {
    throw new UsageError(
      `--file must end in .sql.gz (the dump is gzipped), not '${path.basename(
        file,
      )}'`,
    );
  }
  if (await fs.stat(file).catch(() => undefined)) {
    throw new UsageError(`--file ${file} exists already`);
  }
  return {
    endpoint: {
      host: values.host!,
      port: port(values.port ?? '3306'),
      user: values.user!,
      database: values.database!,
      password: env.MYSQL_PWD,
    },
    binDir: path.resolve(values['bin-dir'] ?? '/usr/bin'),
    file,
  };
}

/**
 * The `opsdeck-mysql-dump` command: mariadb-dump with the manifest OpsDeck's
 * drill verifies against. Resolves with the exit code.
 *
 * @public
 */
export async function runOpsdeckMysqlDump(
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
    options = await readMysqlDumpOptions(args, io.env ?? process.env);
  } catch (error) {
    err(`opsdeck-mysql-dump: ${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (!options) {
    out(USAGE);
    return 0;
  }
  try {
    const taken = await dumpMysqlWithManifest(options);
    const { manifest } = taken;
    out(
      `${taken.path}: dump of ${options.endpoint.database} at ${manifest.snapshotTime}`,
    );
    out(
      `${taken.manifestPath}: ${manifest.tables.length} tables, ${manifest.views.length} views, ${manifest.routines.length} routines, ${manifest.triggers.length} triggers, ${manifest.events.length} events`,
    );
    return 0;
  } catch (error) {
    err(
      `opsdeck-mysql-dump: ${error instanceof Error ? error.message : error}`,
    );
    return 1;
  }
}
