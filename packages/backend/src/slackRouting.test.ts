import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import catalogBackend from '@backstage/plugin-catalog-backend';
import notificationsBackend from '@backstage/plugin-notifications-backend';
import { eventually, exampleAppConfig } from './__testUtils__/exampleApp';
import {
  DEMO_SLACK_TOKEN,
  demoSlackChannels,
  demoSlackUsers,
} from './__testUtils__/fakeSlack/demoWorkspace';
import { FakeSlack, startFakeSlack } from './__testUtils__/fakeSlack/fakeSlack';
import { routeSlackModuleInJest } from './__testUtils__/fakeSlack/routeSlackModuleInJest';
import { bodyText } from './__testUtils__/fakeSlack/slackWorkspace';

// Backstage's own Slack notifications module, unchanged, on the example
// catalog, with its Web API calls routed to the fake Slack: what a plugin
// sends through the notifications backend (as NotificationService does: a
// service-authenticated POST /api/notifications/notifications) reaches the
// channel of the entity's slack.com/bot-notify annotation, the
// metadata.slackChannel fallback, and the recipient's direct messages,
// looked up by email and edited in place when the scope repeats.

jest.setTimeout(120_000);

describe('Slack notifications on the example catalog', () => {
  let fakeSlack: FakeSlack;
  let stopBackend: () => Promise<void>;
  let baseUrl: string;

  beforeAll(async () => {
    fakeSlack = await startFakeSlack({
      token: DEMO_SLACK_TOKEN,
      channels: demoSlackChannels,
      users: demoSlackUsers,
    });
    routeSlackModuleInJest(() => fakeSlack.apiUrl);
    const backend = await startTestBackend({
      features: [
        catalogBackend,
        notificationsBackend,
        // Loaded after the routing above, so that it gets the routed client.
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        require('@backstage/plugin-notifications-backend-module-slack').default,
        mockServices.rootConfig.factory({
          data: {
            ...exampleAppConfig(),
            notifications: {
              processors: { slack: [{ token: DEMO_SLACK_TOKEN }] },
            },
          },
        }),
      ],
    });
    stopBackend = () => backend.stop();
    baseUrl = `http://localhost:${backend.server.port()}/api`;
    // The module caches what the catalog answers: send once it knows the
    // examples.
    await eventually(async () => {
      const found = await fetch(
        `${baseUrl}/catalog/entities/by-name/user/default/amara.okafor`,
        { headers: { authorization: mockCredentials.service.header() } },
      );
      if (!found.ok) throw new Error(`catalog: ${found.status}`);
    });
  });

  afterAll(async () => {
    await stopBackend?.();
    await fakeSlack?.stop();
  });

  async function send(body: object) {
    const response = await fetch(`${baseUrl}/notifications/notifications`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: mockCredentials.service.header({
          onBehalfOf: mockCredentials.service('plugin:ops'),
          targetPluginId: 'notifications',
        }),
      },
      body: JSON.stringify(body),
    });
    if (!response.ok) {
      throw new Error(`notifications: ${await response.text()}`);
    }
  }

  it("posts to the service's channel and DMs the named person, editing the DM when the scope repeats", async () => {
    const recipients = {
      type: 'entity',
      entityRef: [
        'component:default/payments-api',
        'user:default/amara.okafor',
      ],
    };
    await send({
      recipients,
      payload: {
        title: 'Checkout failing',
        description: 'Severity: SEV1 - Critical\nService: Payments API',
        severity: 'critical',
        topic: 'routing-test',
        scope: 'routing-test:1',
      },
    });
    await send({
      recipients,
      payload: {
        title: 'Checkout failing (update)',
        description: 'Status: mitigated',
        scope: 'routing-test:1',
      },
    });

    // The channel of payments-api's annotation, by name in the fake.
    const channel = fakeSlack.channelMessages('#payments-oncall');
    expect(channel.map(m => m.text)).toEqual([
      'Checkout failing',
      'Checkout failing (update)',
    ]);
    expect(bodyText(channel[0])).toContain('Severity: SEV1 - Critical');
    expect(bodyText(channel[0])).toContain('Severity: critical');

    // Amara's DM: found by her catalog email, then edited, not repeated.
    await eventually(async () => {
      const dms = fakeSlack.channelMessages('U0AMARA');
      expect(dms).toHaveLength(1);
      expect(dms[0]).toMatchObject({
        text: 'Checkout failing (update)',
        edits: 1,
      });
    });
    const methods = fakeSlack.calls.map(c => c.method);
    expect(methods).toContain('users.lookupByEmail');
    expect(methods).toContain('chat.update');
  });

  it('posts to metadata.slackChannel for an entity without the annotation', async () => {
    await send({
      recipients: { type: 'entity', entityRef: 'component:default/orders-api' },
      payload: {
        title: 'Orders degraded',
        metadata: { slackChannel: 'C0ONCALL' },
      },
    });
    expect(fakeSlack.channelMessages('oncall').map(m => m.text)).toEqual([
      'Orders degraded',
    ]);
  });

  it('still delivers the notification when Slack refuses the channel, and the fake says why', async () => {
    await send({
      recipients: { type: 'entity', entityRef: 'component:default/search-api' },
      payload: {
        title: 'Search slow',
        metadata: { slackChannel: '#no-such-channel' },
      },
    });
    const refused = fakeSlack.calls.filter(
      c => c.args.channel === '#no-such-channel',
    );
    expect(refused.map(c => c.response)).toEqual([
      { ok: false, error: 'channel_not_found' },
    ]);
  });

  it('shows what it received, as JSON and as a page', async () => {
    const received = await (await fetch(`${fakeSlack.url}received`)).json();
    expect(received.calls.length).toBe(fakeSlack.calls.length);
    const page = await (await fetch(fakeSlack.url)).text();
    expect(page).toContain('C0PAYMENTSONCALL');
    expect(page).toContain('Checkout failing (update)');
  });
});
