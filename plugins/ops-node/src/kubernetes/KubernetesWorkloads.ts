import { Config } from '@backstage/config';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { NotFoundError } from '@backstage/errors';
import { AppsV1Api, V1Deployment, V1ReplicaSet } from '@kubernetes/client-node';
import {
  DeploymentHistoryResponse,
  readTargetBinding,
  TargetBinding,
  targetBindingRefusal,
} from '@opsdeck/plugin-ops-common';
import { DeploymentHistorySource } from '../deploymentHistory';
import {
  appsApiFor,
  KubernetesCluster,
  readKubernetesClusters,
} from './clusters';
import { workloadHistoryOf } from './revisions';

/** The annotations of Backstage's Kubernetes plugin. */
const KUBERNETES_ID = 'backstage.io/kubernetes-id';
const KUBERNETES_LABEL_SELECTOR = 'backstage.io/kubernetes-label-selector';
const KUBERNETES_NAMESPACE = 'backstage.io/kubernetes-namespace';

/**
 * The Deployments of an entity in one cluster, with the ReplicaSets that
 * carry the same label.
 *
 * @public
 */
export interface ClusterWorkloads {
  cluster: KubernetesCluster;
  api: AppsV1Api;
  deployments: V1Deployment[];
  replicaSets: V1ReplicaSet[];
}

/** Where the workloads OpsDeck may act on are bound to entities. */
const KUBERNETES_WORKLOADS_CONFIG_KEY = 'ops.kubernetes.workloads';

/**
 * A Deployment OpsDeck may act on (roll back), with the entities allowed
 * to: an entry of `ops.kubernetes.workloads`.
 *
 * @public
 */
export interface WorkloadBinding {
  /** Cluster name; every configured cluster when absent. */
  cluster?: string;
  namespace: string;
  deployment: string;
  binding: TargetBinding | undefined;
}

/**
 * Reads `ops.kubernetes.workloads`.
 *
 * @public
 */
export function readWorkloadBindings(config: Config): WorkloadBinding[] {
  return (
    config.getOptionalConfigArray(KUBERNETES_WORKLOADS_CONFIG_KEY) ?? []
  ).map((workload, index) => ({
    cluster: workload.getOptionalString('cluster'),
    namespace: workload.getString('namespace'),
    deployment: workload.getString('deployment'),
    binding: readTargetBinding(
      workload,
      `${KUBERNETES_WORKLOADS_CONFIG_KEY}[${index}]`,
    ),
  }));
}

/**
 * The label selector of an entity's workloads, as Backstage's Kubernetes
 * plugin selects them: `backstage.io/kubernetes-label-selector`, else
 * `backstage.io/kubernetes-id=<id>`. Undefined without either annotation.
 *
 * @public
 */
export function labelSelectorOf(entity: Entity): string | undefined {
  const annotations = entity.metadata.annotations ?? {};
  if (annotations[KUBERNETES_LABEL_SELECTOR]) {
    return annotations[KUBERNETES_LABEL_SELECTOR];
  }
  const id = annotations[KUBERNETES_ID];
  return id ? `${KUBERNETES_ID}=${id}` : undefined;
}

/**
 * Finds an entity's Deployments and their ReplicaSets in the clusters of
 * `kubernetes.clusterLocatorMethods`, and is the Kubernetes deployment
 * history source.
 *
 * Each cluster costs two list calls with the entity's label selector (one
 * for Deployments, one for ReplicaSets), in all namespaces or in the one of
 * `backstage.io/kubernetes-namespace`, never one call per object. The pods'
 * template must carry the label too (as Backstage's Kubernetes plugin
 * requires), since ReplicaSets copy their labels from it.
 *
 * @public
 */
export class KubernetesWorkloads implements DeploymentHistorySource {
  readonly id = 'kubernetes';

  static fromConfig(config: Config): KubernetesWorkloads {
    const { clusters, skipped } = readKubernetesClusters(config);
    return new KubernetesWorkloads(clusters, {
      skipped,
      bindings: readWorkloadBindings(config),
    });
  }

  /** What of the configuration is not used, reported with every history. */
  readonly skipped: string[];
  private readonly makeApi: (cluster: KubernetesCluster) => AppsV1Api;
  private readonly bindings: WorkloadBinding[];

