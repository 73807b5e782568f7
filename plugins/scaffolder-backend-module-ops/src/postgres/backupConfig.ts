import path from 'node:path';
import { Config } from '@backstage/config';
import { ENV_NAME, invalid } from './configValues';

/** @public */
export type BackupFormat = 'directory' | 'custom';

/**
 * Backups written by pg_dump into a directory (`backup.source: pgdump`,
 * the default).
 *
 * @public
 */
export interface PgDumpBackupSettings {
  source: 'pgdump';
  format: BackupFormat;
  directory: string;
}

/**
 * A pgBackRest repository (`backup.source: pgbackrest`).
 *
 * @public
 */
export interface PgBackRestBackupSettings {
  source: 'pgbackrest';
  stanza: string;
  /** pgbackrest --config: the file that says how to reach the repository. */
  configFile?: string;
  /** pgbackrest --repo1-path, for a repository on a local or mounted file system. */
  repoPath?: string;
  /** Whether the drill runs `pgbackrest verify` as a step. */
  verify: boolean;
  /** pgBackRest's environment options (PGBACKREST_*) to the backend variables holding them. */
  env: Record<string, string>;
  // Not pg_dump settings: absent, so code that reads them sees undefined.
  format?: never;
  directory?: never;
}

/** @public */
export type BackupSettings = PgDumpBackupSettings | PgBackRestBackupSettings;

export const BACKUP_SOURCES = ['pgdump', 'pgbackrest'] as const;

// pgBackRest stanza names: letters, digits, '.', '_' and '-'; nothing that reads as an option.
const STANZA = /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/;
const PGBACKREST_ENV = /^PGBACKREST_[A-Z0-9_]+$/;

function readPgDump(target: Config, key: string): PgDumpBackupSettings {
  // Read from the target, so a missing block names backup.format.
  const format = target.getString('backup.format');
  if (format !== 'directory' && format !== 'custom') {
    throw invalid(
      `${key}.format`,
      `'${format}' is not one of 'directory' (pg_dump -Fd), 'custom' (pg_dump -Fc)`,
    );
  }
  // Relative to the backend's working directory, like the catalog's file
  // locations in the same app-config.
  const directory = path.resolve(target.getString('backup.directory'));
  return { source: 'pgdump', format, directory };
}

function readPgBackRest(config: Config, key: string): PgBackRestBackupSettings {
  const stanza = config.getString('stanza');
  if (!STANZA.test(stanza)) {
    throw invalid(
      `${key}.stanza`,
      `'${stanza}' is not a stanza name (letters, digits, '.', '_' and '-')`,
    );
  }
  const configFile = config.getOptionalString('configFile');
  const repoPath = config.getOptionalString('repoPath');
  for (const [name, value] of [
    ['configFile', configFile],
    ['repoPath', repoPath],
  ] as const) {
    if (value !== undefined && !path.isAbsolute(value)) {
      throw invalid(`${key}.${name}`, `'${value}' must be an absolute path`);
    }
  }
  const env: Record<string, string> = {};
  const envConfig = config.getOptionalConfig('env');
  for (const option of envConfig?.keys() ?? []) {
    if (!PGBACKREST_ENV.test(option)) {
      throw invalid(
        `${key}.env.${option}`,
        'names a pgBackRest option as its environment variable, e.g. PGBACKREST_REPO1_CIPHER_PASS',
      );
    }
    const variable = envConfig!.getString(option);
    if (!ENV_NAME.test(variable)) {
      throw invalid(
        `${key}.env.${option}`,
        `'${variable}' is not an environment variable name (the variable holds the secret, the config only names it)`,
      );
    }
    env[option] = variable;
  }
  return {
    source: 'pgbackrest',
    stanza,
    configFile,
    repoPath,
    verify: config.getOptionalBoolean('verify') ?? false,
    env,
  };
}

/** Reads `<key>.backup`; throws naming the offending key. */
export function readBackupSettings(
  config: Config,
  targetKey: string,
): BackupSettings {
  const key = `${targetKey}.backup`;
  const source = config.getOptionalString('backup.source') ?? 'pgdump';
  switch (source) {
    case 'pgdump':
      return readPgDump(config, key);
    case 'pgbackrest':
      return readPgBackRest(config.getConfig('backup'), key);
    default:
      throw invalid(
        `${key}.source`,
        `'${source}' is not one of ${BACKUP_SOURCES.map(s => `'${s}'`).join(
          ', ',
        )}`,
      );
  }
}

/**
 * pgBackRest's environment options, read from the backend variables the
 * config names; a missing variable is an error naming it.
 */
export function pgBackRestEnvironment(
  settings: PgBackRestBackupSettings,
  env: NodeJS.ProcessEnv = process.env,
): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [option, variable] of Object.entries(settings.env)) {
    const value = env[variable];
    if (value === undefined) {
      throw new Error(
        `The environment variable ${variable} that holds ${option} for the pgBackRest stanza ${settings.stanza} is not set on the backend`,
      );
    }
    values[option] = value;
  }
  return values;
}
