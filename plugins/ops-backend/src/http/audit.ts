import {
  AuditorService,
  AuditorServiceEventSeverityLevel,
} from '@backstage/backend-plugin-api';
import { JsonObject } from '@backstage/types';
import { Request } from 'express';

/**
 * Records an access in the audit log with its outcome, so every decision (a
 * write, a refused write, a read of records, a hidden record) is there.
 */
export type Audited = <T>(
  req: Request,
  eventId: string,
  meta: JsonObject,
  access: () => Promise<T>,
  severityLevel?: AuditorServiceEventSeverityLevel,
) => Promise<T>;

/** The one {@link Audited} of the plugin, on the auditor service. */
export function createAudited(auditor: AuditorService): Audited {
  return async (req, eventId, meta, access, severityLevel = 'medium') => {
    const event = await auditor.createEvent({
      eventId,
      severityLevel,
      request: req,
      meta,
    });
    try {
      const result = await access();
      await event.success({ meta: { id: idOf(result) } });
      return result;
    } catch (error) {
      await event.fail({ error: toError(error) });
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

function toError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
