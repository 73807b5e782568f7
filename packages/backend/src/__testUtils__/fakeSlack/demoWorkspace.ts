import { FakeSlackChannel, FakeSlackUser } from './slackWorkspace';

// The Slack workspace of the example catalog, for the demo's fake Slack and
// the tests: the channels the examples' slack.com/bot-notify annotations
// name, the manuals' #oncall as the channel-per-severity fallback, and the
// people of examples/org.yaml (users.lookupByEmail finds them by email).

export const DEMO_SLACK_TOKEN = 'xoxb-opsdeck-demo-only';

export const demoSlackChannels: FakeSlackChannel[] = [
  // examples/payments-api/catalog-info.yaml
  { id: 'C0PAYMENTSONCALL', name: 'payments-oncall' },
  // team-payments in examples/org.yaml
  { id: 'C0TEAMPAYMENTS', name: 'team-payments' },
  // "announce every step in the #oncall Slack channel" (the manuals)
  { id: 'C0ONCALL', name: 'oncall' },
];

export const demoSlackUsers: FakeSlackUser[] = [
  ['U0AMARA', 'Amara Okafor', 'amara.okafor'],
  ['U0JONAS', 'Jonas Weber', 'jonas.weber'],
  ['U0PRIYA', 'Priya Raman', 'priya.raman'],
  ['U0TOMAS', 'Tomás Silva', 'tomas.silva'],
  ['U0WEI', 'Wei Chen', 'wei.chen'],
  ['U0SOFIA', 'Sofia Rossi', 'sofia.rossi'],
  ['U0GRACE', 'Grace Kim', 'grace.kim'],
].map(([id, name, user]) => ({ id, name, email: `${user}@example.com` }));
