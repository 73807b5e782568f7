import { configApiRef, useApi, useRouteRef } from '@backstage/core-plugin-api';
import { selectedTemplateRouteRef } from '../../routes';

/**
 * The scaffolder templates OpsDeck ships (templates/ at the repository
 * root), by the operation they run.
 */
export const OPERATION_TEMPLATES = {
  backupDrill: { namespace: 'default', templateName: 'ops-backup-drill' },
  failover: { namespace: 'default', templateName: 'ops-db-failover' },
  rollback: { namespace: 'default', templateName: 'ops-rollback' },
} as const;

/** An operation's template; its form opens as a dry run unless the person says otherwise. */
export type OperationTemplate =
  (typeof OPERATION_TEMPLATES)[keyof typeof OPERATION_TEMPLATES];

/**
 * Builds links to an operation's template with its form filled in, or
 * returns undefined when the app binds no scaffolder (`ops.selectedTemplate`):
 * callers then hide the action instead of linking to a page that is not there.
 */
export function useOperationTemplateLink():
  | ((template: OperationTemplate, formData: Record<string, unknown>) => string)
  | undefined {
  const templateLink = useRouteRef(selectedTemplateRouteRef);
  if (!templateLink) {
    return undefined;
  }
  return (template, formData) =>
    `${templateLink(template)}?${new URLSearchParams({
      formData: JSON.stringify(formData),
    })}`;
}

/**
 * The targets among `targets` that the failover template can fail over:
 * all but MySQL and MariaDB ones (`ops.databases.<name>.engine: mysql`),
 * since `ops:postgres:failover` promotes PostgreSQL replicas only. A target
 * the app's config does not describe is kept: its engine is then only known
 * to the backend, whose preflight refuses what it cannot fail over.
 */
export function useFailoverTargets(targets: string[]): string[] {
  const databases = useApi(configApiRef).getOptionalConfig('ops.databases');
  return targets.filter(target => {
    const described = databases?.keys().includes(target);
    return (
      !described ||
      databases!.getConfig(target).getOptionalString('engine') !== 'mysql'
    );
  });
}
