import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { useApiHolder } from '@backstage/core-plugin-api';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import useAsync from 'react-use/esm/useAsync';

/** A user or group of the catalog, as the owner picker offers it. */
export interface OwnerOption {
  ref: string;
  label: string;
  kind: 'User' | 'Group';
}

function labelOf(entity: Entity): string {
  const profile = (entity.spec?.profile ?? {}) as { displayName?: string };
  const name = profile.displayName ?? entity.metadata.title;
  return name ? `${name} (${entity.metadata.name})` : entity.metadata.name;
}

/** The catalog's teams first, then its users, each by the name people know. */
export function ownerOptions(entities: Entity[]): OwnerOption[] {
  return entities
    .map(entity => ({
      ref: stringifyEntityRef(entity),
      label: labelOf(entity),
      kind: (entity.kind === 'Group' ? 'Group' : 'User') as OwnerOption['kind'],
    }))
    .sort(
      (a, b) =>
        a.kind.localeCompare(b.kind, 'en') ||
        a.label.localeCompare(b.label, 'en'),
    );
}

/** Who may own an action item: the catalog's groups and users. */
export function useOwnerOptions() {
  // Optional: an app without the catalog still shows the post-mortem.
  const catalogApi = useApiHolder().get(catalogApiRef);
  return useAsync(async () => {
    if (!catalogApi) {
      throw new Error('this app has no catalog');
    }
    const { items } = await catalogApi.getEntities({
      filter: { kind: ['User', 'Group'] },
      fields: [
        'kind',
        'metadata.name',
        'metadata.namespace',
        'metadata.title',
        'spec.profile.displayName',
      ],
    });
    return ownerOptions(items);
  }, [catalogApi]);
}
