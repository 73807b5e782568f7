import { mockCredentials } from '@backstage/backend-test-utils';
import { Notification } from '@backstage/plugin-notifications-common';
import request from 'supertest';
import { waitFor } from '../../__testUtils__/processes';
import {
  startNotificationsBackend,
  startPostgres,
  team,
  user,
} from './notificationsTestBackend';

/*
 * payments-api, owned by team-payments (alice, bob, carol); bob is its
 * primary on call (named in each send's recipients as well: a PagerDuty
 * on-call need not be an owner); dana is neither and must receive nothing.
 * The ops plugin and the real notifications backend run on a PostgreSQL of
 * the test's own; what each person received is read back from their inbox
 * through the notifications REST API.
 */
export const PAYMENTS = 'component:default/payments-api';
const RECIPIENTS = ['alice', 'bob', 'carol'];
const ALICE = mockCredentials.user.header('user:default/alice');

const entities = [
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name: 'payments-api',
      namespace: 'default',
      title: 'Payments API',
      annotations: {
        'opsdeck.dev/oncall-schedule': 'payments-primary',
        'opsdeck.dev/databases': 'payments-db',
      },
    },
    spec: { type: 'service', owner: 'team-payments', lifecycle: 'production' },
    relations: [{ type: 'ownedBy', targetRef: 'group:default/team-payments' }],
  },
  team('team-payments', ['alice', 'bob', 'carol']),
  ...['alice', 'bob', 'carol', 'dana'].map(user),
];

const ops = {
  databases: { 'payments-db': { entities: [PAYMENTS] } },
  oncall: {
    schedules: {
      'payments-primary': {
        rotation: { timeZone: 'UTC', start: '2026-01-05' },
        layers: [{ level: 'primary', participants: ['user:default/bob'] }],
      },
    },
  },
  // mockCredentials.service's default subject
  principals: { alertmanager: ['external:test-service'] },
  notifications: { slack: { channelsBySeverity: { SEV1: '#payments-sev1' } } },
};

/** The payments-api backend, and what its people received. */
export async function startPaymentsInboxes(prefix: string, firstPort: number) {
  const pg = await startPostgres(firstPort);
  const env = await startNotificationsBackend({
    connection: pg.connection,
    prefix,
    entities,
    ops,
  }).catch(async error => {
    await pg.stop();
    throw error;
  });

  /** Every inbox, by user name. */
  async function inboxes(): Promise<Record<string, Notification[]>> {
    const names = ['alice', 'bob', 'carol', 'dana'];
    const all = await Promise.all(names.map(n => env.inbox(n)));
    return Object.fromEntries(names.map((n, i) => [n, all[i]]));
  }

  /**
   * Waits until the recipients' notification of `scope` has `title`, then
   * checks every inbox: the recipients hold `total` notifications, one of
   * this scope; dana holds none.
   */
  async function expectDelivered(scope: string, title: string, total: number) {
    const boxes = await waitFor(
      `${title} in every recipient's inbox`,
      async () => {
        const all = await inboxes();
        const arrived = RECIPIENTS.every(n =>
          all[n].some(
            x => x.payload.scope === scope && x.payload.title === title,
          ),
        );
        return arrived ? all : undefined;
      },
      15_000,
    );
    for (const name of RECIPIENTS) {
      expect(boxes[name]).toHaveLength(total);
      expect(boxes[name].filter(x => x.payload.scope === scope)).toHaveLength(
        1,
      );
    }
    expect(boxes.dana).toEqual([]);
    return boxes.alice.find(x => x.payload.scope === scope)!;
  }

  /** A call of the ops API as alice, an owner. */
  const asAlice = (method: 'get' | 'post' | 'patch', path: string) =>
    request(env.server)[method](`/api/ops${path}`).set('Authorization', ALICE);

  return {
    env,
    expectDelivered,
    asAlice,
    stop: async () => {
      await env.backend.stop();
      await pg.stop();
    },
  };
}