  constructor(
    readonly clusters: KubernetesCluster[],
    options: {
      skipped?: string[];
      makeApi?: (cluster: KubernetesCluster) => AppsV1Api;
      /** The workloads OpsDeck may act on; default none. */
      bindings?: WorkloadBinding[];
    } = {},
  ) {
    this.skipped = options.skipped ?? [];
    this.makeApi = options.makeApi ?? appsApiFor;
    this.bindings = options.bindings ?? [];
  }

  /**
   * Why the entity may not act on (roll back) the Deployment, or undefined
   * when an entry of `ops.kubernetes.workloads` binds it to the entity or
   * its owner. A Deployment no entry names is refused: carrying an entity's
   * kubernetes-id label never makes it that entity's.
   */
  actionRefusal(
    entity: Entity,
    workload: { cluster: string; namespace: string; deployment: string },
  ): string | undefined {
    const index = this.bindings.findIndex(
      b =>
        (b.cluster === undefined || b.cluster === workload.cluster) &&
        b.namespace === workload.namespace &&
        b.deployment === workload.deployment,
    );
    const name = `${workload.cluster}/${workload.namespace}/${workload.deployment}`;
    if (index < 0) {
      return `The Deployment ${name} is bound to no entity, so ${stringifyEntityRef(
        entity,
      )} may not act on it: an admin must add it to ${KUBERNETES_WORKLOADS_CONFIG_KEY} (cluster, namespace, deployment) with the entities or owners allowed to`;
    }
    return targetBindingRefusal({
      entity,
      target: `Deployment ${name}`,
      key: `${KUBERNETES_WORKLOADS_CONFIG_KEY}[${index}]`,
      binding: this.bindings[index].binding,
    });
  }

  /** A configured cluster by name; NotFoundError naming the known ones. */
  cluster(name: string): KubernetesCluster {
    const cluster = this.clusters.find(c => c.name === name);
    if (!cluster) {
      throw new NotFoundError(
        `No Kubernetes cluster '${name}' in kubernetes.clusterLocatorMethods; configured: ${
          this.clusters.map(c => c.name).join(', ') || 'none'
        }`,
      );
    }
    return cluster;
  }

  /** The entity's workloads in one cluster. */
  async inCluster(
    entity: Entity,
    cluster: KubernetesCluster,
  ): Promise<ClusterWorkloads> {
    const labelSelector = labelSelectorOf(entity);
    const api = this.makeApi(cluster);
    if (!labelSelector) {
      return { cluster, api, deployments: [], replicaSets: [] };
    }
    const namespace =
      entity.metadata.annotations?.[KUBERNETES_NAMESPACE] || undefined;
    const [deployments, replicaSets] = await Promise.all([
      namespace
        ? api.listNamespacedDeployment({ namespace, labelSelector })
        : api.listDeploymentForAllNamespaces({ labelSelector }),
      namespace
        ? api.listNamespacedReplicaSet({ namespace, labelSelector })
        : api.listReplicaSetForAllNamespaces({ labelSelector }),
    ]);
    return {
      cluster,
      api,
      deployments: deployments.items,
      replicaSets: replicaSets.items,
    };
  }

  async getHistory(entity: Entity): Promise<DeploymentHistoryResponse> {
    const response: DeploymentHistoryResponse = { items: [], errors: [] };
    if (!labelSelectorOf(entity)) return response;
    for (const message of this.skipped) {
      response.errors.push({ source: this.id, message });
    }
    const results = await Promise.allSettled(
      this.clusters.map(cluster => this.inCluster(entity, cluster)),
    );
    results.forEach((result, index) => {
      const cluster = this.clusters[index].name;
      if (result.status === 'rejected') {
        response.errors.push({
          source: this.id,
          cluster,
          message: `Could not list the Deployments of ${stringifyEntityRef(
            entity,
          )}: ${(result.reason as Error)?.message ?? result.reason}`,
        });
        return;
      }
      for (const deployment of result.value.deployments) {
        response.items.push(
          workloadHistoryOf(cluster, deployment, result.value.replicaSets),
        );
      }
    });
    return response;
  }
}
