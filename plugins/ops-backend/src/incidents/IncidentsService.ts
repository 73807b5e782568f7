import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import {
  AppendIncidentEventRequest,
  CreateIncidentRequest,
  Incident,
  IncidentEvent,
  IncidentFilter,
  IncidentStatus,
  opsIncidentWritePermission,
  RecordPage,
  SeverityLevel,
  UpdateIncidentRequest,
} from '@opsdeck/plugin-ops-common';
import { actorOf } from '../access/actor';
import { EntityAccess } from '../access/EntityAccess';
import { listReadable, readableRecord } from '../access/readablePage';
import { encodeCursor } from '../database/paging';
import { checkTimeOrder, parsePastInstant } from '../database/time';
import { OpsEvents } from '../events/OpsEvents';
import { checkEventData } from './eventData';
import {
  IncidentFields,
  IncidentStore,
  NewIncidentEvent,
} from './IncidentStore';

const STATUS_TIMESTAMP: Partial<
  Record<IncidentStatus, 'mitigatedAt' | 'resolvedAt'>
> = {
  mitigated: 'mitigatedAt',
  resolved: 'resolvedAt',
};

/** Timeline events in a page unless the caller asks for another size. */
export const DEFAULT_EVENT_PAGE_SIZE = 100;

/** Incidents and their timelines: the rules, on top of the store. */
/**
 * The timeline's words for an update: what a responder reading the timeline
 * later needs (who took command, how severe it became, when the response
 * started), the other fields by name.
 */
export function describeChanges(
  current: Incident,
  changes: Partial<Record<keyof Incident, unknown>>,
  fields: string[],
): string {
  const told: string[] = [];
  const rest: string[] = [];
  for (const field of fields) {
    if (field === 'commander') {
      told.push(
        `Commander ${current.commander ?? 'none'} → ${String(
          changes.commander,
        )}`,
      );
    } else if (field === 'severity') {
      told.push(`Severity ${current.severity} → ${String(changes.severity)}`);
    } else if (field === 'startedAt' && !current.startedAt) {
      told.push('Response started');
    } else if (field === 'rootCause') {
      told.push(
        current.rootCause ? 'Root cause changed' : 'Root cause recorded',
      );
    } else {
      rest.push(field);
    }
  }
  if (rest.length > 0) {
    told.push(`Updated ${rest.join(', ')}`);
  }
  return told.join('; ');
}

export class IncidentsService {
  readonly #severityIds: Set<string>;
  private readonly store: IncidentStore;
  private readonly access: EntityAccess;
  readonly severities: SeverityLevel[];
  readonly #events: OpsEvents;

  constructor(deps: {
    store: IncidentStore;
    access: EntityAccess;
    severities: SeverityLevel[];
    /** Hears of every committed change (notifications, live cards). */
    events?: OpsEvents;
  }) {
    this.store = deps.store;
    this.access = deps.access;
    this.severities = deps.severities;
    this.#events = deps.events ?? new OpsEvents();
    this.#severityIds = new Set(deps.severities.map(s => s.id));
  }

