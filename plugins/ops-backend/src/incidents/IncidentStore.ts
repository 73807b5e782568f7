import {
  Incident,
  IncidentEvent,
  IncidentEventType,
  IncidentFilter,
  RecordPage,
} from '@opsdeck/plugin-ops-common';

/** A timeline entry to write together with a change. */
export interface NewIncidentEvent {
  type: IncidentEventType;
  message: string;
  data?: Record<string, unknown>;
}

/** The stored fields of an incident that a change may set. */
export type IncidentFields = Omit<
  Incident,
  'id' | 'version' | 'createdBy' | 'createdAt' | 'updatedBy' | 'updatedAt'
>;
/**
 * Where incidents and their timelines are kept.
 *
 * Guarantees: every method is atomic (a change and the timeline events that
 * describe it are written in one transaction, or not at all); a change that
 * names an `expectedVersion` other than the stored one fails with
 * `ConflictError` and writes nothing, also under concurrent writers on
 * PostgreSQL; unknown ids fail with `NotFoundError`. The store does no
 * validation of meaning (that is the service's job) and no authorization.
 * Optional fields that are `undefined` are stored as absent; in a patch,
 * `undefined` leaves the field as it is.
 */
export interface IncidentStore {
  createIncident(
    fields: IncidentFields,
    options: { actor: string; events: NewIncidentEvent[] },
  ): Promise<Incident>;
  getIncident(id: string): Promise<Incident | undefined>;
  /** Newest `detectedAt` first, then id; `limit` defaults to `RECORD_LIMITS.defaultPageSize`, at most `maxPageSize`. */
  listIncidents(filter: IncidentFilter): Promise<RecordPage<Incident>>;
  updateIncident(
    id: string,
    patch: Partial<IncidentFields>,
    options: {
      actor: string;
      expectedVersion: number;
      events: NewIncidentEvent[];
    },
  ): Promise<Incident>;
  /** Oldest first. */
  listIncidentEvents(incidentId: string): Promise<IncidentEvent[]>;
  /**
   * The latest `limit` events before `cursor` (all when absent), oldest first
   * within the page; `nextCursor` leads to the earlier ones.
   */
  listIncidentEventPage(
    incidentId: string,
    page: { cursor?: string; limit?: number },
  ): Promise<RecordPage<IncidentEvent>>;
  appendIncidentEvent(
    incidentId: string,
    event: NewIncidentEvent,
    options: { actor: string },
  ): Promise<IncidentEvent>;
  /** For metrics: incidents not resolved, counted by entity and severity. */
  countOpenIncidents(): Promise<
    Array<{ entityRef: string; severity: string; count: number }>
  >;
}
