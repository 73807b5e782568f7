import { Config, readDurationFromConfig } from '@backstage/config';
import { durationToMilliseconds } from '@backstage/types';

/** An environment variable's name, e.g. of a password. */
export const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** The error of an invalid value at the full config key `key`. */
export function invalid(key: string, message: string): Error {
  return new Error(`Invalid configuration ${key}: ${message}`);
}

/** A positive duration at `key` of `config`, in seconds; `fullKey` names `config` in errors. */
export function readDurationSeconds(
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
