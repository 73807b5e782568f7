/**
 * Whether a readiness item is in place for a service.
 *
 * @public
 */
export const READINESS_STATUSES = ['present', 'missing'] as const;

/**
 * Whether a readiness item is in place for a service.
 *
 * @public
 */
export type ReadinessStatus = (typeof READINESS_STATUSES)[number];

/**
 * One item of the operational readiness checklist, evaluated for one entity.
 *
 * @public
 */
export interface ReadinessItem {
  /** Stable identifier, for example `slos`. */
  id: string;
  /** What a production service should have, for example "SLOs defined". */
  title: string;
  status: ReadinessStatus;
  /** What was found when present, or how to put it in place when missing. */
  detail: string;
  /** Where to read how to put the item in place. */
  documentationUrl: string;
  /**
   * Database targets the entity names but may not use (not bound to it in
   * `ops.databases.<name>`), each with the reason; only on the databases item.
   */
  refusedTargets?: ReadinessRefusal[];
}

/**
 * A database target an entity names but may not use, and why.
 *
 * @public
 */
export interface ReadinessRefusal {
  target: string;
  reason: string;
}

/**
 * The operational readiness of one entity.
 *
 * @public
 */
export interface ReadinessReport {
  entityRef: string;
  items: ReadinessItem[];
  /** Number of items present. */
  present: number;
  /** Number of items in the checklist. */
  total: number;
}
