/**
 * The path of the rollback template with its form filled in for one
 * revision of one workload, starting with a dry run.
 */
export function rollbackTemplatePath(options: {
  entityRef: string;
  cluster: string;
  namespace: string;
  deployment: string;
  toRevision: number;
}): string {
  const formData = {
    service: options.entityRef,
    cluster: options.cluster,
    namespace: options.namespace,
    deployment: options.deployment,
    toRevision: options.toRevision,
    mode: 'dry-run',
  };
  return `/create/templates/default/ops-rollback?formData=${encodeURIComponent(
    JSON.stringify(formData),
  )}`;
}
