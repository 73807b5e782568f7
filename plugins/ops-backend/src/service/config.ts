import { Config, readDurationFromConfig } from '@backstage/config';
import { durationToMilliseconds } from '@backstage/types';
import {
  DEFAULT_RECOVERY_OBJECTIVES,
  DEFAULT_SEVERITY_LEVELS,
  RecoveryObjectives,
  SeverityLevel,
} from '@opsdeck/plugin-ops-common';

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
    (id, i) => !/^[A-Za-z0-9_-]{1,32}$/.test(id) || ids.indexOf(id) !== i,
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
