import { mockCredentials } from '@backstage/backend-test-utils';
import { eventually } from './__testUtils__/exampleApp';
import { bodyText } from './__testUtils__/fakeSlack/slackWorkspace';
import {
  SlackTestBackend,
  startSlackTestBackend,
} from './__testUtils__/slackTestBackend';

// Backstage's own Slack notifications module, unchanged, on the example
// catalog, with its Web API calls routed to the fake Slack: what a plugin
// sends through the notifications backend (as NotificationService does: a
// service-authenticated POST /api/notifications/notifications) reaches the
// channel of the entity's slack.com/bot-notify annotation, the
// metadata.slackChannel fallback, and the recipient's direct messages,
// looked up by email and edited in place when the scope repeats.

jest.setTimeout(120_000);

describe('Slack notifications on the example catalog', () => {
  let backend: SlackTestBackend;

  beforeAll(async () => {
    backend = await startSlackTestBackend({});
  });

  afterAll(async () => {
    await backend?.stop();
  });

  async function send(body: object) {
    const response = await fetch(
      `${backend.baseUrl}/notifications/notifications`,
      {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: mockCredentials.service.header({
            onBehalfOf: mockCredentials.service('plugin:ops'),
            targetPluginId: 'notifications',
          }),
        },
        body: JSON.stringify(body),
      },
    );
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
    const channel = backend.fakeSlack.channelMessages('#payments-oncall');
    expect(channel.map(m => m.text)).toEqual([
      'Checkout failing',
      'Checkout failing (update)',
    ]);
    expect(bodyText(channel[0])).toContain('Severity: SEV1 - Critical');
    expect(bodyText(channel[0])).toContain('Severity: critical');

    // Amara's DM: found by her catalog email, then edited, not repeated.
    await eventually(async () => {
      const dms = backend.fakeSlack.channelMessages('U0AMARA');
      expect(dms).toHaveLength(1);
      expect(dms[0]).toMatchObject({
        text: 'Checkout failing (update)',
        edits: 1,
      });
    });
    const methods = backend.fakeSlack.calls.map(c => c.method);
    expect(methods).toContain('users.lookupByEmail');
    expect(methods).toContain('chat.update');
  });

  it("posts what is addressed to the team to the team's channel", async () => {
    await send({
      recipients: { type: 'entity', entityRef: 'group:default/team-payments' },
      payload: { title: 'Restore drill overdue' },
    });
    expect(
      backend.fakeSlack.channelMessages('team-payments').map(m => m.text),
    ).toEqual(['Restore drill overdue']);
  });

  it('posts to metadata.slackChannel for an entity without the annotation', async () => {
    await send({
      recipients: { type: 'entity', entityRef: 'component:default/orders-api' },
      payload: {
        title: 'Orders degraded',
        metadata: { slackChannel: 'C0ONCALL' },
      },
    });
    expect(
      backend.fakeSlack.channelMessages('oncall').map(m => m.text),
    ).toEqual(['Orders degraded']);
  });

  it('still delivers the notification when Slack refuses the channel, and the fake says why', async () => {
    await send({
      recipients: { type: 'entity', entityRef: 'component:default/search-api' },
      payload: {
        title: 'Search slow',
        metadata: { slackChannel: '#no-such-channel' },
      },
    });
    const refused = backend.fakeSlack.calls.filter(
      c => c.args.channel === '#no-such-channel',
    );
    expect(refused.map(c => c.response)).toEqual([
      { ok: false, error: 'channel_not_found' },
    ]);
  });

  it('shows what it received, as JSON and as a page', async () => {
    const received = await (
      await fetch(`${backend.fakeSlack.url}received`)
    ).json();
    expect(received.calls.length).toBe(backend.fakeSlack.calls.length);
    const page = await (await fetch(backend.fakeSlack.url)).text();
    expect(page).toContain('C0PAYMENTSONCALL');
    expect(page).toContain('Checkout failing (update)');
  });
});
