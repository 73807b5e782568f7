import os from 'node:os';
import path from 'node:path';
import { Config, readDurationFromConfig } from '@backstage/config';
import { durationToMilliseconds } from '@backstage/types';
import {
  DEFAULT_DRILL_INTERVAL_DAYS,
  DEFAULT_RECOVERY_OBJECTIVES,
  RecoveryObjectives,
} from '@opsdeck/plugin-ops-common';

/** A PostgreSQL server of a target, as configured. */
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

/** A read-only SQL check of the restored copy. */
export interface SqlCheck {
  name: string;
  sql: string;
  /** Expected first column of the first row; compared with the source when absent. */
  expect?: string;
}

export type BackupFormat = 'directory' | 'custom';

/** A database target from `ops.databases.<name>`. */
export interface DatabaseTarget {
  name: string;
  primary: DatabaseEndpoint;
  replicas: DatabaseEndpoint[];
  backup: { format: BackupFormat; directory: string };
  objectives: RecoveryObjectives;
  checks: SqlCheck[];
  samplesPerTable: number;
  scratch: { binDir: string; workDir: string; runAsUser?: string };
  /** How often the target is drilled, and whether the backend runs the drills. */
  drillSchedule: DrillSchedule;
  failover: FailoverSettings;
}

/** `ops.databases.<name>.drillSchedule`. */
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

/**
 * How writers are kept off the old primary during a failover. `read-only`
 * sets `default_transaction_read_only` with ALTER SYSTEM and ends the client
 * sessions; `stop` stops the server with `pg_ctl stop -m fast` (a server on
 * this host only).
 */
export type FenceMethod = 'read-only' | 'stop';

/** Where clients find the primary, rewritten after a promotion. */
export interface ConnectionFile {
  path: string;
  /** `json`: an object with host, port, database; `env`: PGHOST=... lines. */
  format: 'json' | 'env';
}

/** `ops.databases.<name>.failover`, with the manual's defaults. */
export interface FailoverSettings {
  /** The role of the failover's sessions: it fences, promotes and writes the canary. */
  user?: string;
  passwordEnv?: string;
  /** The role's password, from a `${VAR}` substitution of the app-config. */
  password?: string;
  /** Largest replay lag a failover accepts without `force` (the manual: < 1 minute). */
  maxReplayLagSeconds: number;
  maxReplayLagBytes: number;
  /** How long to wait for the replica to replay what the fenced primary wrote. */
  catchUpTimeoutSeconds: number;
  promoteTimeoutSeconds: number;
  fence: { method: FenceMethod; dataDir?: string };
  connectionFile?: ConnectionFile;
  /** A table the verification writes one row into on the new primary. */
  canaryTable: string;
  incidentSeverity: string;
}

export const DEFAULT_FAILOVER_SETTINGS = {
  maxReplayLagSeconds: 60,
  maxReplayLagBytes: 16 * 1024 * 1024,
  catchUpTimeoutSeconds: 60,
  promoteTimeoutSeconds: 60,
  canaryTable: 'opsdeck_failover_canary',
  incidentSeverity: 'SEV2',
} as const;

export const DATABASES_CONFIG_KEY = 'ops.databases';
export const DEFAULT_BIN_DIR = '/usr/lib/postgresql/15/bin';
export const DEFAULT_SAMPLES_PER_TABLE = 10;
export const DEFAULT_RESTORE_JOBS = 4;

const TARGET_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/;
// Passed to runuser and to `id`; a POSIX user name, nothing that looks like an option.
const USER_NAME = /^[a-z_][a-z0-9_-]{0,31}$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

function invalid(key: string, message: string): Error {
  return new Error(`Invalid configuration ${key}: ${message}`);
}

