/** How escalation levels are named on the cards. */
export const LEVEL_LABELS: Record<string, string> = {
  primary: 'Primary',
  secondary: 'Secondary',
  'engineering-manager': 'Engineering manager',
};

/** Names of the on-call providers, for "<provider> unavailable". */
export const PROVIDER_LABELS: Record<string, string> = {
  pagerduty: 'PagerDuty',
  schedule: 'On-call schedule',
};
