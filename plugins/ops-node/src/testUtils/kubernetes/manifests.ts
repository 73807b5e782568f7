// Deployment manifests for tests and the demo, shaped as `kubectl apply`
// would send them.

/** @public */
export interface DeploymentManifestOptions {
  name: string;
  namespace?: string;
  /** The entity's `backstage.io/kubernetes-id`, on the Deployment and its pods. */
  kubernetesId: string;
  image: string;
  replicas?: number;
  changeCause?: string;
  progressDeadlineSeconds?: number;
  paused?: boolean;
}

/**
 * A Deployment manifest whose pods carry the entity's label.
 *
 * @public
 */
export function deploymentManifest(options: DeploymentManifestOptions) {
  const labels = {
    app: options.name,
    'backstage.io/kubernetes-id': options.kubernetesId,
  };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name: options.name,
      namespace: options.namespace ?? 'default',
      labels,
      ...(options.changeCause
        ? { annotations: { 'kubernetes.io/change-cause': options.changeCause } }
        : {}),
    },
    spec: {
      replicas: options.replicas ?? 3,
      ...(options.progressDeadlineSeconds !== undefined
        ? { progressDeadlineSeconds: options.progressDeadlineSeconds }
        : {}),
      ...(options.paused ? { paused: true } : {}),
      selector: { matchLabels: { app: options.name } },
      template: {
        metadata: { labels },
        spec: {
          containers: [
            {
              name: 'app',
              image: options.image,
              ports: [{ name: 'http', containerPort: 8080 }],
            },
          ],
        },
      },
    },
  };
}

/**
 * Deploys a new image as `kubectl set image` and
 * `kubectl annotate kubernetes.io/change-cause=...` would.
 *
 * @public
 */
export function setImage(image: string, changeCause?: string) {
  return (deployment: Record<string, any>) => {
    deployment.spec.template.spec.containers[0].image = image;
    if (changeCause) {
      deployment.metadata.annotations = {
        ...deployment.metadata.annotations,
        'kubernetes.io/change-cause': changeCause,
      };
    }
  };
}

/**
 * A Deployment with a history: created with the first release, then each
 * further one rolled out in turn (revisions 1 to n), `secondsApart` of
 * cluster time apart.
 *
 * @public
 */
export function deployReleases(
  server: {
    createDeployment(manifest: Record<string, any>): unknown;
    updateDeployment(
      namespace: string,
      name: string,
      change: (deployment: Record<string, any>) => void,
      options?: { rollOut?: boolean },
    ): unknown;
    advanceClock(seconds: number): void;
  },
  options: Omit<DeploymentManifestOptions, 'image' | 'changeCause'> & {
    releases: Array<{ image: string; changeCause?: string }>;
    secondsApart?: number;
  },
): void {
  const { releases, secondsApart = 0, ...manifest } = options;
  const [first, ...later] = releases;
  server.createDeployment(deploymentManifest({ ...manifest, ...first }));
  for (const release of later) {
    server.advanceClock(secondsApart);
    server.updateDeployment(
      manifest.namespace ?? 'default',
      manifest.name,
      setImage(release.image, release.changeCause),
      { rollOut: true },
    );
  }
}
