import { readFileSync } from 'node:fs';
import { Config } from '@backstage/config';
import { AppsV1Api, KubeConfig } from '@kubernetes/client-node';

/**
 * A cluster OpsDeck reads and rolls back Deployments in.
 *
 * @public
 */
export interface KubernetesCluster {
  name: string;
  url: string;
  /** Bearer token of the service account OpsDeck acts as. */
  serviceAccountToken?: string;
  skipTLSVerify: boolean;
  /** Base64 PEM of the cluster's certificate authority. */
  caData?: string;
  /** Path of a PEM file of the cluster's certificate authority. */
  caFile?: string;
}

// The keys Backstage's Kubernetes plugin uses in a cluster's authMetadata.
const AUTH_PROVIDER = 'kubernetes.io/auth-provider';
const SERVICE_ACCOUNT_TOKEN = 'kubernetes.io/service-account-token';
const IN_CLUSTER_TOKEN = '/var/run/secrets/kubernetes.io/serviceaccount/token';

/**
 * The clusters of `kubernetes.clusterLocatorMethods` entries of type
 * `config`, read as Backstage's Kubernetes plugin reads them, so clusters
 * are configured once for both. What OpsDeck cannot use (other locator
 * types, clusters with another auth provider than serviceAccount) is not an
 * error, since the Kubernetes plugin may well use it: it is described in
 * `skipped` and `otherLocatorTypes`, so the caller can say so.
 *
 * @public
 */
export function readKubernetesClusters(config: Config): {
  clusters: KubernetesCluster[];
  /** Why a configured cluster is not used, one message a cluster. */
  skipped: string[];
  /** Locator types other than `config` (catalog, gke, ...), not read. */
  otherLocatorTypes: string[];
} {
  const clusters: KubernetesCluster[] = [];
  const skipped: string[] = [];
  const otherLocatorTypes: string[] = [];
  for (const method of config.getOptionalConfigArray(
    'kubernetes.clusterLocatorMethods',
  ) ?? []) {
    const type = method.getString('type');
    if (type !== 'config') {
      otherLocatorTypes.push(type);
      continue;
    }
    for (const cluster of method.getConfigArray('clusters')) {
      const name = cluster.getString('name');
      if (clusters.some(c => c.name === name)) {
        throw new Error(`Duplicate Kubernetes cluster name '${name}'`);
      }
      const authMetadata =
        cluster.getOptional<Record<string, string>>('authMetadata');
      const authProvider =
        authMetadata?.[AUTH_PROVIDER] ??
        cluster.getOptionalString('authProvider');
      if (!authProvider) {
        throw new Error(
          `Kubernetes cluster '${name}' has no auth provider configured; set 'authProvider' or 'authMetadata.${AUTH_PROVIDER}'`,
        );
      }
      if (authProvider !== 'serviceAccount') {
        skipped.push(
          `Kubernetes cluster '${name}': authProvider '${authProvider}' is not supported by OpsDeck, which acts with its own service account; use serviceAccount`,
        );
        continue;
      }
      clusters.push({
        name,
        url: cluster.getString('url'),
        serviceAccountToken:
          authMetadata?.[SERVICE_ACCOUNT_TOKEN] ??
          cluster.getOptionalString('serviceAccountToken'),
        skipTLSVerify: cluster.getOptionalBoolean('skipTLSVerify') ?? false,
        caData: cluster.getOptionalString('caData'),
        caFile: cluster.getOptionalString('caFile'),
      });
    }
  }
  return { clusters, skipped, otherLocatorTypes };
}

function serviceAccountToken(cluster: KubernetesCluster): string | undefined {
  if (cluster.serviceAccountToken) return cluster.serviceAccountToken;
  try {
    // Running inside the cluster: the pod's own service account.
    return readFileSync(IN_CLUSTER_TOKEN, 'utf8').trim();
  } catch {
    return undefined;
  }
}

/**
 * A client of the cluster's `apps/v1` API.
 *
 * @public
 */
export function appsApiFor(cluster: KubernetesCluster): AppsV1Api {
  const kubeConfig = new KubeConfig();
  const token = serviceAccountToken(cluster);
  kubeConfig.loadFromOptions({
    clusters: [
      {
        name: cluster.name,
        server: cluster.url,
        skipTLSVerify: cluster.skipTLSVerify,
        caData: cluster.caData,
        caFile: cluster.caFile,
      },
    ],
    users: [{ name: 'opsdeck', ...(token ? { token } : {}) }],
    contexts: [{ name: cluster.name, cluster: cluster.name, user: 'opsdeck' }],
    currentContext: cluster.name,
  });
  return kubeConfig.makeApiClient(AppsV1Api);
}