function readEndpoint(config: Config, key: string): DatabaseEndpoint {
  const port = config.getOptionalNumber('port') ?? 5432;
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

function readDurationSeconds(
  config: Config | undefined,
  key: string,
  fallbackSeconds: number,
  fullKey: string,
): number {
  if (!config?.has(key)) {
    return fallbackSeconds;
  }
  let seconds: number;
  try {
    seconds =
      durationToMilliseconds(readDurationFromConfig(config, { key })) / 1000;
  } catch (error) {
    throw invalid(
      `${fullKey}.${key}`,
      `${
        error instanceof Error ? error.message : error
      }; write e.g. '1h', '15m', 'PT15M' or { minutes: 15 }`,
    );
  }
  if (!(seconds > 0)) {
    throw invalid(`${fullKey}.${key}`, 'must be a positive duration');
  }
  return seconds;
}

// Pasted into SQL as an identifier (quoted); a plain lower-case name.
const TABLE_NAME = /^[a-z_][a-z0-9_]{0,62}$/;
const SEVERITY = /^[A-Za-z0-9_-]{1,32}$/;

function readFailoverSettings(
  config: Config | undefined,
  key: string,
): FailoverSettings {
  const defaults = DEFAULT_FAILOVER_SETTINGS;
  const user = config?.getOptionalString('user');
  const passwordEnv = config?.getOptionalString('passwordEnv');
  if (passwordEnv !== undefined && !ENV_NAME.test(passwordEnv)) {
    throw invalid(
      `${key}.passwordEnv`,
      `'${passwordEnv}' is not an environment variable name`,
    );
  }
  const password = config?.getOptionalString('password');
  if (password !== undefined && passwordEnv !== undefined) {
    throw invalid(
      `${key}.password`,
      'set either password or passwordEnv, not both',
    );
  }
  const maxReplayLagBytes =
    config?.getOptionalNumber('maxReplayLagBytes') ??
    defaults.maxReplayLagBytes;
  if (!Number.isSafeInteger(maxReplayLagBytes) || maxReplayLagBytes < 0) {
    throw invalid(
      `${key}.maxReplayLagBytes`,
      'must be a whole number of bytes',
    );
  }
  const method = config?.getOptionalString('fence.method') ?? 'read-only';
  if (method !== 'read-only' && method !== 'stop') {
    throw invalid(
      `${key}.fence.method`,
      `'${method}' is not one of 'read-only' (ALTER SYSTEM SET default_transaction_read_only and end the sessions), 'stop' (pg_ctl stop); fencing by scaling Kubernetes Deployments to zero is not supported`,
    );
  }
  const dataDir = config?.getOptionalString('fence.dataDir');
  if (method === 'stop' && (!dataDir || !path.isAbsolute(dataDir))) {
    throw invalid(
      `${key}.fence.dataDir`,
      'the stop method needs the absolute data directory of the primary on this host',
    );
  }
  let connectionFile: ConnectionFile | undefined;
  const configuredPath = config?.getOptionalString('connectionFile.path');
  if (configuredPath !== undefined) {
    // Relative to the backend's working directory, like backup.directory.
    const filePath = path.resolve(configuredPath);
    const format = config?.getOptionalString('connectionFile.format') ?? 'json';
    if (format !== 'json' && format !== 'env') {
      throw invalid(
        `${key}.connectionFile.format`,
        `'${format}' is not one of 'json', 'env'`,
      );
    }
    connectionFile = { path: filePath, format };
  }
  const canaryTable =
    config?.getOptionalString('canaryTable') ?? defaults.canaryTable;
  if (!TABLE_NAME.test(canaryTable)) {
    throw invalid(
      `${key}.canaryTable`,
      'must be a lower-case table name (letters, digits, _)',
    );
  }
  const incidentSeverity =
    config?.getOptionalString('incidentSeverity') ?? defaults.incidentSeverity;
  if (!SEVERITY.test(incidentSeverity)) {
    throw invalid(
      `${key}.incidentSeverity`,
      'must be a severity id, e.g. SEV1',
    );
  }
  return {
    user,
    passwordEnv,
    password,
    maxReplayLagSeconds: readDurationSeconds(
      config,
      'maxReplayLag',
      defaults.maxReplayLagSeconds,
      key,
    ),
    maxReplayLagBytes,
    catchUpTimeoutSeconds: readDurationSeconds(
      config,
      'catchUpTimeout',
      defaults.catchUpTimeoutSeconds,
      key,
    ),
    promoteTimeoutSeconds: readDurationSeconds(
      config,
      'promoteTimeout',
      defaults.promoteTimeoutSeconds,
      key,
    ),
    fence: { method, dataDir },
    connectionFile,
    canaryTable,
    incidentSeverity,
  };
}

function readDrillSchedule(config: Config, key: string): DrillSchedule {
  const schedule = config.getOptionalConfig('drillSchedule');
  const everyDays =
    schedule?.getOptionalNumber('everyDays') ?? DEFAULT_DRILL_INTERVAL_DAYS;
  if (!Number.isInteger(everyDays) || everyDays < 1 || everyDays > 3660) {
    throw invalid(
      `${key}.drillSchedule.everyDays`,
      'must be a whole number of days from 1 to 3660',
    );
  }
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

/** Reads and validates one target; throws naming the offending key. */
export function readDatabaseTarget(
  config: Config,
  name: string,
): DatabaseTarget {
  const key = `${DATABASES_CONFIG_KEY}.${name}`;
  if (!TARGET_NAME.test(name)) {
    throw invalid(
      key,
      'target names are letters, digits, ".", "_" and "-", at most 63',
    );
  }

  const format = config.getString('backup.format');
  if (format !== 'directory' && format !== 'custom') {
    throw invalid(
      `${key}.backup.format`,
      `'${format}' is not one of 'directory' (pg_dump -Fd), 'custom' (pg_dump -Fc)`,
    );
  }
  // Relative to the backend's working directory, like the catalog's file
  // locations in the same app-config.
  const directory = path.resolve(config.getString('backup.directory'));

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

  const runAsUser = config.getOptionalString('scratch.runAsUser');
  if (runAsUser !== undefined && !USER_NAME.test(runAsUser)) {
    throw invalid(
      `${key}.scratch.runAsUser`,
      `'${runAsUser}' is not a user name`,
    );
  }
  const binDir = config.getOptionalString('scratch.binDir') ?? DEFAULT_BIN_DIR;
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

  return {
    name,
    drillSchedule: readDrillSchedule(config, key),
    primary: readEndpoint(config.getConfig('primary'), `${key}.primary`),
    replicas: (config.getOptionalConfigArray('replicas') ?? []).map(
      (replica, index) => readEndpoint(replica, `${key}.replicas[${index}]`),
    ),
    backup: { format, directory },
    objectives,
    checks: checks.map(({ index: _index, ...check }) => check),
    samplesPerTable,
    scratch: { binDir, workDir, runAsUser },
    failover: readFailoverSettings(
      config.getOptionalConfig('failover'),
      `${key}.failover`,
    ),
  };
}

/** Names of the configured targets. */
export function listDatabaseTargetNames(config: Config): string[] {
  return config.getOptionalConfig(DATABASES_CONFIG_KEY)?.keys() ?? [];
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

/**
 * The user that runs the scratch server: `scratch.runAsUser` when the backend
 * runs as root (runuser needs root, and PostgreSQL refuses root), otherwise
 * the backend's own user, so one app-config serves both.
 */
export function scratchServerUser(
  target: DatabaseTarget,
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
