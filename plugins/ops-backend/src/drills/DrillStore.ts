import {
  Drill,
  DrillFilter,
  DrillKind,
  DrillStatus,
  DrillStep,
  RecordPage,
} from '@opsdeck/plugin-ops-common';

/** The stored fields of a drill that a change may set (steps have their own method). */
export type DrillFields = Omit<
  Drill,
  'id' | 'steps' | 'version' | 'createdAt' | 'updatedAt'
>;
/**
 * Where drills and their steps are kept.
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
export interface DrillStore {
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
  /** Newest `startedAt` first, then id; `limit` defaults to `RECORD_LIMITS.defaultPageSize`, at most `maxPageSize`. */
  listDrills(filter: DrillFilter): Promise<RecordPage<Drill>>;
  /** Without `expectedVersion`, applies to the latest version. */
  updateDrill(
    id: string,
    patch: Partial<DrillFields>,
    options: { expectedVersion?: number },
  ): Promise<Drill>;
  /** Creates the step named `step.name`, or replaces it; keeps step order of first creation. */
  upsertDrillStep(drillId: string, step: DrillStep): Promise<Drill>;
  /** For metrics: drills counted by kind and status. */
  countDrills(): Promise<
    Array<{ kind: DrillKind; status: DrillStatus; count: number }>
  >;
}
