import { Entity } from '@backstage/catalog-model';
import { OPSDECK_ANNOTATIONS } from '@opsdeck/plugin-ops-common';

/**
 * A production service owned by `owner` that lists its database targets in
 * `opsdeck.dev/databases` (none when `databases` is empty): the entity
 * every drill and failover test runs against.
 */
export function serviceWithDatabases(
  name: string,
  databases?: string,
  owner = 'team-a',
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name,
      namespace: 'default',
      annotations: databases
        ? { [OPSDECK_ANNOTATIONS.databases]: databases }
        : {},
    },
    spec: { type: 'service', lifecycle: 'production', owner },
  };
}
