import { AuthService, LoggerService } from '@backstage/backend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { CATALOG_FILTER_EXISTS } from '@backstage/catalog-client';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  databaseTargetsOf,
  OPSDECK_ANNOTATIONS,
} from '@opsdeck/plugin-ops-common';
import { ReadinessCheck } from '@opsdeck/plugin-ops-node';
import { drillOverdueMessage } from './messages';
import { NotificationClaims, windowStart } from './NotificationClaims';
import { OpsNotifier } from './OpsNotifier';

const DAY_MS = 86_400_000;

/**
 * The scheduled overdue drill check: the readiness checklist's drill item
 * (createDrillCheck, the same rule the Readiness card shows) for every
 * entity naming database targets; an overdue one is notified once per drill
 * interval (its most frequent target's).
 */
export class OverdueDrillsCheck {
  constructor(
    private readonly deps: {
      auth: AuthService;
      catalog: CatalogService;
      /** The readiness check `databases` (createDrillCheck). */
      drillCheck: ReadinessCheck;
      intervalDays: (target: string) => number;
      claims: NotificationClaims;
      notifier: OpsNotifier;
      logger: LoggerService;
      now?: () => Date;
    },
  ) {}

  /** Checks every entity once; returns how many notifications this call sent. */
  async run(): Promise<number> {
    const { auth, catalog, drillCheck, claims, notifier, logger } = this.deps;
    const credentials = await auth.getOwnServiceCredentials();
    const { items } = await catalog.getEntities(
      {
        filter: {
          [`metadata.annotations.${OPSDECK_ANNOTATIONS.databases}`]:
            CATALOG_FILTER_EXISTS,
        },
      },
      { credentials },
    );
    const now = this.deps.now?.() ?? new Date();
    let sent = 0;
    for (const entity of items) {
      const entityRef = stringifyEntityRef(entity);
      try {
        const result = await drillCheck.evaluate(entity, { credentials });
        // Refused or missing targets are a configuration matter for the
        // readiness card, not a drill someone forgot.
        if (result.status !== 'missing' || result.refusedTargets) continue;
        const targets = databaseTargetsOf(entity);
        if (targets.length === 0) continue;
        const days = Math.min(...targets.map(t => this.deps.intervalDays(t)));
        const subject = `drill-overdue:${entityRef}`;
        if (!(await claims.claim(subject, windowStart(now, days * DAY_MS)))) {
          continue;
        }
        await notifier.send(entityRef, audience =>
          drillOverdueMessage({
            service: audience.service,
            detail: result.detail,
          }),
        );
        sent++;
      } catch (error) {
        logger.warn(`Overdue drill check of ${entityRef} failed: ${error}`);
      }
    }
    return sent;
  }
}
