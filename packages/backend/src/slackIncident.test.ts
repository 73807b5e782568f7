import { mockCredentials } from '@backstage/backend-test-utils';
import opsBackend from '@opsdeck/plugin-ops-backend';
import { eventually, exampleAppConfig } from './__testUtils__/exampleApp';
import {
  bodyText,
  FakeSlackMessage,
} from './__testUtils__/fakeSlack/slackWorkspace';
import {
  SlackTestBackend,
  startSlackTestBackend,
} from './__testUtils__/slackTestBackend';

// Acceptance (issue 18, 2): one incident of payments-api, declared, moved on
// and resolved through OpsDeck's API by an owner, reaches payments-api's
// Slack channel (its slack.com/bot-notify annotation in the examples) as the
// manuals' three messages, in order: the initial alert, an update and the
// resolution, with the manuals' fields. The ops plugin, the notifications
// backend and Backstage's Slack module are the real ones; Slack is the fake,
// on a free port. Each step waits for the previous message, at a person's
// pace. A service without the annotation falls back to the channel that
// ops.notifications.slack.channelsBySeverity names for the severity.

jest.setTimeout(120_000);

const OWNER = mockCredentials.user.header('user:default/amara.okafor');

describe('incidents in Slack', () => {
  let backend: SlackTestBackend;

  beforeAll(async () => {
    backend = await startSlackTestBackend({
      features: [opsBackend],
      config: {
        // Who may declare is guestAccess.test.ts's subject, not this one's.
        permission: { enabled: false },
        ops: {
          ...exampleAppConfig().ops,
          notifications: {
            slack: { channelsBySeverity: { SEV1: 'C0ONCALL' } },
          },
        },
      },
    });
  });

  afterAll(async () => {
    await backend?.stop();
  });

  async function ops(method: string, path: string, body: object) {
    const response = await fetch(`${backend.baseUrl}/ops${path}`, {
      method,
      headers: { 'content-type': 'application/json', authorization: OWNER },
      body: JSON.stringify(body),
    });
    if (!response.ok) {
      throw new Error(`${method} ${path}: ${await response.text()}`);
    }
    return response.json();
  }

  /** The channel's messages once it has `count` of them. */
  function channelOnceItHas(
    count: number,
    channel = '#payments-oncall',
  ): Promise<FakeSlackMessage[]> {
    return eventually(async () => {
      const messages = backend.fakeSlack.channelMessages(channel);
      expect(messages).toHaveLength(count);
      return messages;
    });
  }

  it('posts the initial alert, an update and the resolution, in order, with the manuals’ fields', async () => {
    const declared = await ops('POST', '/incidents', {
      entityRef: 'component:default/payments-api',
      title: 'Card payments declined',
      severity: 'SEV1',
      summary: 'Card authorizations fail with 502 from the acquirer',
      commander: 'user:default/jonas.weber',
    });
    const [alert] = await channelOnceItHas(1);

    const mitigated = await ops('PATCH', `/incidents/${declared.id}`, {
      version: declared.version,
      status: 'mitigated',
    });
    const update = (await channelOnceItHas(2))[1];

    await ops('PATCH', `/incidents/${declared.id}`, {
      version: mitigated.version,
      status: 'resolved',
      rootCause: 'Expired acquirer certificate',
    });
    const messages = await channelOnceItHas(3);
    const resolution = messages[2];

    // In order, one message per step, nothing else in the channel.
    expect(messages.map(m => m.text)).toEqual([
      'INCIDENT ALERT: Card payments declined',
      'INCIDENT UPDATE: Card payments declined',
      'INCIDENT RESOLVED: Card payments declined',
    ]);
    expect(messages.map(m => m.ts)).toEqual(
      [...messages.map(m => m.ts)].sort(),
    );
    expect([alert.ts, update.ts]).toEqual([messages[0].ts, messages[1].ts]);

    const alertBody = lines(alert);
    expect(alertBody).toEqual(
      expect.arrayContaining([
        'Severity: SEV1 - Critical',
        'Service: Payments API',
        'ETA: Investigating',
      ]),
    );
    expect([
      'Card payments declined',
      'Card authorizations fail with 502 from the acquirer',
    ]).toContain(field(alertBody, 'Issue'));
    expect(field(alertBody, 'Commander')).toMatch(/jonas/i);
    for (const name of ['Impact', 'On-Call']) {
      expect(field(alertBody, name)).toBeTruthy();
    }

    const updateBody = lines(update);
    const shortId = field(updateBody, 'Incident');
    expect(shortId).toMatch(/^#\S+$/);
    expect(declared.id.startsWith(shortId.slice(1))).toBe(true);
    // The status as the manuals write it, whatever its capitalisation.
    expect(field(updateBody, 'Status').toLowerCase()).toBe('mitigated');
    expect(field(updateBody, 'Next Update')).toBe('30 minutes');
    expect(field(updateBody, 'Progress')).toBeTruthy();

    const resolutionBody = lines(resolution);
    expect(field(resolutionBody, 'Incident')).toBe(shortId);
    expect(field(resolutionBody, 'Root Cause')).toBe(
      'Expired acquirer certificate',
    );
    for (const name of ['Duration', 'Resolution', 'Post-Mortem']) {
      expect(field(resolutionBody, name)).toBeTruthy();
    }
  });

  it('posts the alert of a service without the annotation to the channel of its severity', async () => {
    await ops('POST', '/incidents', {
      entityRef: 'component:default/orders-api',
      title: 'Orders stuck in pending',
      severity: 'SEV1',
    });
    const [alert] = await channelOnceItHas(1, '#oncall');
    expect(alert.text).toBe('INCIDENT ALERT: Orders stuck in pending');
    expect(lines(alert)).toContain('Severity: SEV1 - Critical');
  });
});

/** The message body's lines, as the channel shows them. */
function lines(message: FakeSlackMessage): string[] {
  return bodyText(message)
    .split('\n')
    .map(line => line.trim());
}

/** The value of a `Name: value` line, '' when there is none. */
function field(body: string[], name: string): string {
  const line = body.find(l => l.startsWith(`${name}: `));
  return line ? line.slice(name.length + 2) : '';
}
