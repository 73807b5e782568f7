import { randomUUID } from 'node:crypto';
import { setCondition, updateDeploymentStatus } from './deploymentStatus';
import { normalizePodTemplate } from './defaults';
import { ApiError, status } from './errors';
import { canonical, clone } from './json';
import { FakePods } from './pods';
import {
  copiedAnnotations,
  replicaSetFor,
  REVISION,
  revisionOf,
  templateWithoutHash,
} from './replicaSets';
import { KubernetesObject } from './types';

// The in-memory cluster behind the fake API server: its Deployments and
// ReplicaSets, the resourceVersion counter and clock, and the Deployment
// controller loop that makes ReplicaSet revisions and moves rollouts
// forward, as kube-controller-manager would.

/**
 * The state and controller of the fake cluster; the HTTP layer reads and
 * writes it, tests drive it through `FakeKubernetesApiServer`.
 */
export class FakeCluster {
  #resourceVersion = 1000;
  /** Cluster time in seconds, moved forward by the controller loop. */
  #now: number;
  readonly #deployments = new Map<string, KubernetesObject>();
  readonly #replicaSets = new Map<string, KubernetesObject>();
  readonly #pods = new FakePods();
  /** When each Deployment (by uid) last made progress, in cluster seconds. */
  readonly #lastProgress = new Map<string, number>();
  readonly #secondsPerTick: number;
  /**
   * Images whose pods never become ready (a broken release): the server's
   * public set itself, so what a test adds to it counts from the next tick.
   */
  readonly #unavailableImages: ReadonlySet<string>;

  constructor(options: {
    secondsPerTick: number;
    startTime?: Date;
    unavailableImages: ReadonlySet<string>;
  }) {
    this.#secondsPerTick = options.secondsPerTick;
    this.#unavailableImages = options.unavailableImages;
    this.#now = Math.floor((options.startTime?.getTime() ?? Date.now()) / 1000);
  }

  /** The resourceVersion of the latest write, as a list reports it. */
  get resourceVersion(): string {
    return String(this.#resourceVersion);
  }

  /** The live objects of a type, by `namespace/name`. */
  store(resource: 'deployments' | 'replicasets') {
    return resource === 'deployments' ? this.#deployments : this.#replicaSets;
  }

  /** Creates a Deployment (as `kubectl create`), and lets the controller roll it out at once. */
  createDeployment(manifest: KubernetesObject): KubernetesObject {
    const deployment = clone(manifest);
    const namespace = deployment.metadata.namespace ?? 'default';
    const key = `${namespace}/${deployment.metadata.name}`;
    if (this.#deployments.has(key)) {
      throw new ApiError(
        status(
          409,
          'AlreadyExists',
          `deployments.apps "${deployment.metadata.name}" already exists`,
        ),
      );
    }
    deployment.apiVersion = 'apps/v1';
    deployment.kind = 'Deployment';
    deployment.metadata = {
      ...deployment.metadata,
      namespace,
      uid: randomUUID(),
      generation: 1,
      creationTimestamp: this.#timestamp(),
      resourceVersion: this.#nextVersion(),
    };
    deployment.spec = {
      replicas: 1,
      revisionHistoryLimit: 10,
      progressDeadlineSeconds: 600,
      ...deployment.spec,
    };
    deployment.status = {};
    normalizePodTemplate(deployment);
    this.#deployments.set(key, deployment);
    this.#reconcile(deployment);
    this.#finishRollout(deployment);
    this.syncPods();
    return clone(deployment);
  }

  /**
   * Changes a Deployment as a deploy would (`kubectl set image`, `apply`):
   * the controller then makes or reuses a ReplicaSet. With `rollOut` the
   * rollout finishes at once, as if it had happened before the test.
   */
  updateDeployment(
    namespace: string,
    name: string,
    change: (deployment: KubernetesObject) => void,
    options: { rollOut?: boolean } = {},
  ): KubernetesObject {
    const deployment = this.deployment(namespace, name);
    const before = canonical(deployment.spec);
    change(deployment);
    normalizePodTemplate(deployment);
    this.written(deployment, canonical(deployment.spec) !== before);
    if (options.rollOut) this.#finishRollout(deployment);
    this.syncPods();
    return clone(deployment);
  }

  /** The live Deployment (not a copy); a 404 when there is none. */
  deployment(namespace: string, name: string): KubernetesObject {
    const deployment = this.#deployments.get(`${namespace}/${name}`);
    if (!deployment) {
      throw new ApiError(
        status(404, 'NotFound', `deployments.apps "${name}" not found`),
      );
    }
    return deployment;
  }

  listReplicaSets(namespace: string): KubernetesObject[] {
    return [...this.#replicaSets.values()]
      .filter(rs => rs.metadata.namespace === namespace)
      .map(clone);
  }

  /** The pods of a namespace's ReplicaSets, as `kubectl get pods` lists them. */
  listPods(namespace: string): KubernetesObject[] {
    return this.#pods
      .list()
      .filter(pod => pod.metadata.namespace === namespace)
      .map(clone);
  }

  /** All pods, as last synced with the ReplicaSets (not copies). */
  pods(): KubernetesObject[] {
    return this.#pods.list();
  }

  /** Moves the cluster's clock forward, e.g. between seeded revisions. */
  advanceClock(seconds: number): void {
    this.#now += seconds;
  }

  /** Runs the controller loop once; the timer calls this every `tickMs`. */
  tick(): void {
    this.#now += this.#secondsPerTick;
    for (const deployment of this.#deployments.values()) {
      this.#step(deployment);
    }
    this.syncPods();
  }

  /** Brings the pods in line with the ReplicaSets, as the kubelets would by now. */
  syncPods() {
    this.#pods.sync([...this.#replicaSets.values()], this.#timestamp(), () =>
      this.#nextVersion(),
    );
  }

  #nextVersion(): string {
    this.#resourceVersion += 1;
    return String(this.#resourceVersion);
  }

  #timestamp(): string {
    return new Date(this.#now * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
  }

  /** Records a write to a Deployment and lets the controller react to it. */
  written(deployment: KubernetesObject, specChanged: boolean) {
    if (specChanged) deployment.metadata.generation += 1;
    deployment.metadata.resourceVersion = this.#nextVersion();
    this.#reconcile(deployment);
  }

  #ownedReplicaSets(deployment: KubernetesObject): KubernetesObject[] {
    return [...this.#replicaSets.values()].filter(rs =>
      (rs.metadata.ownerReferences ?? []).some(
        (o: KubernetesObject) =>
          o.uid === deployment.metadata.uid && o.controller,
      ),
    );
  }

