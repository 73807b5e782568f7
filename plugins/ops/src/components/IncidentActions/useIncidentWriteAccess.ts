import { usePermission } from '@backstage/plugin-permission-react';
import { opsIncidentWritePermission } from '@opsdeck/plugin-ops-common';

/**
 * Whether the user may declare or change incidents of an entity: the
 * reason they may not, if not. Actions wait (disabled) while it is checked.
 */
export function useIncidentWriteAccess(entityRef: string): {
  deniedReason?: string;
} {
  const { allowed, loading } = usePermission({
    permission: opsIncidentWritePermission,
    resourceRef: entityRef,
  });
  if (loading) {
    return { deniedReason: 'Checking your permissions…' };
  }
  if (!allowed) {
    return {
      deniedReason:
        'Only the owners of this service can declare or change its incidents',
    };
  }
  return {};
}
