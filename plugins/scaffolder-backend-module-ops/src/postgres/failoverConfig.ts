import path from 'node:path';
import { Config } from '@backstage/config';
import { SEVERITY_ID_PATTERN } from '@opsdeck/plugin-ops-common';
import { ENV_NAME, invalid, readDurationSeconds } from './configValues';
import { PatroniSettings, readHaSettings } from './patroni/config';

/**
 * How writers are kept off the old primary during a failover. `read-only`
 * sets `default_transaction_read_only` with ALTER SYSTEM and ends the client
 * sessions; `stop` stops the server with `pg_ctl stop -m fast` (a server on
 * this host only).
 *
 * @public
 */
export type FenceMethod = 'read-only' | 'stop';

/**
 * Where clients find the primary, rewritten after a promotion.
 *
 * @public
 */
export interface ConnectionFile {
  path: string;
  /** `json`: an object with host, port, database; `env`: PGHOST=... lines. */
  format: 'json' | 'env';
}

/**
 * A PgBouncer in front of the target: the failover holds its clients with
 * `PAUSE`, rewrites the database's entry in a file PgBouncer `%include`s,
 * `RELOAD`s and `RESUME`s once the new primary accepts writes.
 *
 * @public
 */
export interface PgBouncerRepoint {
  type: 'pgbouncer';
  /** PgBouncer's admin console (database `pgbouncer`), as one of its `admin_users`. */
  admin: {
    host: string;
    port: number;
    user: string;
    passwordEnv?: string;
    password?: string;
  };
  /** The `[databases]` entry the clients connect to. */
  database: string;
  /** The file the action owns and rewrites; PgBouncer's ini `%include`s it. */
  includeFile: string;
  /** How long `PAUSE` may wait for the transactions in flight to finish. */
  pauseTimeoutSeconds: number;
}

/**
 * `ops.databases.<name>.failover`, with the manual's defaults.
 *
 * @public
 */
export interface FailoverSettings {
  /** The role of the failover's sessions: it fences, promotes and writes the canary. */
  user?: string;
  passwordEnv?: string;
  /** The role's password, from a `${VAR}` substitution of the app-config. */
  password?: string;
  /** Largest replay lag a failover accepts without `force` (the manual: under 1 minute). */
  maxReplayLagSeconds: number;
  maxReplayLagBytes: number;
  /** How long to wait for the replica to replay what the fenced primary wrote. */
  catchUpTimeoutSeconds: number;
  promoteTimeoutSeconds: number;
  fence: { method: FenceMethod; dataDir?: string };
  connectionFile?: ConnectionFile;
  /** Clients reached through a pooler that the failover repoints. */
  repoint?: PgBouncerRepoint;
  /** A table the verification writes one row into on the new primary. */
  canaryTable: string;
  incidentSeverity: string;
  /** Set when an HA manager (Patroni) owns promotion: OpsDeck asks it to switch over. */
  ha?: PatroniSettings;
}

export const DEFAULT_FAILOVER_SETTINGS = {
  maxReplayLagSeconds: 60,
  maxReplayLagBytes: 16 * 1024 * 1024,
  catchUpTimeoutSeconds: 60,
  promoteTimeoutSeconds: 60,
  canaryTable: 'opsdeck_failover_canary',
  pauseTimeoutSeconds: 30,
  incidentSeverity: 'SEV2',
} as const;

// Pasted into SQL as an identifier (quoted); a plain lower-case name.
const TABLE_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

// A key of PgBouncer's ini (no quoting there) and, double-quoted, a word of
// its admin console's commands.
const PGBOUNCER_DATABASE = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,62}$/;

function readPgBouncerRepoint(config: Config, key: string): PgBouncerRepoint {
  const type = config.getOptionalString('type');
  if (type !== 'pgbouncer') {
    throw invalid(
      `${key}.type`,
      type === undefined
        ? "missing; the one kind is 'pgbouncer' (a connection file is failover.connectionFile)"
        : `'${type}' is not one of 'pgbouncer' (a connection file is failover.connectionFile)`,
    );
  }
  if (!config.has('admin')) {
    throw invalid(
      `${key}.admin`,
      "missing: PgBouncer's admin console, { host, port, user, passwordEnv }",
    );
  }
  const host = config.getOptionalString('admin.host');
  if (!host) {
    throw invalid(
      `${key}.admin.host`,
      'missing: the host PgBouncer listens on',
    );
  }
  const port = config.getOptionalNumber('admin.port');
  if (
    port === undefined ||
    !Number.isInteger(port) ||
    port < 1 ||
    port > 65535
  ) {
    throw invalid(`${key}.admin.port`, 'must be a TCP port (1-65535)');
  }
  const user = config.getOptionalString('admin.user');
  if (!user) {
    throw invalid(
      `${key}.admin.user`,
      'missing: a user listed in admin_users of pgbouncer.ini',
    );
  }
  const passwordEnv = config.getOptionalString('admin.passwordEnv');
  if (passwordEnv !== undefined && !ENV_NAME.test(passwordEnv)) {
    throw invalid(
      `${key}.admin.passwordEnv`,
      `'${passwordEnv}' is not an environment variable name`,
    );
  }
  const password = config.getOptionalString('admin.password');
  if (password !== undefined && passwordEnv !== undefined) {
    throw invalid(
      `${key}.admin.password`,
      'set either password or passwordEnv, not both',
    );
  }
  const database = config.getOptionalString('database');
  if (database === undefined || !PGBOUNCER_DATABASE.test(database)) {
    throw invalid(
      `${key}.database`,
      database === undefined
        ? 'missing: the [databases] entry the clients connect to'
        : `'${database}' is not a PgBouncer database name (letters, digits, _ . -)`,
    );
  }
  const includeFile = config.getOptionalString('includeFile');
  if (!includeFile || !path.isAbsolute(includeFile)) {
    throw invalid(
      `${key}.includeFile`,
      'must be the absolute path of the file pgbouncer.ini %includes, which the backend rewrites',
    );
  }
  return {
    type,
    admin: { host, port, user, passwordEnv, password },
    database,
    includeFile,
    pauseTimeoutSeconds: readDurationSeconds(
      config,
      'pauseTimeout',
      DEFAULT_FAILOVER_SETTINGS.pauseTimeoutSeconds,
      key,
    ),
  };
}

/** Reads `<target>.failover` with the manual's defaults. */
export function readFailoverSettings(
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
  let repoint: PgBouncerRepoint | undefined;
  if (config?.has('repoint')) {
    const value = config.get('repoint');
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw invalid(
        `${key}.repoint`,
        'must be an object: { type: pgbouncer, admin: { host, port, user, passwordEnv }, database, includeFile }',
      );
    }
    repoint = readPgBouncerRepoint(
      config.getConfig('repoint'),
      `${key}.repoint`,
    );
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
  if (!SEVERITY_ID_PATTERN.test(incidentSeverity)) {
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
    repoint,
    canaryTable,
    incidentSeverity,
    ha: readHaSettings(config?.getOptionalConfig('ha'), `${key}.ha`),
  };
}
