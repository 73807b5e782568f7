import { createPermission } from '@backstage/plugin-permission-common';
import { RESOURCE_TYPE_CATALOG_ENTITY } from '@backstage/plugin-catalog-common/alpha';

// Every OpsDeck write acts on one catalog entity (a service), so each
// permission is a resource permission on that entity: a policy can grant it
// conditionally, for example to the members of the entity's owning group.

/**
 * Declare an incident on an entity, or change one of its incidents.
 *
 * @public
 */
export const opsIncidentWritePermission = createPermission({
  name: 'ops.incident.write',
  attributes: { action: 'update' },
  resourceType: RESOURCE_TYPE_CATALOG_ENTITY,
});

/**
 * Record or change drill results of an entity.
 *
 * @public
 */
export const opsDrillWritePermission = createPermission({
  name: 'ops.drill.write',
  attributes: { action: 'update' },
  resourceType: RESOURCE_TYPE_CATALOG_ENTITY,
});

/**
 * Run an operation that acts on the entity's production systems: a rollback,
 * a backup-restore drill or a failover.
 *
 * @public
 */
export const opsOperationExecutePermission = createPermission({
  name: 'ops.operation.execute',
  attributes: {},
  resourceType: RESOURCE_TYPE_CATALOG_ENTITY,
});

/**
 * Change who is on call for an entity: add or delete an override (a shift
 * swap) of its schedule. Its own permission rather than ops.incident.write,
 * so a policy can let a rota coordinator swap shifts without letting them
 * declare incidents.
 *
 * @public
 */
export const opsOnCallWritePermission = createPermission({
  name: 'ops.oncall.write',
  attributes: { action: 'update' },
  resourceType: RESOURCE_TYPE_CATALOG_ENTITY,
});

/**
 * All permissions defined by OpsDeck.
 *
 * @public
 */
export const opsPermissions = [
  opsIncidentWritePermission,
  opsDrillWritePermission,
  opsOperationExecutePermission,
  opsOnCallWritePermission,
];

/**
 * Whether a permission is one of OpsDeck's own.
 *
 * @public
 */
export function isOpsPermission(permission: { name: string }): boolean {
  return opsPermissions.some(p => p.name === permission.name);
}
