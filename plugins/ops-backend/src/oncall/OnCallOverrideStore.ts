import { OnCallOverride } from '@opsdeck/plugin-ops-common';

/** The fields of an override that its author gives. */
export type OnCallOverrideFields = Omit<
  OnCallOverride,
  'id' | 'createdBy' | 'createdAt'
>;

/**
 * Where on-call overrides (shift swaps) are kept, next to the other OpsDeck
 * records. No validation of meaning, no authorization: the service does that.
 */
export interface OnCallOverrideStore {
  /**
   * Stores a new override; ConflictError when the same user already
   * overrides the same level of the entity for the same start and end.
   */
  add(
    fields: OnCallOverrideFields,
    options: { actor: string },
  ): Promise<OnCallOverride>;

  get(id: string): Promise<OnCallOverride | undefined>;

  /** The overrides of an entity that end after `endsAfter`, by start. */
  list(
    entityRef: string,
    options: { endsAfter: Date },
  ): Promise<OnCallOverride[]>;

  /** Whether there was one to delete. */
  delete(id: string): Promise<boolean>;
}
