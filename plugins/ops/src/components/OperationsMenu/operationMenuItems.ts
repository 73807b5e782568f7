import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { useEntity } from '@backstage/plugin-catalog-react';
import {
  databaseTargetsOf,
  ECOSYSTEM_ANNOTATIONS,
} from '@opsdeck/plugin-ops-common';
import {
  OPERATION_TEMPLATES,
  OperationTemplate,
  useFailoverTargets,
  useOperationTemplateLink,
} from '../shared';

/** Entities with a database target: backup drills and failovers apply. */
export function hasDatabaseTargets(entity: Entity): boolean {
  return databaseTargetsOf(entity).length > 0;
}

/** Entities that run in Kubernetes: rollbacks apply. */
export function runsInKubernetes(entity: Entity): boolean {
  return Boolean(
    entity.metadata.annotations?.[ECOSYSTEM_ANNOTATIONS.kubernetesId],
  );
}

/**
 * The entity menu's item for one operation: opens its template with the
 * entity (and its only database target, when it has one) filled in, as a
 * dry run. Disabled, not hidden, when the app binds no scaffolder, so the
 * person learns the operation exists, or when none of the entity's targets
 * can run it (a failover of MySQL targets only).
 */
function useOperationMenuItem(
  title: string,
  template: OperationTemplate,
  /** The database targets it can run on; none for a rollback. */
  targets?: string[],
) {
  const templateLink = useOperationTemplateLink();
  const { entity } = useEntity();
  if (!templateLink || targets?.length === 0) {
    return { title, disabled: true, onClick: () => {} };
  }
  const formData: Record<string, unknown> = {
    service: stringifyEntityRef(entity),
  };
  if (targets?.length === 1) {
    formData.target = targets[0];
  }
  if (template !== OPERATION_TEMPLATES.backupDrill) {
    formData.mode = 'dry-run';
  }
  return { title, href: templateLink(template, formData) };
}

export const useBackupDrillMenuItem = () =>
  useOperationMenuItem(
    'Run backup drill',
    OPERATION_TEMPLATES.backupDrill,
    databaseTargetsOf(useEntity().entity),
  );
export const useFailoverMenuItem = () =>
  useOperationMenuItem(
    'Fail over database',
    OPERATION_TEMPLATES.failover,
    useFailoverTargets(databaseTargetsOf(useEntity().entity)),
  );
export const useRollbackMenuItem = () =>
  useOperationMenuItem('Roll back deployment', OPERATION_TEMPLATES.rollback);
