import type { DatabaseService } from '@backstage/backend-plugin-api';
import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { DatabaseIncidentStore } from './incidents/DatabaseIncidentStore';
import { NotificationClaims } from './notifications/NotificationClaims';
import { OpsNotifier } from './notifications/OpsNotifier';
import { OverduePostmortemsCheck } from './notifications/OverduePostmortemsCheck';
import { Audience } from './notifications/recipients';
import { OpsMessage } from './notifications/messages';
import { DatabasePostmortemStore } from './postmortems/DatabasePostmortemStore';
import { findOverdueLearning } from './postmortems/overdueLearning';

jest.setTimeout(60_000);

/*
 * The scheduled overdue post-mortem check on SQLite and PostgreSQL: two
 * replicas run it at once, twice in a day; the owners hear once per day of
 * everything their service owes. The notifications service itself is out of
 * scope here (scheduledChecks.test.ts runs the real one for the other
 * checks): what is sent is recorded at OpsNotifier.send.
 */

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });
const NOW = new Date('2026-12-03T12:00:00.000Z');
const PAYMENTS = 'component:default/payments-api';
const actor = 'user:default/owner';

describe('OverduePostmortemsCheck', () => {
  it.each(databases.eachSupportedId())(
    'notifies each service once a day of what it owes (%s)',
    async databaseId => {
      const knex = await databases.init(databaseId);
      const database: DatabaseService = {
        getClient: async () => knex,
        migrations: { skip: false },
      };
      const incidents = await DatabaseIncidentStore.create({ database });
      const store = new DatabasePostmortemStore(knex, () => NOW);
      const incident = (severity: string, title: string) =>
        incidents.createIncident(
          {
            entityRef: PAYMENTS,
            title,
            severity,
            status: 'resolved',
            detectedAt: '2026-11-20T10:00:00.000Z',
            mitigatedAt: '2026-11-20T10:20:00.000Z',
            resolvedAt: '2026-11-20T10:30:00.000Z',
            labels: {},
          },
          { actor, events: [] },
        );
      // Owed: a SEV1 without a post-mortem (due 2026-11-27), and an action
      // item of a SEV3's post-mortem due 2026-12-01. Not owed: a SEV3
      // without one.
      await incident('SEV1', 'Payments down');
      await incident('SEV3', 'Slow receipts');
      const minor = await incident('SEV3', 'Retry storm');
      const postmortem = await store.createPostmortem(
        {
          incidentId: minor.id,
          entityRef: PAYMENTS,
          severity: 'SEV3',
          title: 'Retry storm',
          body: 'draft',
          authors: [actor],
        },
        actor,
      );
      await store.createActionItem(
        {
          postmortemId: postmortem.id,
          entityRef: PAYMENTS,
          title: 'Jitter the retries',
          ownerRef: 'group:default/team-payments',
          dueDate: '2026-12-01',
        },
        actor,
      );

      const sent: OpsMessage[] = [];
      const notifier = {
        send: async (
          entityRef: string,
          build: (audience: Audience) => OpsMessage,
        ) => {
          sent.push(
            build({
              service: { entityRef, displayName: 'payments-api' },
            } as Audience),
          );
        },
      } as unknown as OpsNotifier;
      const replica = (now: Date) =>
        new OverduePostmortemsCheck({
          overdue: at =>
            findOverdueLearning(
              {
                store,
                incidents,
                options: {
                  dueBusinessDays: 5,
                  dueSeverities: ['SEV1', 'SEV2'],
                },
              },
              undefined,
              at,
            ),
          claims: new NotificationClaims(knex),
          notifier,
          logger: mockServices.logger.mock(),
          now: () => now,
        });

      const first = await Promise.all([replica(NOW).run(), replica(NOW).run()]);
      expect(first.sort()).toEqual([0, 1]);
      const later = new Date(NOW.getTime() + 3_600_000);
      expect(await replica(later).run()).toBe(0);
      expect(sent).toEqual([
        {
          title: 'POST-MORTEM OVERDUE: payments-api',
          description:
            'Service: payments-api\nDetail: no post-mortem started for SEV1 "Payments down" (due 2026-11-27); action item overdue: "Jitter the retries" (group:default/team-payments, due 2026-12-01)',
          link: '/catalog/default/component/payments-api/operations',
          severity: 'normal',
          topic: 'opsdeck.postmortem',
          scope: `opsdeck:postmortem-overdue:${PAYMENTS}`,
        },
      ]);
      // The next day it is told again.
      const nextDay = new Date(NOW.getTime() + 86_400_000);
      expect(await replica(nextDay).run()).toBe(1);
    },
  );
});
