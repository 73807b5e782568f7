import { Entity } from '@backstage/catalog-model';
import {
  FakePagerDuty,
  startFakePagerDuty,
} from './__testUtils__/fakePagerDuty';
import { startOpsBackend } from './__testUtils__/opsBackend';

// Each test starts a whole backend (one test three): on a busy machine that
// alone can pass jest's default 5 s.
jest.setTimeout(60_000);

const TOKEN = 'u+fake-pagerduty-token';
const HOUR = 3600_000;
const now = Date.now();
const iso = (offsetHours: number) =>
  new Date(now + offsetHours * HOUR).toISOString();

const entities: Entity[] = [
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name: 'orders-api',
      namespace: 'default',
      annotations: { 'pagerduty.com/service-id': 'P7R2QXK' },
    },
    spec: { type: 'service', owner: 'team-orders', lifecycle: 'production' },
  },
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name: 'ghost-api',
      namespace: 'default',
      annotations: { 'pagerduty.com/service-id': 'PGHOST1' },
    },
    spec: { type: 'service', owner: 'team-orders', lifecycle: 'production' },
  },
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'User',
    metadata: { name: 'priya.raman', namespace: 'default' },
    spec: { profile: { email: 'priya.raman@example.com' }, memberOf: [] },
  },
];

const people = {
  priya: {
    id: 'PUSR001',
    name: 'Priya Raman',
    email: 'Priya.Raman@example.com',
  },
  tomas: {
    id: 'PUSR002',
    name: 'Tomas Silva',
    email: 'tomas.silva@example.com',
  },
  wei: { id: 'PUSR003', name: 'Wei Chen', email: 'wei.chen@example.com' },
  grace: { id: 'PUSR004', name: 'Grace Kim', email: 'grace.kim@example.com' },
};

let fake: FakePagerDuty;

beforeAll(async () => {
  fake = await startFakePagerDuty({
    portRange: [9341, 9349],
    token: TOKEN,
    services: { P7R2QXK: { escalationPolicyId: 'PEP0001', name: 'Orders' } },
    // Two entries a page: the 5 entries take 3 pages.
    pageSize: 2,
    oncalls: {
      PEP0001: [
        { level: 1, user: people.priya, start: iso(-24), end: iso(6) },
        { level: 1, user: people.tomas, start: iso(6), end: iso(174) },
        { level: 2, user: people.wei, start: iso(-100), end: iso(68) },
        { level: 2, user: people.priya, start: iso(68), end: iso(236) },
        // An escalation rule naming a user: always on call.
        { level: 3, user: people.grace, start: null, end: null },
      ],
    },
  });
});

afterAll(() => fake.stop());

beforeEach(() => {
  fake.requests.length = 0;
  fake.rateLimit(0, 0);
  fake.fail(undefined);
});

async function onCallOf(entityName: string, pagerduty: object | undefined) {
  const ask = await startOpsBackend({
    entities,
    ops: pagerduty ? { pagerduty } : {},
  });
  return ask(entityName);
}

const config = () => ({ apiToken: TOKEN, apiBaseUrl: fake.url });

describe('the PagerDuty on-call provider', () => {
  it('follows service, escalation policy and every page of on-calls', async () => {
    const body = await onCallOf('orders-api', config());
    expect(body).toMatchObject({
      provider: 'pagerduty',
      state: 'ok',
      schedule: 'Orders policy',
      url: 'https://acme.pagerduty.com/escalation_policies/PEP0001',
      messages: [],
    });
    expect(body.levels).toEqual([
      {
        level: 'primary',
        current: {
          // Matched to the User entity by email, case-insensitively.
          userRef: 'user:default/priya.raman',
          start: iso(-24),
          end: iso(6),
          contact: {
            userRef: 'user:default/priya.raman',
            displayName: 'Priya Raman',
            email: 'Priya.Raman@example.com',
          },
        },
        next: {
          userRef: 'pagerduty:user/PUSR002',
          start: iso(6),
          end: iso(174),
          contact: {
            userRef: 'pagerduty:user/PUSR002',
            displayName: 'Tomas Silva',
            email: 'tomas.silva@example.com',
          },
        },
      },
      expect.objectContaining({
        level: 'secondary',
        current: expect.objectContaining({ userRef: 'pagerduty:user/PUSR003' }),
        next: expect.objectContaining({ userRef: 'user:default/priya.raman' }),
      }),
      {
        level: 'engineering-manager',
        current: expect.objectContaining({
          userRef: 'pagerduty:user/PUSR004',
          contact: expect.objectContaining({ displayName: 'Grace Kim' }),
        }),
      },
    ]);
    const pages = fake.requests.filter(r => r.path === '/oncalls');
    expect(pages.map(r => r.query.get('offset'))).toEqual(['0', '2', '4']);
    expect(pages[0].query.getAll('escalation_policy_ids[]')).toEqual([
      'PEP0001',
    ]);
    expect(pages[0].query.getAll('include[]')).toEqual(['users']);
  });

  it('waits out a 429 as long as Retry-After says, then answers', async () => {
    fake.rateLimit(1, 1);
    const started = Date.now();
    const body = await onCallOf('orders-api', config());
    expect(body.state).toBe('ok');
    expect(body.levels[0].current.userRef).toBe('user:default/priya.raman');
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    expect(fake.requests.map(r => r.path)).toEqual([
      '/services/P7R2QXK',
      '/services/P7R2QXK',
      '/oncalls',
      '/oncalls',
      '/oncalls',
    ]);
  });

  it('gives up on rate limiting after maxRetries, as unavailable', async () => {
    fake.rateLimit(10, 1);
    const body = await onCallOf('orders-api', { ...config(), maxRetries: 1 });
    expect(body).toMatchObject({
      provider: 'pagerduty',
      state: 'unavailable',
      levels: [],
      messages: ['PagerDuty is rate limiting requests (429, retry after 1 s)'],
    });
  });

  it('does not wait for a Retry-After longer than allowed', async () => {
    fake.rateLimit(1, 120);
    const body = await onCallOf('orders-api', config());
    expect(body.state).toBe('unavailable');
    expect(fake.requests).toHaveLength(1);
  });

  it.each([
    [503, 'PagerDuty answered 503 Service Unavailable for /services/P7R2QXK'],
    [500, 'PagerDuty answered 500 Internal Server Error for /services/P7R2QXK'],
  ])(
    'reports an outage (%i) as unavailable, not as an error',
    async (status, message) => {
      fake.fail(status);
      const body = await onCallOf('orders-api', config());
      expect(body).toMatchObject({
        state: 'unavailable',
        messages: [message],
      });
    },
  );

  it('reports an unreachable PagerDuty as unavailable', async () => {
    const body = await onCallOf('orders-api', {
      ...config(),
      apiBaseUrl: 'http://127.0.0.1:9', // discard port: nothing listens
      timeoutSeconds: 2,
    });
    expect(body.state).toBe('unavailable');
    expect(body.messages[0]).toMatch(/^PagerDuty unreachable/);
  });

  it('reports a wrong token, a missing token and an unknown service', async () => {
    expect(
      (await onCallOf('orders-api', { ...config(), apiToken: 'wrong' }))
        .messages,
    ).toEqual(['PagerDuty answered 401 Unauthorized for /services/P7R2QXK']);
    expect((await onCallOf('orders-api', undefined)).messages).toEqual([
      'no API token configured (ops.pagerduty.apiToken)',
    ]);
    expect((await onCallOf('ghost-api', config())).messages).toEqual([
      'PagerDuty has no service PGHOST1 (pagerduty.com/service-id of component:default/ghost-api)',
    ]);
  });
});
