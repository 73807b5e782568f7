import {
  BackstageCredentials,
  createExtensionPoint,
} from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import { OnCallLevelStatus } from '@opsdeck/plugin-ops-common';

/**
 * What a provider answers for one entity; the ops backend adds the entity
 * ref, the provider id and the time asked.
 *
 * @public
 */
export interface OnCallProviderResult {
  /** `unavailable` when the provider's system could not be reached. */
  state: 'ok' | 'unavailable';
  /** The schedule's name or id in the provider. */
  schedule?: string;
  /** Why it is unavailable, or what needs fixing. Shown on the card. */
  messages?: string[];
  /** Levels in escalation order; contact details when the provider has them. */
  levels: OnCallLevelStatus[];
  /** Link to the schedule in the provider's own UI. */
  url?: string;
}

/**
 * Tells who is on call for an entity. Each entity has one provider: the
 * first registered one whose `appliesTo` accepts it; the built-in schedules
 * (`opsdeck.dev/oncall-schedule`) come last.
 *
 * @public
 */
export interface OnCallProvider {
  /** Short stable id, e.g. `pagerduty`; shown as the source on the card. */
  id: string;
  /** Whether this provider answers for the entity, usually by an annotation. */
  appliesTo(entity: Entity): boolean;
  /**
   * Who is on call at `at`. A provider whose system is down returns
   * `state: 'unavailable'` with a message rather than throwing, so the card
   * can say so; a throw is reported the same way by the ops backend.
   * Contacts missing from the answer are filled in from the User entities.
   */
  getOnCall(
    entity: Entity,
    options: { at: Date; credentials: BackstageCredentials },
  ): Promise<OnCallProviderResult>;
}

/**
 * Lets backend modules add on-call providers.
 *
 * @public
 */
export interface OpsOnCallExtensionPoint {
  addProvider(provider: OnCallProvider): void;
}

/**
 * Extension point for on-call providers (PagerDuty, Opsgenie, ...).
 *
 * @public
 */
export const opsOnCallExtensionPoint =
  createExtensionPoint<OpsOnCallExtensionPoint>({
    id: 'ops.oncall',
  });
