import {
  AuthService,
  LoggerService,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { NotificationService } from '@backstage/plugin-notifications-node';
import { SeverityLevel } from '@opsdeck/plugin-ops-common';
import { ReadinessCheck } from '@opsdeck/plugin-ops-node';
import { Knex } from 'knex';
import { OpsEvents } from '../events/OpsEvents';
import { ErrorBudgetCheck, SloBudgets } from './ErrorBudgetCheck';
import { NotificationClaims } from './NotificationClaims';
import { NotificationsOptions } from './notificationsConfig';
import { OpsNotifier } from './OpsNotifier';
import { OverdueDrillsCheck } from './OverdueDrillsCheck';
import { OverduePostmortemsCheck } from './OverduePostmortemsCheck';
import { OverdueLearning } from '../postmortems/overdueLearning';
import { AudienceResolver, OnCallSource } from './recipients';

/**
 * Notifications of OpsDeck: the events' listener, and the scheduled budget
 * and overdue-drill checks (Backstage's scheduler runs each on one replica
 * at a time; the claims table keeps them to one notification per window).
 */
export async function startOpsNotifications(deps: {
  options: NotificationsOptions;
  severities: SeverityLevel[];
  events: OpsEvents;
  notifications: NotificationService;
  scheduler: SchedulerService;
  auth: AuthService;
  catalog: CatalogService;
  onCall: OnCallSource;
  slos: SloBudgets;
  drillCheck: ReadinessCheck;
  drillIntervalDays: (target: string) => number;
  /** Overdue post-mortems and action items across services, when post-mortems run. */
  overdueLearning?: (now: Date) => Promise<OverdueLearning>;
  knex: Knex;
  logger: LoggerService;
}): Promise<OpsNotifier> {
  const { options, auth, catalog, logger, scheduler } = deps;
  const notifier = new OpsNotifier({
    notifications: deps.notifications,
    audience: new AudienceResolver({ auth, catalog, onCall: deps.onCall }),
    templates: { options, severities: deps.severities },
    slackChannelsBySeverity: options.slackChannelsBySeverity,
  });
  deps.events.subscribe(notifier.listener);

  const claims = new NotificationClaims(deps.knex);
  const budgets = new ErrorBudgetCheck({
    auth,
    catalog,
    slos: deps.slos,
    claims,
    notifier,
    thresholdPercent: options.budgetThresholdPercent,
    logger,
  });
  const drills = new OverdueDrillsCheck({
    auth,
    catalog,
    drillCheck: deps.drillCheck,
    intervalDays: deps.drillIntervalDays,
    claims,
    notifier,
    logger,
  });
  await scheduler.scheduleTask({
    id: 'ops-notifications-error-budgets',
    frequency: { minutes: 10 },
    timeout: { minutes: 5 },
    initialDelay: { minutes: 1 },
    fn: async () => {
      await budgets.run();
    },
  });
  await scheduler.scheduleTask({
    id: 'ops-notifications-overdue-drills',
    frequency: { hours: 1 },
    timeout: { minutes: 5 },
    initialDelay: { minutes: 2 },
    fn: async () => {
      await drills.run();
    },
  });
  if (deps.overdueLearning) {
    const postmortems = new OverduePostmortemsCheck({
      overdue: deps.overdueLearning,
      claims,
      notifier,
      logger,
    });
    await scheduler.scheduleTask({
      id: 'ops-notifications-overdue-postmortems',
      frequency: { hours: 1 },
      timeout: { minutes: 5 },
      initialDelay: { minutes: 3 },
      fn: async () => {
        await postmortems.run();
      },
    });
  }
  return notifier;
}

export { readNotificationsOptions } from './notificationsConfig';
export type { NotificationsOptions } from './notificationsConfig';
