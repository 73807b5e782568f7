import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { personLabel, useCatalogPeople } from '../shared/catalogUsers';

/** A user or group of the catalog, as the owner picker offers it. */
export interface OwnerOption {
  ref: string;
  label: string;
  kind: 'User' | 'Group';
}

/** The catalog's teams first, then its users, each by the name people know. */
export function ownerOptions(entities: Entity[]): OwnerOption[] {
  return entities
    .map(entity => ({
      ref: stringifyEntityRef(entity),
      label: personLabel(entity),
      kind: (entity.kind === 'Group' ? 'Group' : 'User') as OwnerOption['kind'],
    }))
    .sort(
      (a, b) =>
        a.kind.localeCompare(b.kind, 'en') ||
        a.label.localeCompare(b.label, 'en'),
    );
}

/** Who may own an action item: the catalog's groups and users. */
export const useOwnerOptions = () =>
  useCatalogPeople(['User', 'Group'], ownerOptions);
