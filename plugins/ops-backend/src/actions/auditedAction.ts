import {
  AuditorService,
  AuditorServiceEventSeverityLevel,
  BackstageCredentials,
} from '@backstage/backend-plugin-api';
import { JsonObject } from '@backstage/types';
import { actorOf } from '../access/actor';

/**
 * Runs an action's access to records and records it in the audit log with
 * its outcome, as the HTTP routes do (http/audit.ts). An action has no
 * request for the auditor to read the caller from, so the actor and the
 * channel go into the event's meta.
 */
export type AuditedAction = <T>(
  options: {
    eventId: string;
    meta: JsonObject;
    credentials: BackstageCredentials;
    severityLevel?: AuditorServiceEventSeverityLevel;
  },
  access: () => Promise<T>,
) => Promise<T>;

/** The one {@link AuditedAction} of the plugin's actions, on the auditor service. */
export function createAuditedAction(auditor: AuditorService): AuditedAction {
  return async (options, access) => {
    const { eventId, meta, credentials, severityLevel = 'medium' } = options;
    const event = await auditor.createEvent({
      eventId,
      severityLevel,
      meta: { ...meta, actor: actorOf(credentials), via: 'actions-registry' },
    });
    try {
      const result = await access();
      await event.success({ meta: { id: idOf(result) } });
      return result;
    } catch (error) {
      await event.fail({
        error: error instanceof Error ? error : new Error(String(error)),
      });
      throw error;
    }
  };
}

function idOf(result: unknown): string | null {
  if (typeof result === 'object' && result !== null && 'id' in result) {
    return typeof result.id === 'string' ? result.id : null;
  }
  return null;
}
