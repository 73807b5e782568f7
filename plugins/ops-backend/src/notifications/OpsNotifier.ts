import { NotificationService } from '@backstage/plugin-notifications-node';
import { Incident, IncidentEvent } from '@opsdeck/plugin-ops-common';
import { OpsEvent } from '../events/OpsEvents';
import {
  describeChange,
  drillMessage,
  incidentDeclaredMessage,
  incidentResolvedMessage,
  incidentUpdateMessage,
  MessageTemplates,
  OpsMessage,
} from './messages';
import { Audience, AudienceResolver } from './recipients';

/**
 * The note Alertmanager writes as it opens an incident (the firing alerts,
 * with the group's key) says what the declaration just said; its later
 * notes (more alerts firing, alerts resolved) are updates.
 */
function repeatsDeclaration(event: IncidentEvent): boolean {
  return event.data?.source === 'alertmanager' && 'groupKey' in event.data;
}

/** The annotation naming a service's own Slack channel (the Slack module reads it). */
export const SLACK_CHANNEL_ANNOTATION = 'slack.com/bot-notify';

/**
 * Sends one notification per event worth telling people about, to the
 * entity's owners and the person on call now. Subscribed to OpsEvents.
 */
export class OpsNotifier {
  constructor(
    private readonly deps: {
      notifications: NotificationService;
      audience: AudienceResolver;
      templates: MessageTemplates;
      /** Slack channel per incident severity, for services without their own. */
      slackChannelsBySeverity: Record<string, string>;
    },
  ) {}

  /** The OpsEvents listener. */
  readonly listener = (event: OpsEvent) => this.notify(event);

  async notify(event: OpsEvent): Promise<void> {
    const { templates } = this.deps;
    switch (event.type) {
      case 'incident.declared': {
        const { commander } = event.incident;
        const commanderName =
          commander && (await this.deps.audience.displayName(commander));
        await this.#send(
          event.incident.entityRef,
          audience =>
            incidentDeclaredMessage(templates, {
              incident: event.incident,
              service: audience.service,
              onCall: audience.primary,
              commanderName,
            }),
          event.incident,
        );
        return;
      }
      case 'incident.changed': {
        const { incident, previous } = event;
        const resolved =
          incident.status === 'resolved' && previous.status !== 'resolved';
        await this.#send(
          incident.entityRef,
          () =>
            resolved
              ? incidentResolvedMessage(templates, { incident })
              : incidentUpdateMessage(templates, {
                  incident,
                  progress: describeChange(previous, incident),
                }),
          incident,
        );
        return;
      }
      case 'incident.note':
        if (repeatsDeclaration(event.event)) return;
        await this.#send(
          event.incident.entityRef,
          () =>
            incidentUpdateMessage(templates, {
              incident: event.incident,
              progress: event.event.message,
            }),
          event.incident,
        );
        return;
      case 'drill.started':
        // Of the starts, only a failover's concerns people beyond its runner:
        // it moves production.
        if (event.drill.kind === 'failover') {
          await this.#send(event.drill.entityRef, audience =>
            drillMessage({ drill: event.drill, service: audience.service }),
          );
        }
        return;
      case 'drill.changed':
        if (event.finished) {
          await this.#send(event.drill.entityRef, audience =>
            drillMessage({ drill: event.drill, service: audience.service }),
          );
        }
        return;
      default:
        // Steps are for the live cards, not for inboxes.
        return;
    }
  }

  /** Sends a message built for the entity's audience (used by the scheduled checks too). */
  async send(
    entityRef: string,
    build: (audience: Audience) => OpsMessage,
  ): Promise<void> {
    await this.#send(entityRef, build);
  }

  async #send(
    entityRef: string,
    build: (audience: Audience) => OpsMessage,
    incident?: Incident,
  ): Promise<void> {
    const audience = await this.deps.audience.resolve(entityRef);
    const message = build(audience);
    const slackChannel = incident && this.#slackChannel(audience, incident);
    await this.deps.notifications.send({
      recipients: { type: 'entity', entityRef: audience.entityRefs },
      payload: {
        ...message,
        ...(slackChannel && { metadata: { slackChannel } }),
      },
    });
  }

  /**
   * The severity's channel of config, for a service that names no channel of
   * its own (the Slack module routes by the annotation itself).
   */
  #slackChannel(audience: Audience, incident: Incident): string | undefined {
    if (audience.entity.metadata.annotations?.[SLACK_CHANNEL_ANNOTATION]) {
      return undefined;
    }
    return this.deps.slackChannelsBySeverity[incident.severity];
  }
}
