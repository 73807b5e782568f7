import os from 'node:os';
import path from 'node:path';
import { Config } from '@backstage/config';
import {
  DATABASES_CONFIG_KEY,
  DEFAULT_RECOVERY_OBJECTIVES,
  DRILL_INTERVAL_KEY,
  parseDrillIntervalDays,
  readTargetBinding,
  RecoveryObjectives,
  TargetBinding,
} from '@opsdeck/plugin-ops-common';
import {
  ENV_NAME,
  invalid,
  readDurationSeconds,
} from '../postgres/configValues';

/**
 * A database server of a target, as configured.
 *
 * @public
 */
export interface DatabaseEndpoint {
  host: string;
  port: number;
  database: string;
  user: string;
  /** The environment variable holding the password. */
  passwordEnv?: string;
  /** The password, from a `${VAR}` substitution of the app-config. */
  password?: string;
}

/**
 * A read-only SQL check of the restored copy.
 *
 * @public
 */
export interface SqlCheck {
  name: string;
  sql: string;
  /** Expected first column of the first row; compared with the source when absent. */
  expect?: string;
}

/**
 * `ops.databases.<name>.drillSchedule`.
 *
 * @public
 */
export interface DrillSchedule {
  /** Days between two backup-restore drills; default quarterly. */
  everyDays: number;
  /** Whether the backend's scheduler runs an overdue drill itself. */
  enabled: boolean;
  /** pg_restore -j of a scheduled drill. */
  jobs: number;
  /** Whether a scheduled drill takes a fresh backup first. */
  takeBackup: boolean;
}

export const DEFAULT_SAMPLES_PER_TABLE = 10;
export const DEFAULT_RESTORE_JOBS = 4;

export const TARGET_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/;
// Passed to runuser and to `id`; a POSIX user name, nothing that looks like an option.
export const USER_NAME = /^[a-z_][a-z0-9_-]{0,31}$/;

export function readEndpoint(
  config: Config,
  key: string,
  defaultPort: number,
): DatabaseEndpoint {
  const port = config.getOptionalNumber('port') ?? defaultPort;
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw invalid(`${key}.port`, `${port} is not a TCP port`);
  }
  const passwordEnv = config.getOptionalString('passwordEnv');
  if (passwordEnv !== undefined && !ENV_NAME.test(passwordEnv)) {
    throw invalid(
      `${key}.passwordEnv`,
      `'${passwordEnv}' is not an environment variable name (the variable holds the password, the config only names it)`,
    );
  }
  const password = config.getOptionalString('password');
  if (password !== undefined && passwordEnv !== undefined) {
    throw invalid(
      `${key}.password`,
      'set either password or passwordEnv, not both',
    );
  }
  const database = config.getString('database');
  // libpq reads a database "name" with = or a URI prefix as connection parameters.
  if (database.includes('=') || /^postgres(ql)?:\/\//.test(database)) {
    throw invalid(
      `${key}.database`,
      'must be a database name, not a connection string',
    );
  }
  return {
    host: config.getString('host'),
    port,
    database,
    user: config.getString('user'),
    passwordEnv,
    password,
  };
}

function readDrillSchedule(config: Config, key: string): DrillSchedule {
  const schedule = config.getOptionalConfig('drillSchedule');
  const everyDays = parseDrillIntervalDays(
    config.getOptionalNumber(DRILL_INTERVAL_KEY),
    `${key}.${DRILL_INTERVAL_KEY}`,
  );
  const jobs = schedule?.getOptionalNumber('jobs') ?? DEFAULT_RESTORE_JOBS;
  if (!Number.isInteger(jobs) || jobs < 1 || jobs > 32) {
    throw invalid(
      `${key}.drillSchedule.jobs`,
      'must be an integer from 1 to 32',
    );
  }
  return {
    everyDays,
    // Asking for a schedule is opting in; `enabled: false` keeps only the interval.
    enabled: schedule ? schedule.getOptionalBoolean('enabled') ?? true : false,
    jobs,
    takeBackup: schedule?.getOptionalBoolean('takeBackup') ?? false,
  };
}

function readObjective(
  config: Config | undefined,
  key: 'rto' | 'rpo',
  fallbackSeconds: number,
  fullKey: string,
): number {
  return readDurationSeconds(config, key, fallbackSeconds, fullKey);
}

/**
 * What every database target has, whatever its engine: its servers, recovery
 * objectives, SQL checks, drill schedule and the entities bound to it.
 *
 * @public
 */
export interface TargetBasics {
  name: string;
  primary: DatabaseEndpoint;
  replicas: DatabaseEndpoint[];
  objectives: RecoveryObjectives;
  checks: SqlCheck[];
  samplesPerTable: number;
  /** How often the target is drilled, and whether the backend runs the drills. */
  drillSchedule: DrillSchedule;
  /**
   * The entities allowed to use the target (`entities`, `owners`); undefined
   * when none is configured, so no entity may.
   */
  binding: TargetBinding | undefined;
}

