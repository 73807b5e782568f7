import {
  AuditorService,
  AuditorServiceEventSeverityLevel,
  BackstageCredentials,
} from '@backstage/backend-plugin-api';
import { JsonObject } from '@backstage/types';
import { Request, Response } from 'express';
import { Credentials } from './credentials';

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

/** What the audit log records of a request. */
export interface AuditedEvent {
  eventId: string;
  meta: JsonObject;
  severityLevel?: AuditorServiceEventSeverityLevel;
  /** The response status of a success; 200 unless given. */
  status?: number;
}

/**
 * A route handler that runs `run` with the caller's credentials, records it
 * in the audit log as `describe` says, and answers with its result as JSON.
 */
export function auditedHandler<T>(
  deps: { audited: Audited; credentials: Credentials },
  describe: (req: Request) => AuditedEvent,
  run: (req: Request, credentials: BackstageCredentials) => Promise<T>,
): (req: Request, res: Response) => Promise<void> {
  return async (req, res) => {
    const { eventId, meta, severityLevel, status = 200 } = describe(req);
    const result = await deps.audited(
      req,
      eventId,
      meta,
      async () => run(req, await deps.credentials(req)),
      severityLevel,
    );
    res.status(status).json(result);
  };
}

/** A read of records, audited at `low` with what was asked. */
export function readEvent(eventId: string, meta: JsonObject): AuditedEvent {
  return { eventId, meta, severityLevel: 'low' };
}

/** A change to the record `:id`, audited with the fields the request sets. */
export function updateEvent(eventId: string, req: Request): AuditedEvent {
  const body: object = req.body;
  return { eventId, meta: { id: req.params.id, fields: Object.keys(body) } };
}

/** A new record, audited with `meta` (`medium` unless said) and answered with 201. */
export function createEvent(
  eventId: string,
  meta: JsonObject,
  severityLevel: AuditorServiceEventSeverityLevel = 'medium',
): AuditedEvent {
  return { eventId, meta, severityLevel, status: 201 };
}