  /** The ReplicaSet whose template is the Deployment's (kubectl's newRS). */
  #newReplicaSet(deployment: KubernetesObject): KubernetesObject | undefined {
    const wanted = canonical(templateWithoutHash(deployment.spec.template));
    return this.#ownedReplicaSets(deployment).find(
      rs => canonical(templateWithoutHash(rs.spec.template)) === wanted,
    );
  }

  /**
   * What the real controller does on a Deployment change: a paused one is
   * only observed; otherwise the ReplicaSet of its template is found (and
   * becomes the newest revision, as on a rollback) or made.
   */
  #reconcile(deployment: KubernetesObject) {
    deployment.status.observedGeneration = deployment.metadata.generation;
    if (deployment.spec.paused) {
      this.#setCondition(
        deployment,
        'Progressing',
        'Unknown',
        'DeploymentPaused',
        'Deployment is paused',
      );
      this.#updateStatus(deployment);
      return;
    }
    const owned = this.#ownedReplicaSets(deployment);
    const maxRevision = Math.max(0, ...owned.map(rs => revisionOf(rs)));
    let rs = this.#newReplicaSet(deployment);
    if (rs) {
      if (revisionOf(rs) < maxRevision) {
        rs.metadata.annotations = {
          ...rs.metadata.annotations,
          ...copiedAnnotations(deployment),
          [REVISION]: String(maxRevision + 1),
        };
        rs.metadata.resourceVersion = this.#nextVersion();
        this.#progressed(
          deployment,
          'FoundNewReplicaSet',
          `Found new replica set "${rs.metadata.name}"`,
        );
      }
    } else {
      rs = replicaSetFor(
        deployment,
        maxRevision + 1,
        this.#timestamp(),
        this.#nextVersion(),
      );
      this.#replicaSets.set(`${rs.metadata.namespace}/${rs.metadata.name}`, rs);
      this.#progressed(
        deployment,
        'NewReplicaSetCreated',
        `Created new replica set "${rs.metadata.name}"`,
      );
    }
    deployment.metadata.annotations = {
      ...deployment.metadata.annotations,
      [REVISION]: rs.metadata.annotations[REVISION],
    };
    this.#cleanUpHistory(deployment);
    this.#updateStatus(deployment);
  }

  /** Keeps `revisionHistoryLimit` old ReplicaSets with no replicas. */
  #cleanUpHistory(deployment: KubernetesObject) {
    const current = this.#newReplicaSet(deployment);
    const old = this.#ownedReplicaSets(deployment)
      .filter(rs => rs !== current && rs.spec.replicas === 0)
      .sort((a, b) => revisionOf(a) - revisionOf(b));
    const excess = old.length - (deployment.spec.revisionHistoryLimit ?? 10);
    for (const rs of old.slice(0, Math.max(0, excess))) {
      this.#replicaSets.delete(`${rs.metadata.namespace}/${rs.metadata.name}`);
    }
  }

  /** One step of a rollout: one more new pod, and old pods replaced by ready new ones. */
  #step(deployment: KubernetesObject) {
    if (deployment.spec.paused) return;
    const current = this.#newReplicaSet(deployment);
    if (!current) return;
    const desired = deployment.spec.replicas;
    const before = canonical(this.#rolloutFigures(deployment));
    const ready = (rs: KubernetesObject) =>
      (rs.spec.template.spec?.containers ?? []).every(
        (c: KubernetesObject) => !this.#unavailableImages.has(c.image),
      );
    if (current.spec.replicas < desired) current.spec.replicas += 1;
    if (current.spec.replicas > desired) current.spec.replicas = desired;
    current.status.replicas = current.spec.replicas;
    current.status.readyReplicas = ready(current) ? current.spec.replicas : 0;
    current.status.availableReplicas = current.status.readyReplicas;
    let oldAllowed = Math.max(0, desired - current.status.availableReplicas);
    for (const rs of this.#ownedReplicaSets(deployment)
      .filter(r => r !== current)
      .sort((a, b) => revisionOf(b) - revisionOf(a))) {
      const keep = Math.min(rs.spec.replicas, oldAllowed);
      oldAllowed -= keep;
      rs.spec.replicas = keep;
      rs.status.replicas = keep;
      rs.status.readyReplicas = Math.min(rs.status.readyReplicas ?? 0, keep);
      rs.status.availableReplicas = rs.status.readyReplicas;
    }
    const progressed = canonical(this.#rolloutFigures(deployment)) !== before;
    if (progressed) {
      this.#progressed(
        deployment,
        'ReplicaSetUpdated',
        `ReplicaSet "${current.metadata.name}" is progressing.`,
      );
    }
    this.#updateStatus(deployment);
  }

  /** Completes a rollout at once (for seeded history). */
  #finishRollout(deployment: KubernetesObject) {
    for (let i = 0; i <= deployment.spec.replicas * 2 + 1; i++)
      this.#step(deployment);
  }

  #rolloutFigures(deployment: KubernetesObject) {
    return this.#ownedReplicaSets(deployment).map(rs => [
      rs.metadata.name,
      rs.spec.replicas,
      rs.status.readyReplicas,
    ]);
  }

  #progressed(deployment: KubernetesObject, reason: string, message: string) {
    this.#lastProgress.set(deployment.metadata.uid, this.#now);
    this.#setCondition(deployment, 'Progressing', 'True', reason, message);
  }

  #setCondition(
    deployment: KubernetesObject,
    type: string,
    conditionStatus: string,
    reason: string,
    message: string,
  ) {
    setCondition(
      deployment,
      type,
      conditionStatus,
      reason,
      message,
      this.#timestamp(),
    );
  }

  #updateStatus(deployment: KubernetesObject) {
    const previous = canonical(deployment.status);
    updateDeploymentStatus(deployment, {
      owned: this.#ownedReplicaSets(deployment),
      current: this.#newReplicaSet(deployment),
      now: this.#now,
      lastProgressAt:
        this.#lastProgress.get(deployment.metadata.uid) ?? this.#now,
      time: this.#timestamp(),
    });
    if (canonical(deployment.status) !== previous) {
      deployment.metadata.resourceVersion = this.#nextVersion();
    }
  }
}
