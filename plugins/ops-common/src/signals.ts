/**
 * The signal OpsDeck publishes when a record of an entity changes: which
 * record, and what happened to it. Nothing more, since a signal is not
 * filtered by the permission policy: the card that hears it reads the record
 * again through the API, which answers only those who may read the entity.
 *
 * @public
 */
export type OpsChangeSignal = {
  kind: 'incident' | 'drill' | 'postmortem' | 'action-item';
  /** The record's id. */
  id: string;
  /** The change, e.g. `incident.declared`, `drill.step`. */
  type: string;
};

/**
 * The signals channel of an entity's OpsDeck records.
 *
 * @param entityRef - the entity ref as the records store it (`stringifyEntityRef`)
 * @public
 */
export function opsEntitySignalChannel(entityRef: string): string {
  return `opsdeck:entity:${entityRef}`;
}
