// What a real API server's decoding into Go types does to a Deployment's
// pod template before it is stored: a null `creationTimestamp` (which
// kubectl sends, a zero time) is dropped, and every container has a
// `resources` object (a struct, never omitted). Without this a template
// kubectl patches back would differ from the ReplicaSet's it came from.

type KubernetesObject = Record<string, any>;

/** Normalizes `deployment.spec.template` in place, as the API server stores it. */
export function normalizePodTemplate(deployment: KubernetesObject): void {
  const template = deployment.spec?.template;
  if (!template) return;
  if (template.metadata?.creationTimestamp === null) {
    delete template.metadata.creationTimestamp;
  }
  for (const container of template.spec?.containers ?? []) {
    container.resources ??= {};
  }
}
