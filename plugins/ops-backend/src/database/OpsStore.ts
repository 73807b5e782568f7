import {
  Drill,
  DrillFilter,
  DrillKind,
  DrillStatus,
  DrillStep,
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

/** The stored fields of a drill that a change may set (steps have their own method). */
export type DrillFields = Omit<
  Drill,
  'id' | 'steps' | 'version' | 'createdAt' | 'updatedAt'
>;

/**
 * Where incidents, their timelines, drills and drill steps are kept.
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
export interface OpsStore {
  createIncident(
    fields: IncidentFields,
    options: { actor: string; events: NewIncidentEvent[] },
  ): Promise<Incident>;
  getIncident(id: string): Promise<Incident | undefined>;
  /** Newest `detectedAt` first, then id; `limit` defaults to 50, at most 500. */
  listIncidents(filter: IncidentFilter): Promise<RecordPage<Incident>>;
  /**
   * The incidents of `entityRefs` resolved within `[resolvedFrom,
   * resolvedTo]` (both included), together with those naming one of
   * `deploymentIds` as their cause, each once, in no particular order.
   * Whatever the number of ids.
   */
  listIncidentsResolvedOrCaused(query: {
    entityRefs: string[];
    resolvedFrom: string;
    resolvedTo: string;
    deploymentIds: string[];
  }): Promise<Incident[]>;
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
  appendIncidentEvent(
    incidentId: string,
    event: NewIncidentEvent,
    options: { actor: string },
  ): Promise<IncidentEvent>;

  /**
   * With `fields.exclusive`, the drill holds its target while running: fails
   * with `ConflictError` naming the holder when another exclusive drill of
   * the target is running, atomically also across backend instances on
   * PostgreSQL. A holder last written before `abandonedBefore` is recorded
   * as aborted first.
   */
  createDrill(
    fields: DrillFields,
    options?: { abandonedBefore?: Date },
  ): Promise<Drill>;
  getDrill(id: string): Promise<Drill | undefined>;
  /** Newest `startedAt` first, then id; `limit` defaults to 50, at most 500. */
  listDrills(filter: DrillFilter): Promise<RecordPage<Drill>>;
  /** Without `expectedVersion`, applies to the latest version. */
  updateDrill(
    id: string,
    patch: Partial<DrillFields>,
    options: { expectedVersion?: number },
  ): Promise<Drill>;
  /** Creates the step named `step.name`, or replaces it; keeps step order of first creation. */
  upsertDrillStep(drillId: string, step: DrillStep): Promise<Drill>;

  /** For metrics: incidents not resolved, counted by entity and severity. */
  countOpenIncidents(): Promise<
    Array<{ entityRef: string; severity: string; count: number }>
  >;
  /** For metrics: drills counted by kind and status. */
  countDrills(): Promise<
    Array<{ kind: DrillKind; status: DrillStatus; count: number }>
  >;
}
