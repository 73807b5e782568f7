import { SignalsService } from '@backstage/plugin-signals-node';
import {
  OpsChangeSignal,
  opsEntitySignalChannel,
} from '@opsdeck/plugin-ops-common';
import { OpsEvent } from '../events/OpsEvents';

/** The record an event is about, as a signal names it. */
function signalOf(event: OpsEvent): {
  entityRef: string;
  message: OpsChangeSignal;
} {
  if ('incident' in event) {
    const { incident } = event;
    return {
      entityRef: incident.entityRef,
      message: { kind: 'incident', id: incident.id, type: event.type },
    };
  }
  if ('postmortem' in event) {
    const { postmortem } = event;
    return {
      entityRef: postmortem.entityRef,
      message: { kind: 'postmortem', id: postmortem.id, type: event.type },
    };
  }
  if ('actionItem' in event) {
    const { actionItem } = event;
    return {
      entityRef: actionItem.entityRef,
      message: { kind: 'action-item', id: actionItem.id, type: event.type },
    };
  }
  const { drill } = event;
  return {
    entityRef: drill.entityRef,
    message: { kind: 'drill', id: drill.id, type: event.type },
  };
}

/**
 * Tells the open Operations tabs and incident pages of an entity that one of
 * its records changed, so that they read it again without a reload.
 *
 * Published to everyone subscribed to the entity's channel (a broadcast):
 * signals can only address users and groups by ownership, while who may read
 * an entity is decided by the permission policy on each request and cannot be
 * listed. Addressing the owners would leave every other reader of the entity
 * (a responder of another team, a stakeholder) with a stale page. The message
 * therefore carries only the record's kind, id and the change; the card reads
 * the record through the API, which answers only readers of the entity.
 */
export class OpsSignals {
  readonly #signals: SignalsService;

  constructor(signals: SignalsService) {
    this.#signals = signals;
  }

  /** An OpsEvents listener; a failure is logged by OpsEvents. */
  readonly publish = async (event: OpsEvent): Promise<void> => {
    const { entityRef, message } = signalOf(event);
    await this.#signals.publish<OpsChangeSignal>({
      recipients: { type: 'broadcast' },
      channel: opsEntitySignalChannel(entityRef),
      message,
    });
  };
}