  #checkSeverity(severity: string | undefined) {
    if (severity !== undefined && !this.#severityIds.has(severity)) {
      throw new InputError(
        `Invalid severity '${severity}': must be one of ${[
          ...this.#severityIds,
        ].join(', ')}`,
      );
    }
  }

  async list(
    filter: IncidentFilter,
    credentials: BackstageCredentials,
  ): Promise<RecordPage<Incident>> {
    return listReadable({
      access: this.access,
      credentials,
      filter,
      list: f => this.store.listIncidents(f),
      cursorAfter: incident =>
        encodeCursor({ time: incident.detectedAt, id: incident.id }),
    });
  }

  async get(id: string, credentials: BackstageCredentials): Promise<Incident> {
    return readableRecord(
      await this.store.getIncident(id),
      `No incident with id '${id}'`,
      this.access,
      credentials,
    );
  }

  async create(
    request: CreateIncidentRequest,
    credentials: BackstageCredentials,
  ): Promise<Incident> {
    this.#checkSeverity(request.severity);
    checkTimes(request, ['detectedAt', 'startedAt']);
    checkTimeOrder(
      { field: 'startedAt', value: request.startedAt },
      { field: 'detectedAt', value: request.detectedAt },
    );
    const entity = await this.access.authorizeWrite(
      request.entityRef,
      opsIncidentWritePermission,
      credentials,
    );
    const now = new Date().toISOString();
    const status = request.status ?? 'open';
    const fields: IncidentFields = {
      entityRef: stringifyEntityRef(entity),
      title: request.title,
      severity: request.severity,
      status,
      commander: request.commander,
      summary: request.summary,
      detectedAt: request.detectedAt ?? now,
      startedAt: request.startedAt,
      mitigatedAt:
        status === 'mitigated' || status === 'resolved' ? now : undefined,
      resolvedAt: status === 'resolved' ? now : undefined,
      deploymentId: request.deploymentId,
      labels: request.labels ?? {},
    };
    const actor = actorOf(credentials);
    const incident = await this.store.createIncident(fields, {
      actor,
      events: [
        {
          type: 'created',
          message: `Declared ${request.severity}: ${request.title}`,
          data: { severity: request.severity, status },
        },
      ],
    });
    this.#events.emit({ type: 'incident.declared', incident, actor });
    return incident;
  }

  async update(
    id: string,
    request: UpdateIncidentRequest,
    credentials: BackstageCredentials,
  ): Promise<Incident> {
    this.#checkSeverity(request.severity);
    if (Object.keys(request).every(key => key === 'version')) {
      throw new InputError(
        'Nothing to change: give at least one field besides version',
      );
    }
    const current = await this.get(id, credentials);
    await this.access.authorizeWrite(
      current.entityRef,
      opsIncidentWritePermission,
      credentials,
    );

    const { version, ...changes } = request;
    const times = ['startedAt', 'mitigatedAt', 'resolvedAt'] as const;
    checkTimes(changes, times);
    if (times.some(field => changes[field] !== undefined)) {
      // every end after the start, whichever of them this request moves
      const start = changes.startedAt ?? current.startedAt;
      const begin = start
        ? { field: 'startedAt', value: start }
        : { field: 'detectedAt', value: current.detectedAt };
      for (const field of ['mitigatedAt', 'resolvedAt'] as const) {
        checkTimeOrder(begin, {
          field,
          value: changes[field] ?? current[field],
        });
      }
    }
    const patch: Partial<IncidentFields> = { ...changes };
    const events: NewIncidentEvent[] = [];
    const now = new Date().toISOString();

    if (changes.status && changes.status !== current.status) {
      const stamp = STATUS_TIMESTAMP[changes.status];
      if (stamp && !changes[stamp]) {
        patch[stamp] = now;
      }
      // Resolving what was never marked mitigated: it was mitigated then too.
      if (changes.status === 'resolved' && !current.mitigatedAt) {
        patch.mitigatedAt = patch.mitigatedAt ?? patch.resolvedAt;
      }
      events.push({
        type: 'status-changed',
        message: `Status ${current.status} → ${changes.status}`,
        data: { from: current.status, to: changes.status },
      });
    }
    const otherFields = Object.keys(changes).filter(
      key =>
        key !== 'status' &&
        JSON.stringify(changes[key as keyof typeof changes]) !==
          JSON.stringify(current[key as keyof Incident]),
    );
    if (otherFields.length > 0) {
      events.push({
        type: 'updated',
        message: describeChanges(current, changes, otherFields),
        data: { fields: otherFields },
      });
    }

    const actor = actorOf(credentials);
    const incident = await this.store.updateIncident(id, patch, {
      actor,
      expectedVersion: version,
      events,
    });
    this.#events.emit({
      type: 'incident.changed',
      incident,
      previous: current,
      actor,
    });
    return incident;
  }

  /** The latest events first by page, oldest first within a page. */
  async listEvents(
    id: string,
    page: { cursor?: string; limit?: number },
    credentials: BackstageCredentials,
  ): Promise<RecordPage<IncidentEvent>> {
    await this.get(id, credentials);
    return this.store.listIncidentEventPage(id, {
      cursor: page.cursor,
      limit: page.limit ?? DEFAULT_EVENT_PAGE_SIZE,
    });
  }

  async appendEvent(
    id: string,
    request: AppendIncidentEventRequest,
    credentials: BackstageCredentials,
  ): Promise<IncidentEvent> {
    const current = await this.get(id, credentials);
    await this.access.authorizeWrite(
      current.entityRef,
      opsIncidentWritePermission,
      credentials,
    );
    checkEventData(request.data);
    const actor = actorOf(credentials);
    const event = await this.store.appendIncidentEvent(id, request, {
      actor,
    });
    this.#events.emit({
      type: 'incident.note',
      incident: current,
      event,
      actor,
    });
    return event;
  }
}

/** Times of an incident are strict RFC 3339 and have happened. */
function checkTimes<T extends Partial<Record<F, string>>, F extends string>(
  request: T,
  fields: readonly F[],
) {
  for (const field of fields) {
    const value = request[field];
    if (typeof value === 'string') {
      parsePastInstant(value, field);
    }
  }
}
