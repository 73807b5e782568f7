import { Config, readDurationFromConfig } from '@backstage/config';
import { durationToMilliseconds } from '@backstage/types';
import {
  DEFAULT_RECOVERY_OBJECTIVES,
  DEFAULT_SEVERITY_LEVELS,
  RecoveryObjectives,
  OnCallSchedule,
  RECORD_LIMITS,
  SeverityLevel,
  SEVERITY_ID_PATTERN,
  TargetBinding,
} from '@opsdeck/plugin-ops-common';
import {
  AlertmanagerOptions,
  readAlertmanagerOptions,
} from './alerts/severityMapping';
import { readServicePrincipals, ServicePrincipals } from './access/principals';
import { DEFAULT_ABANDON_AFTER_MS } from './drills/DrillsService';
import { DEFAULT_WRITES_PER_MINUTE } from './http/writeRateLimit';
import {
  NotificationsOptions,
  readNotificationsOptions,
} from './notifications/notificationsConfig';
import { readConfigSchedules } from './oncall/scheduleSource';
import {
  readDatabaseBindings,
  readDrillIntervals,
} from './readiness/checks/drills';
import {
  PrometheusConfig,
  readPrometheusConfig,
} from './slo/PrometheusServers';

/** How long a read decision on an entity is reused. */
const DEFAULT_ENTITY_READ_CACHE_TTL_MS = 5000;

export function readSeverityLevels(config: Config): SeverityLevel[] {
  const configured = config.getOptionalConfigArray('ops.incidents.severities');
  if (!configured) {
    return DEFAULT_SEVERITY_LEVELS;
  }
  const levels = configured.map(level => ({
    id: level.getString('id'),
    title: level.getString('title'),
    description: level.getOptionalString('description') ?? '',
    respondWithinMinutes: level.getNumber('respondWithinMinutes'),
    resolveWithinMinutes: level.getNumber('resolveWithinMinutes'),
  }));
  const ids = levels.map(l => l.id);
  const invalid = ids.find(
    (id, i) => !SEVERITY_ID_PATTERN.test(id) || ids.indexOf(id) !== i,
  );
  if (invalid !== undefined || levels.length === 0) {
    throw new Error(
      `Invalid ops.incidents.severities: ids must be unique, 1 to 32 letters, digits, - or _ (got '${invalid}')`,
    );
  }
  return levels;
}

export function readRecoveryObjectives(config: Config): RecoveryObjectives {
  const seconds = (key: string, fallback: number) =>
    config.has(key)
      ? durationToMilliseconds(readDurationFromConfig(config, { key })) / 1000
      : fallback;
  return {
    rtoSeconds: seconds(
      'ops.drills.objectives.rto',
      DEFAULT_RECOVERY_OBJECTIVES.rtoSeconds,
    ),
    rpoSeconds: seconds(
      'ops.drills.objectives.rpo',
      DEFAULT_RECOVERY_OBJECTIVES.rpoSeconds,
    ),
  };
}

/** `ops.drills.abandonAfter` in milliseconds (default 5 minutes). */
export function readDrillAbandonAfterMs(
  config: Config,
  fallbackMs: number,
): number {
  const key = 'ops.drills.abandonAfter';
  if (!config.has(key)) {
    return fallbackMs;
  }
  const ms = durationToMilliseconds(readDurationFromConfig(config, { key }));
  if (!(ms >= 60_000)) {
    throw new Error(
      `Invalid ${key}: must be at least 1 minute (running drills re-record their step every 30 seconds)`,
    );
  }
  return ms;
}

/** `ops.deployments.maxWindow` in days (default 366 days; at least 1 day). */
export function readDeploymentsMaxWindowDays(config: Config): number {
  const key = 'ops.deployments.maxWindow';
  if (!config.has(key)) {
    return RECORD_LIMITS.maxWindowDays;
  }
  const days =
    durationToMilliseconds(readDurationFromConfig(config, { key })) /
    86_400_000;
  if (!(days >= 1)) {
    throw new Error(`Invalid ${key}: must be at least 1 day`);
  }
  return days;
}

/**
 * `ops.rateLimit.writes.perMinute` (default 120), or 0 when the limit is off
 * (`ops.rateLimit.writes: false` or `perMinute: 0`).
 */
export function readWritesPerMinute(config: Config): number {
  const key = 'ops.rateLimit.writes';
  if (!config.has(key)) {
    return DEFAULT_WRITES_PER_MINUTE;
  }
  if (config.getOptional(key) === false) {
    return 0;
  }
  const perMinute =
    config.getOptionalNumber(`${key}.perMinute`) ?? DEFAULT_WRITES_PER_MINUTE;
  if (!Number.isInteger(perMinute) || perMinute < 0) {
    throw new Error(
      `Invalid ${key}.perMinute: must be a whole number, 0 or more (0 turns the limit off)`,
    );
  }
  return perMinute;
}

/** The plugin's whole configuration, read once at start and typed. */
export interface OpsConfig {
  appBaseUrl: string;
  /** Where the readiness checks link their fixes. */
  documentationUrl: string;
  severities: SeverityLevel[];
  recoveryObjectives: RecoveryObjectives;
  drillAbandonAfterMs: number;
  /** Days between drills of a database target. */
  drillIntervalDays: (target: string) => number;
  /** The entities a database target is bound to; undefined: none. */
  databaseBinding: (target: string) => TargetBinding | undefined;
  entityReadCacheTtlMs: number;
  /** The widest window of the DORA figures and the deployment list. */
  deploymentsMaxWindowDays: number;
  metricsAllowUnauthenticated: boolean;
  alertmanager: AlertmanagerOptions;
  schedules: Map<string, OnCallSchedule>;
  prometheus: PrometheusConfig;
  /** The service subjects allowed on the routes made for services. */
  principals: ServicePrincipals;
  /** Writes per minute per principal (per replica); 0: no limit. */
  writesPerMinute: number;
  notifications: NotificationsOptions;
}

/**
 * Reads and checks every `ops.*` key the plugin uses, so a bad value fails the
 * start rather than a request. (The Kubernetes history source of ops-node
 * reads its own `kubernetes` config in `KubernetesWorkloads.fromConfig`.)
 */
export function readOpsConfig(config: Config): OpsConfig {
  const appBaseUrl = config.getString('app.baseUrl');
  const severities = readSeverityLevels(config);
  const ttlKey = 'ops.access.entityReadCacheTtl';
  return {
    appBaseUrl,
    documentationUrl:
      config.getOptionalString('ops.documentationUrl') ??
      `${appBaseUrl}/ops/annotations`,
    severities,
    recoveryObjectives: readRecoveryObjectives(config),
    drillAbandonAfterMs: readDrillAbandonAfterMs(
      config,
      DEFAULT_ABANDON_AFTER_MS,
    ),
    drillIntervalDays: readDrillIntervals(config),
    databaseBinding: readDatabaseBindings(config),
    entityReadCacheTtlMs: config.has(ttlKey)
      ? durationToMilliseconds(readDurationFromConfig(config, { key: ttlKey }))
      : DEFAULT_ENTITY_READ_CACHE_TTL_MS,
    deploymentsMaxWindowDays: readDeploymentsMaxWindowDays(config),
    metricsAllowUnauthenticated:
      config.getOptionalBoolean('ops.metrics.allowUnauthenticated') ?? false,
    alertmanager: readAlertmanagerOptions(config, severities),
    schedules: readConfigSchedules(config),
    prometheus: readPrometheusConfig(config),
    principals: readServicePrincipals(config),
    writesPerMinute: readWritesPerMinute(config),
    notifications: readNotificationsOptions(config, severities),
  };
}
