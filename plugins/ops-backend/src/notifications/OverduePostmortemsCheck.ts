import { LoggerService } from '@backstage/backend-plugin-api';
import { OverdueLearning } from '../postmortems/overdueLearning';
import {
  describeOverdueLearning,
  isEmpty,
} from '../postmortems/overdueLearning';
import { entityTabLink, MessageService, OpsMessage } from './messages';
import { NotificationClaims, windowStart } from './NotificationClaims';
import { OpsNotifier } from './OpsNotifier';

const DAY_MS = 86_400_000;

/** The overdue learning of a service, in the words of the other notifications. */
export function learningOverdueMessage(input: {
  service: MessageService;
  detail: string;
}): OpsMessage {
  const { service, detail } = input;
  return {
    title: `POST-MORTEM OVERDUE: ${service.displayName}`,
    description: `Service: ${service.displayName}\nDetail: ${detail}`,
    link: entityTabLink(service.entityRef, 'operations'),
    severity: 'normal',
    topic: 'opsdeck.postmortem',
    scope: `opsdeck:postmortem-overdue:${service.entityRef}`,
  };
}

/**
 * The scheduled overdue post-mortem check: every service with a post-mortem
 * or an action item past due (the readiness item "learning from incidents")
 * is notified once a day, whichever replica runs it first.
 */
export class OverduePostmortemsCheck {
  constructor(
    private readonly deps: {
      /** Everything overdue across services (findOverdueLearning). */
      overdue: (now: Date) => Promise<OverdueLearning>;
      claims: NotificationClaims;
      notifier: OpsNotifier;
      logger: LoggerService;
      now?: () => Date;
    },
  ) {}

  /** Returns how many notifications this call sent. */
  async run(): Promise<number> {
    const now = this.deps.now?.() ?? new Date();
    const overdue = await this.deps.overdue(now);
    const byEntity = new Map<string, OverdueLearning>();
    const of = (entityRef: string) => {
      let found = byEntity.get(entityRef);
      if (!found) {
        found = { postmortems: [], notStarted: [], actionItems: [] };
        byEntity.set(entityRef, found);
      }
      return found;
    };
    overdue.postmortems.forEach(p => of(p.entityRef).postmortems.push(p));
    overdue.notStarted.forEach(n =>
      of(n.incident.entityRef).notStarted.push(n),
    );
    overdue.actionItems.forEach(i => of(i.entityRef).actionItems.push(i));
    let sent = 0;
    for (const [entityRef, owed] of byEntity) {
      if (isEmpty(owed)) continue;
      try {
        const subject = `postmortem-overdue:${entityRef}`;
        if (
          !(await this.deps.claims.claim(subject, windowStart(now, DAY_MS)))
        ) {
          continue;
        }
        await this.deps.notifier.send(entityRef, audience =>
          learningOverdueMessage({
            service: audience.service,
            detail: describeOverdueLearning(owed),
          }),
        );
        sent++;
      } catch (error) {
        this.deps.logger.warn(
          `Overdue post-mortem check of ${entityRef} failed: ${error}`,
        );
      }
    }
    return sent;
  }
}
