import { usePermission } from '@backstage/plugin-permission-react';
import { opsIncidentWritePermission } from '@opsdeck/plugin-ops-common';

/**
 * Whether the user may change the post-mortems and action items of an
 * entity: the backend asks for the incident write permission (the ownership
 * rule), so the page asks the same question. The reason they may not, if not.
 */
export function usePostmortemWriteAccess(entityRef: string | undefined): {
  deniedReason?: string;
} {
  const { allowed, loading } = usePermission({
    permission: opsIncidentWritePermission,
    resourceRef: entityRef,
  });
  if (loading || !entityRef) {
    return { deniedReason: 'Checking your permissions…' };
  }
  if (!allowed) {
    return {
      deniedReason:
        'Only the owners of this service can change its post-mortems and action items',
    };
  }
  return {};
}
