import { Config } from '@backstage/config';
import { DATABASES_CONFIG_KEY } from '@opsdeck/plugin-ops-common';
import { newestPostgresBinDir } from './binDir';
import { invalid } from './configValues';
import { FailoverSettings, readFailoverSettings } from './failoverConfig';
import { BackupSettings, readBackupSettings } from './backupConfig';
import {
  readVerificationSettings,
  VerificationSettings,
} from './verificationConfig';
import {
  DatabaseEndpoint,
  readScratchSettings,
  readTargetBasics,
  TargetBasics,
} from '../targets/basics';

export type {
  DatabaseEndpoint,
  DrillSchedule,
  SqlCheck,
  TargetBasics,
} from '../targets/basics';
export {
  DEFAULT_RESTORE_JOBS,
  DEFAULT_SAMPLES_PER_TABLE,
  endpointPassword,
  listDatabaseTargetNames,
  scratchServerUser,
} from '../targets/basics';
export type {
  ConnectionFile,
  FailoverSettings,
  FenceMethod,
} from './failoverConfig';
export { DEFAULT_FAILOVER_SETTINGS } from './failoverConfig';
export type { StableRows, VerificationSettings } from './verificationConfig';

export type {
  BackupFormat,
  BackupSettings,
  PgBackRestBackupSettings,
  PgDumpBackupSettings,
} from './backupConfig';

/**
 * A database target from `ops.databases.<name>`.
 *
 * @public
 */
export interface DatabaseTarget extends TargetBasics {
  engine: 'postgres';
  /** Where the backups are and which program wrote them. */
  backup: BackupSettings;
  /** What the drill verifies beyond counts, samples and checks. */
  verification: VerificationSettings;
  scratch: { binDir: string; workDir: string; runAsUser?: string };
  failover: FailoverSettings;
}

/** The fallback when no PostgreSQL is found under /usr/lib/postgresql: the drill then says which binary is missing. */
export const DEFAULT_BIN_DIR = '/usr/lib/postgresql/15/bin';

/**
 * Reads and validates one target; throws naming the offending key.
 *
 * @public
 */
export function readDatabaseTarget(
  config: Config,
  name: string,
): DatabaseTarget {
  const key = `${DATABASES_CONFIG_KEY}.${name}`;
  const engine = config.getOptionalString('engine') ?? 'postgres';
  if (engine !== 'postgres') {
    throw invalid(
      `${key}.engine`,
      `${name} is a ${engine} target, not a PostgreSQL one`,
    );
  }
  const basics = readTargetBasics(config, name, 5432);
  const backup = readBackupSettings(config, key);

  const scratch = readScratchSettings(
    config,
    key,
    newestPostgresBinDir() ?? DEFAULT_BIN_DIR,
  );

  return {
    ...basics,
    engine: 'postgres',
    backup,
    verification: readVerificationSettings(
      config.getOptionalConfig('verification'),
      `${key}.verification`,
    ),
    scratch,
    failover: readFailoverSettings(
      config.getOptionalConfig('failover'),
      `${key}.failover`,
    ),
  };
}

/** The configured target of that name, or undefined. */
export function findDatabaseTarget(
  config: Config,
  name: string,
): DatabaseTarget | undefined {
  const targets = config.getOptionalConfig(DATABASES_CONFIG_KEY);
  if (!targets?.has(name)) {
    return undefined;
  }
  return readDatabaseTarget(targets.getConfig(name), name);
}

/** The endpoint the restored copy is compared with: a replica when there is one. */
export function comparisonSource(target: DatabaseTarget): DatabaseEndpoint {
  return target.replicas[0] ?? target.primary;
}
