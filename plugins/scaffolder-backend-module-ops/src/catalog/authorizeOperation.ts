import {
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import {
  AuthorizeResult,
  ResourcePermission,
} from '@backstage/plugin-permission-common';
import { opsOperationExecutePermission } from '@opsdeck/plugin-ops-common';

/**
 * Resolves once the user who runs the task may run the operation on the
 * entity: `ops.operation.execute` first, then each permission for what the
 * operation records (a drill, an incident). Called before the operation
 * connects to anything, dry runs included, so a refused user learns nothing
 * from the target and leaves no record.
 */
export async function authorizeOperation(options: {
  permissions: PermissionsService;
  entityRef: string;
  credentials: BackstageCredentials;
  /** What the user asked for, for the refusal: `roll back component:default/payments-api`. */
  operation: string;
  writes?: ResourcePermission<'catalog-entity'>[];
}): Promise<void> {
  const { permissions, entityRef, credentials, operation } = options;
  const required = [opsOperationExecutePermission, ...(options.writes ?? [])];
  const decisions = await permissions.authorize(
    required.map(permission => ({ permission, resourceRef: entityRef })),
    { credentials },
  );
  required.forEach((permission, index) => {
    if (decisions[index]?.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(
        `You are not allowed to ${operation}: ${permission.name} on ${entityRef} is reserved to the members of its owning group and OpsDeck admins`,
      );
    }
  });
}
