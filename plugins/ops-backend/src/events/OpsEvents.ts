import { LoggerService } from '@backstage/backend-plugin-api';
import {
  ActionItem,
  Drill,
  DrillStep,
  Incident,
  IncidentEvent,
  Postmortem,
} from '@opsdeck/plugin-ops-common';

/**
 * What happened to a record, after it was committed. Notifications, Slack
 * and live cards all hear of a change here, so a service writes a record and
 * emits once, whoever listens.
 */
export type OpsEvent =
  | {
      type: 'incident.declared';
      incident: Incident;
      /** Who declared it: a user or service ref (an Alertmanager principal for alerts). */
      actor: string;
    }
  | {
      type: 'incident.changed';
      incident: Incident;
      previous: Incident;
      actor: string;
    }
  | {
      type: 'incident.note';
      incident: Incident;
      event: IncidentEvent;
      actor: string;
    }
  | { type: 'drill.started'; drill: Drill }
  | { type: 'drill.step'; drill: Drill; step: DrillStep }
  /** Any change of a drill record besides a step; `finished` when it left `running`. */
  | { type: 'drill.changed'; drill: Drill; finished: boolean }
  | { type: 'postmortem.created'; postmortem: Postmortem; actor: string }
  /** Its text or its status changed (`previous.status` tells a review or publication). */
  | {
      type: 'postmortem.changed';
      postmortem: Postmortem;
      previous: Postmortem;
      actor: string;
    }
  | {
      type: 'action-item.changed';
      actionItem: ActionItem;
      /** True for a new action item. */
      created: boolean;
      actor: string;
    };

/** Hears every event; its failure is logged and never fails the write. */
export type OpsEventListener = (event: OpsEvent) => Promise<void> | void;

/** In-process fan-out of record changes to the listeners registered at start-up. */
export class OpsEvents {
  readonly #listeners: OpsEventListener[] = [];
  readonly #pending = new Set<Promise<void>>();
  readonly #logger?: LoggerService;

  constructor(options: { logger?: LoggerService } = {}) {
    this.#logger = options.logger;
  }

  subscribe(listener: OpsEventListener): void {
    this.#listeners.push(listener);
  }

  /**
   * Hands the event to every listener without waiting for them: the writer's
   * response does not wait on Slack or the catalog.
   */
  emit(event: OpsEvent): void {
    for (const listener of this.#listeners) {
      const run = Promise.resolve()
        .then(() => listener(event))
        .catch(error => {
          this.#logger?.warn(
            `OpsDeck could not deliver ${event.type}: ${error}`,
          );
        })
        .finally(() => this.#pending.delete(run));
      this.#pending.add(run);
    }
  }

  /** Resolves when every listener call started so far has finished (tests, shutdown). */
  async settled(): Promise<void> {
    while (this.#pending.size > 0) {
      await Promise.all([...this.#pending]);
    }
  }
}
