import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { PostmortemsOptions } from './PostmortemsService';

export interface PostmortemsConfig extends PostmortemsOptions {
  deploymentLookbackHours: number;
}

function wholeNumber(
  config: Config,
  key: string,
  fallback: number,
  max: number,
): number {
  const value = config.getOptionalNumber(key) ?? fallback;
  if (!Number.isInteger(value) || value < 0 || value > max) {
    throw new InputError(
      `Invalid config ${key}: ${value}; expected a whole number from 0 to ${max}`,
    );
  }
  return value;
}

/** `ops.postmortems` (see config.d.ts), checked. */
export function readPostmortemsConfig(
  config: Config,
  severityIds: string[],
): PostmortemsConfig {
  const dueSeverities =
    config.getOptionalStringArray('ops.postmortems.dueSeverities') ??
    ['SEV1', 'SEV2'].filter(id => severityIds.includes(id));
  const unknown = dueSeverities.filter(id => !severityIds.includes(id));
  if (unknown.length > 0) {
    throw new InputError(
      `Invalid config ops.postmortems.dueSeverities: ${unknown.join(
        ', ',
      )} is not a configured severity (${severityIds.join(', ')})`,
    );
  }
  return {
    dueBusinessDays: wholeNumber(
      config,
      'ops.postmortems.dueBusinessDays',
      5,
      60,
    ),
    dueSeverities,
    deploymentLookbackHours: wholeNumber(
      config,
      'ops.postmortems.deploymentLookbackHours',
      24,
      24 * 30,
    ),
  };
}
