import { archivingSettings, PgBackRestRepo } from './pgBackRestRepo';
import { SourceCluster } from './postgresTestCluster';

// The source a pgBackRest drill restores from, as the drill's integration
// test and `yarn bench:drill`'s pgBackRest side set it up: a real cluster
// archiving into a real repository, one database and the read-only role the
// drill reads it as.

/** The role the drill connects to the source as; it reads every table. */
export const DRILL_READER = 'drill_reader';

/**
 * Starts a source cluster under `root` that archives every WAL segment into
 * a new repository of `stanza`, and creates `database` and the role
 * DRILL_READER (password `readerPassword`). Stop it with `source.stop()`.
 */
export async function startArchivingSource(options: {
  root: string;
  stanza: string;
  database: string;
  readerPassword: string;
  firstPort: number;
  lastPort?: number;
  /** postgresql.conf lines besides the archiving ones. */
  settings?: string[];
}): Promise<{ source: SourceCluster; repo: PgBackRestRepo }> {
  const { root, stanza, database } = options;
  const source = await SourceCluster.start({
    root,
    firstPort: options.firstPort,
    lastPort: options.lastPort,
    settings: [
      ...archivingSettings(PgBackRestRepo.configFileIn(root), stanza),
      ...(options.settings ?? []),
    ],
  });
  const repo = await PgBackRestRepo.create({ root, source, stanza });
  await source.psql('postgres', { command: `CREATE DATABASE ${database}` });
  await source.psql(database, {
    command: `CREATE ROLE ${DRILL_READER} LOGIN PASSWORD '${options.readerPassword}' IN ROLE pg_read_all_data`,
  });
  return { source, repo };
}

/**
 * The connection and backup part of a `backup.source: pgbackrest` target
 * on this source, its password in the environment variable `passwordEnv`.
 */
export function pgBackRestTarget(options: {
  source: SourceCluster;
  repo: PgBackRestRepo;
  database: string;
  passwordEnv: string;
}) {
  return {
    primary: {
      host: '127.0.0.1',
      port: options.source.port,
      database: options.database,
      user: DRILL_READER,
      passwordEnv: options.passwordEnv,
    },
    backup: {
      source: 'pgbackrest',
      stanza: options.repo.stanza,
      configFile: options.repo.configFile,
    },
  };
}
