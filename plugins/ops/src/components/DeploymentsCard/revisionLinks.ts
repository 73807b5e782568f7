import {
  Deployment,
  WorkloadHistory,
  WorkloadRevision,
} from '@opsdeck/plugin-ops-common';

// The link between what CI recorded and what Kubernetes runs: a recorded
// deployment names the image it deployed to an environment, and the
// revision of a workload in the cluster of that name (the card shows the
// cluster as the environment) whose pod template runs that image is the one
// it produced. A Deployment keeps one ReplicaSet per template, so an image
// is one revision of it.

/** Where a revision's row is on the card, for links to it. */
export function revisionAnchor(
  workload: Pick<WorkloadHistory, 'cluster' | 'namespace' | 'name'>,
  revision: number,
): string {
  return `revision-${workload.cluster}-${workload.namespace}-${workload.name}-${revision}`;
}

export type RevisionLink = {
  workload: WorkloadHistory;
  revision: WorkloadRevision;
};

/**
 * The revision each recorded deployment produced (by deployment id), and the
 * recorded deployments behind each revision (by anchor), newest first.
 */
export function linkRevisions(
  workloads: WorkloadHistory[],
  deployments: Deployment[],
): {
  revisionOf: Map<string, RevisionLink>;
  deploymentsOf: Map<string, Deployment[]>;
} {
  const revisionOf = new Map<string, RevisionLink>();
  const deploymentsOf = new Map<string, Deployment[]>();
  for (const deployment of deployments) {
    if (!deployment.image) continue;
    const link = workloads
      .filter(workload => workload.cluster === deployment.environment)
      .flatMap(workload =>
        workload.revisions
          .filter(revision => revision.images.includes(deployment.image!))
          .map(revision => ({ workload, revision })),
      )[0];
    if (!link) continue;
    revisionOf.set(deployment.id, link);
    const anchor = revisionAnchor(link.workload, link.revision.revision);
    deploymentsOf.set(anchor, [
      ...(deploymentsOf.get(anchor) ?? []),
      deployment,
    ]);
  }
  for (const list of deploymentsOf.values()) {
    list.sort((a, b) => b.startedAt.localeCompare(a.startedAt));
  }
  return { revisionOf, deploymentsOf };
}
