import type { Config } from '@backstage/config';
import type { PagerDutyClientOptions } from './PagerDutyClient';

/** The module's section of the app config, as declared in config.d.ts. */
export const PAGERDUTY_CONFIG_KEY = 'ops.pagerduty';

/** The client's settings, with the defaults config.d.ts documents. */
export type PagerDutyConfig = Omit<PagerDutyClientOptions, 'sleep'>;

/**
 * Reads `ops.pagerduty` once, typed; undefined without an `apiToken`, which
 * leaves PagerDuty unavailable rather than failing the backend's start.
 */
export function readPagerDutyConfig(
  config: Config,
): PagerDutyConfig | undefined {
  const section = config.getOptionalConfig(PAGERDUTY_CONFIG_KEY);
  const apiToken = section?.getOptionalString('apiToken');
  if (!apiToken) {
    return undefined;
  }
  return {
    apiToken,
    apiBaseUrl:
      section?.getOptionalString('apiBaseUrl') ?? 'https://api.pagerduty.com',
    maxRetries: section?.getOptionalNumber('maxRetries') ?? 3,
    maxRetryAfterSeconds:
      section?.getOptionalNumber('maxRetryAfterSeconds') ?? 10,
    timeoutSeconds: section?.getOptionalNumber('timeoutSeconds') ?? 10,
  };
}
