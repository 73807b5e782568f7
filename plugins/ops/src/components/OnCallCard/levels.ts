import { OnCallLevel } from '@opsdeck/plugin-ops-common';

/**
 * How escalation levels are named on the cards: one label per level of
 * ops-common's ONCALL_LEVELS, so a new level does not compile without one.
 */
const labels: Record<OnCallLevel, string> = {
  primary: 'Primary',
  secondary: 'Secondary',
  'engineering-manager': 'Engineering manager',
};
export const LEVEL_LABELS: Readonly<Record<string, string>> = labels;

/** Names of the on-call providers, for "<provider> unavailable". */
export const PROVIDER_LABELS: Record<string, string> = {
  pagerduty: 'PagerDuty',
  schedule: 'On-call schedule',
};
