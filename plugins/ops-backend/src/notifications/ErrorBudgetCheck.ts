import {
  AuthService,
  BackstageCredentials,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { CATALOG_FILTER_EXISTS } from '@backstage/catalog-client';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { OPSDECK_ANNOTATIONS, SloReport } from '@opsdeck/plugin-ops-common';
import { errorBudgetMessage } from './messages';
import { NotificationClaims, windowStart } from './NotificationClaims';
import { OpsNotifier } from './OpsNotifier';

/** The part of SloService the check uses: what the SLO card shows. */
export interface SloBudgets {
  evaluate(
    entityRef: string,
    credentials: BackstageCredentials,
  ): Promise<SloReport>;
}

/**
 * The scheduled error budget check: every SLO of every entity with SLO
 * documents whose budget is exhausted or below the threshold is notified
 * once per SLO window (the window's fixed slot of the SLO's length).
 */
export class ErrorBudgetCheck {
  constructor(
    private readonly deps: {
      auth: AuthService;
      catalog: CatalogService;
      slos: SloBudgets;
      claims: NotificationClaims;
      notifier: OpsNotifier;
      thresholdPercent: number;
      logger: LoggerService;
      now?: () => Date;
    },
  ) {}

  /** Checks every SLO once; returns how many notifications this call sent. */
  async run(): Promise<number> {
    const { auth, catalog, slos, logger } = this.deps;
    const credentials = await auth.getOwnServiceCredentials();
    const { items } = await catalog.getEntities(
      {
        filter: {
          [`metadata.annotations.${OPSDECK_ANNOTATIONS.openslo}`]:
            CATALOG_FILTER_EXISTS,
        },
        fields: ['kind', 'metadata.namespace', 'metadata.name'],
      },
      { credentials },
    );
    let sent = 0;
    for (const entity of items) {
      const entityRef = stringifyEntityRef(entity);
      try {
        const report = await slos.evaluate(entityRef, credentials);
        sent += await this.#notifyLow(report);
      } catch (error) {
        // One entity's unreadable SLOs must not stop the others' check.
        logger.warn(`Error budget check of ${entityRef} failed: ${error}`);
      }
    }
    return sent;
  }

  async #notifyLow(report: SloReport): Promise<number> {
    const { claims, notifier, thresholdPercent } = this.deps;
    const now = this.deps.now?.() ?? new Date();
    let sent = 0;
    for (const slo of report.slos) {
      const budget = slo.errorBudget;
      if (!budget || budget.remainingRatio * 100 >= thresholdPercent) {
        continue;
      }
      const subject = `error-budget:${report.entityRef}:${slo.name}`;
      const start = windowStart(now, slo.windowSeconds * 1000);
      if (!(await claims.claim(subject, start))) continue;
      await notifier.send(report.entityRef, audience =>
        errorBudgetMessage({
          service: audience.service,
          slo: { name: slo.name, errorBudget: budget },
          thresholdPercent,
        }),
      );
      sent++;
    }
    return sent;
  }
}
