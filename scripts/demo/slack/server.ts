// The demo's Slack: the fake Slack Web API of the backend's tests
// (packages/backend/src/__testUtils__/fakeSlack) with the example catalog's
// workspace: the channels of the examples' slack.com/bot-notify annotations,
// #oncall, and the people of examples/org.yaml. Its page (GET /) shows what
// OpsDeck sent, GET /received the same as JSON. Started by scripts/demo/slack.sh.

import {
  DEMO_SLACK_TOKEN,
  demoSlackChannels,
  demoSlackUsers,
} from '../../../packages/backend/src/__testUtils__/fakeSlack/demoWorkspace';
import { startFakeSlack } from '../../../packages/backend/src/__testUtils__/fakeSlack/fakeSlack';

async function main() {
  const fake = await startFakeSlack({
    port: Number(process.env.OPSDECK_SLACK_PORT ?? 3300),
    token: process.env.OPSDECK_SLACK_TOKEN ?? DEMO_SLACK_TOKEN,
    channels: demoSlackChannels,
    users: demoSlackUsers,
  });
  console.log(`fake Slack Web API on ${fake.apiUrl}, received: ${fake.url}`);
  const stop = () => fake.stop().then(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
