import { Entity } from '@backstage/catalog-model';
import {
  FakePagerDuty,
  startFakePagerDuty,
} from './__testUtils__/fakePagerDuty';
import { startOpsBackend } from './__testUtils__/opsBackend';

// While PagerDuty fails, the built-in schedule of the team that owns the
// service answers instead, and says why in one line.

// Each test starts a whole backend (one test three): on a busy machine that
// alone can pass jest's default 5 s.
jest.setTimeout(60_000);

const TOKEN = 'u+fake-pagerduty-token';
// Tuesday of week 13 of the team's rotation (Mondays 09:00 Berlin from
// 2026-01-05; week 13 starts Monday 2026-04-06, 07:00 UTC in summer time).
const AT = '2026-04-07T12:00:00.000Z';

function component(name: string, owner: string): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name,
      namespace: 'default',
      annotations: { 'pagerduty.com/service-id': 'P7R2QXK' },
    },
    spec: { type: 'service', owner, lifecycle: 'production' },
    relations: [{ type: 'ownedBy', targetRef: `group:default/${owner}` }],
  };
}

function user(name: string, displayName: string): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'User',
    metadata: { name, namespace: 'default' },
    spec: {
      profile: { displayName, email: `${name}@example.com` },
      memberOf: [],
    },
  };
}

const entities: Entity[] = [
  component('orders-api', 'team-orders'),
  // A team without a schedule of its own.
  component('labels-api', 'team-labels'),
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: {
      name: 'team-orders',
      namespace: 'default',
      annotations: { 'opsdeck.dev/oncall-schedule': 'orders' },
    },
    spec: { type: 'team', children: [] },
    relations: ['priya.raman', 'tomas.silva'].map(name => ({
      type: 'hasMember',
      targetRef: `user:default/${name}`,
    })),
  },
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: { name: 'team-labels', namespace: 'default' },
    spec: { type: 'team', children: [] },
  },
  user('priya.raman', 'Priya Raman'),
  user('tomas.silva', 'Tomás Silva'),
  user('grace.kim', 'Grace Kim'),
];

const schedules = {
  orders: {
    rotation: { timeZone: 'Europe/Berlin', start: '2026-01-05' },
    layers: [
      {
        level: 'primary',
        participants: ['user:default/priya.raman', 'user:default/tomas.silva'],
      },
      {
        level: 'engineering-manager',
        participants: ['user:default/grace.kim'],
      },
    ],
  },
};

let fake: FakePagerDuty;

beforeEach(async () => {
  fake = await startFakePagerDuty({
    portRange: [9351, 9359],
    token: TOKEN,
    services: { P7R2QXK: { escalationPolicyId: 'PEP0001', name: 'Orders' } },
    oncalls: {
      PEP0001: [
        {
          level: 1,
          user: {
            id: 'PUSR001',
            name: 'Priya Raman',
            email: 'priya.raman@example.com',
          },
          start: null,
          end: null,
        },
      ],
    },
  });
});

afterEach(() => fake.stop());

async function startBackend(pagerduty?: object) {
  const onCallOf = await startOpsBackend({
    entities,
    ops: { oncall: { schedules }, ...(pagerduty ? { pagerduty } : {}) },
  });
  return (name: string) => onCallOf(name, AT);
}

const names = (body: { levels: Array<{ level: string; current?: any }> }) =>
  body.levels.map(l => [l.level, l.current?.contact?.displayName]);

describe('the built-in schedule as fallback for PagerDuty', () => {
  it('answers for orders-api once the PagerDuty server has stopped, stating the outage once', async () => {
    const onCallOf = await startBackend({
      apiToken: TOKEN,
      apiBaseUrl: fake.url,
      timeoutSeconds: 2,
      maxRetries: 0,
    });
    const live = await onCallOf('orders-api');
    expect(live).toMatchObject({ provider: 'pagerduty', state: 'ok' });
    expect(names(live)).toEqual([['primary', 'Priya Raman']]);

    await fake.stop();
    const body = await onCallOf('orders-api');
    expect(body).toMatchObject({
      provider: 'schedule',
      state: 'ok',
      schedule: 'orders',
    });
    // Week 13 is odd: the second of the two participants.
    expect(names(body)).toEqual([
      ['primary', 'Tomás Silva'],
      ['engineering-manager', 'Grace Kim'],
    ]);
    expect(body.messages).toHaveLength(1);
    expect(body.messages[0]).toMatch(
      /^PagerDuty unavailable: PagerDuty unreachable: .+\. Showing the built-in schedule orders of group:default\/team-orders instead\.$/,
    );
    expect(body.messages[0].match(/unavailable/g)).toHaveLength(1);
  });

  it('answers from the team schedule when no token is configured', async () => {
    const onCallOf = await startBackend();
    const body = await onCallOf('orders-api');
    expect(body.provider).toBe('schedule');
    expect(names(body)[0]).toEqual(['primary', 'Tomás Silva']);
    expect(body.messages).toEqual([
      'PagerDuty unavailable: no API token configured (ops.pagerduty.apiToken). Showing the built-in schedule orders of group:default/team-orders instead.',
    ]);
  });

  it('answers from the team schedule while PagerDuty answers 503', async () => {
    fake.fail(503);
    const onCallOf = await startBackend({
      apiToken: TOKEN,
      apiBaseUrl: fake.url,
      maxRetries: 0,
    });
    const body = await onCallOf('orders-api');
    expect(body.provider).toBe('schedule');
    expect(body.messages[0]).toBe(
      'PagerDuty unavailable: PagerDuty answered 503 Service Unavailable for /services/P7R2QXK. Showing the built-in schedule orders of group:default/team-orders instead.',
    );
  });

  it('gives one clear error when the team has no schedule', async () => {
    await fake.stop();
    const onCallOf = await startBackend({
      apiToken: TOKEN,
      apiBaseUrl: fake.url,
      timeoutSeconds: 2,
    });
    const body = await onCallOf('labels-api');
    expect(body).toMatchObject({
      provider: 'pagerduty',
      state: 'unavailable',
      levels: [],
    });
    expect(body.messages).toHaveLength(1);
    expect(body.messages[0]).toMatch(/^PagerDuty unreachable: /);
  });
});