/** Reads what every target has; throws naming the offending key. */
export function readTargetBasics(
  config: Config,
  name: string,
  defaultPort: number,
): TargetBasics {
  const key = `${DATABASES_CONFIG_KEY}.${name}`;
  if (!TARGET_NAME.test(name)) {
    throw invalid(
      key,
      'target names are letters, digits, ".", "_" and "-", at most 63',
    );
  }

  const objectivesConfig = config.getOptionalConfig('objectives');
  const objectives: RecoveryObjectives = {
    rtoSeconds: readObjective(
      objectivesConfig,
      'rto',
      DEFAULT_RECOVERY_OBJECTIVES.rtoSeconds,
      `${key}.objectives`,
    ),
    rpoSeconds: readObjective(
      objectivesConfig,
      'rpo',
      DEFAULT_RECOVERY_OBJECTIVES.rpoSeconds,
      `${key}.objectives`,
    ),
  };

  const checks = (config.getOptionalConfigArray('checks') ?? []).map(
    (check, index) => ({
      name: check.getString('name'),
      sql: check.getString('sql'),
      // Literals may be written as YAML numbers or booleans; compared as text.
      expect:
        check.getOptional('expect') === undefined
          ? undefined
          : String(check.getOptional('expect')),
      index,
    }),
  );
  const seen = new Set<string>();
  for (const check of checks) {
    if (seen.has(check.name)) {
      throw invalid(
        `${key}.checks[${check.index}].name`,
        `'${check.name}' is used by another check`,
      );
    }
    seen.add(check.name);
  }

  const samplesPerTable =
    config.getOptionalNumber('samplesPerTable') ?? DEFAULT_SAMPLES_PER_TABLE;
  if (
    !Number.isInteger(samplesPerTable) ||
    samplesPerTable < 0 ||
    samplesPerTable > 1000
  ) {
    throw invalid(
      `${key}.samplesPerTable`,
      'must be an integer from 0 to 1000',
    );
  }

  return {
    name,
    drillSchedule: readDrillSchedule(config, key),
    primary: readEndpoint(
      config.getConfig('primary'),
      `${key}.primary`,
      defaultPort,
    ),
    replicas: (config.getOptionalConfigArray('replicas') ?? []).map(
      (replica, index) =>
        readEndpoint(replica, `${key}.replicas[${index}]`, defaultPort),
    ),
    objectives,
    checks: checks.map(({ index: _index, ...check }) => check),
    samplesPerTable,
    binding: readTargetBinding(config, key),
  };
}

/**
 * Reads `<key>.scratch`: the engine's programs (`binDir`), where scratch
 * instances are made (`workDir`, the system's temporary directory by default)
 * and the unprivileged user that runs them when the backend is root.
 */
export function readScratchSettings(
  config: Config,
  key: string,
  defaultBinDir: string,
): { binDir: string; workDir: string; runAsUser?: string } {
  const runAsUser = config.getOptionalString('scratch.runAsUser');
  if (runAsUser !== undefined && !USER_NAME.test(runAsUser)) {
    throw invalid(
      `${key}.scratch.runAsUser`,
      `'${runAsUser}' is not a user name`,
    );
  }
  const binDir = config.getOptionalString('scratch.binDir') ?? defaultBinDir;
  const workDir = config.getOptionalString('scratch.workDir') ?? os.tmpdir();
  for (const [dirKey, dir] of [
    ['binDir', binDir],
    ['workDir', workDir],
  ]) {
    if (!path.isAbsolute(dir)) {
      throw invalid(
        `${key}.scratch.${dirKey}`,
        `'${dir}' must be an absolute path`,
      );
    }
  }
  return { binDir, workDir, runAsUser };
}

/** Names of the configured targets. */
export function listDatabaseTargetNames(config: Config): string[] {
  return config.getOptionalConfig(DATABASES_CONFIG_KEY)?.keys() ?? [];
}

/**
 * The user that runs the scratch server: `scratch.runAsUser` when the backend
 * runs as root (runuser needs root, and the servers refuse root), otherwise
 * the backend's own user, so one app-config serves both.
 */
export function scratchServerUser(
  target: { scratch: { runAsUser?: string } },
  uid: number | undefined = process.getuid?.(),
): string | undefined {
  return uid === 0 ? target.scratch.runAsUser : undefined;
}

/** Reads the password of an endpoint from the environment variable it names. */
export function endpointPassword(
  endpoint: DatabaseEndpoint,
  env: NodeJS.ProcessEnv = process.env,
): string | undefined {
  if (!endpoint.passwordEnv) {
    return endpoint.password;
  }
  const password = env[endpoint.passwordEnv];
  if (password === undefined) {
    throw new Error(
      `The environment variable ${endpoint.passwordEnv} that holds the password of ${endpoint.user}@${endpoint.host}:${endpoint.port}/${endpoint.database} is not set on the backend`,
    );
  }
  return password;
}
