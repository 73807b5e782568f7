import { createHash, randomUUID } from 'node:crypto';

// The fake's ReplicaSet controller and kubelet in one: each ReplicaSet has
// as many pods as its status says, the first `readyReplicas` of them ready.
// Pods are kept (not derived on each read), so a pod keeps its name, uid and
// start time while its ReplicaSet keeps it, as on a real cluster; a scale
// down removes the newest first, as the real controller prefers.

type KubernetesObject = Record<string, any>;

/** The alphabet of generated name suffixes (k8s.io/apimachinery/pkg/util/rand). */
const ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

function suffix(seed: string): string {
  const digest = createHash('sha256').update(seed).digest();
  return [...digest.subarray(0, 5)]
    .map(byte => ALPHABET[byte % ALPHABET.length])
    .join('');
}

export class FakePods {
  readonly #pods = new Map<string, KubernetesObject>();
  /** The order of creation, which scale-downs follow; not on the wire. */
  readonly #order = new WeakMap<KubernetesObject, number>();
  #created = 0;

  /**
   * Brings the pods in line with the ReplicaSets: missing ones are created
   * (at `timestamp`), surplus and orphaned ones deleted, readiness updated.
   */
  sync(
    replicaSets: KubernetesObject[],
    timestamp: string,
    nextVersion: () => string,
  ): void {
    const live = new Set<string>();
    for (const rs of replicaSets) {
      const owned = this.#ownedBy(rs.metadata.uid).sort(
        (a, b) => a.created - b.created,
      );
      const wanted = rs.status?.replicas ?? 0;
      while (owned.length < wanted) {
        owned.push(this.#create(rs, timestamp, nextVersion()));
      }
      for (const surplus of owned.splice(wanted)) {
        this.#pods.delete(this.#key(surplus.pod));
      }
      const ready = rs.status?.readyReplicas ?? 0;
      owned.forEach(({ pod }, index) => {
        if (this.#setReady(pod, index < ready, timestamp)) {
          pod.metadata.resourceVersion = nextVersion();
        }
        live.add(this.#key(pod));
      });
    }
    for (const key of [...this.#pods.keys()]) {
      if (!live.has(key)) this.#pods.delete(key);
    }
  }

  list(): KubernetesObject[] {
    return [...this.#pods.values()];
  }

  get(namespace: string, name: string): KubernetesObject | undefined {
    return this.#pods.get(`${namespace}/${name}`);
  }

  #key(pod: KubernetesObject): string {
    return `${pod.metadata.namespace}/${pod.metadata.name}`;
  }

  #ownedBy(uid: string): Array<{ pod: KubernetesObject; created: number }> {
    return [...this.#pods.values()]
      .filter(pod => pod.metadata.ownerReferences[0].uid === uid)
      .map(pod => ({ pod, created: this.#order.get(pod) ?? 0 }));
  }

  #create(
    rs: KubernetesObject,
    timestamp: string,
    resourceVersion: string,
  ): { pod: KubernetesObject; created: number } {
    this.#created += 1;
    const template = rs.spec.template ?? {};
    const namespace = rs.metadata.namespace;
    let name = `${rs.metadata.name}-${suffix(
      `${rs.metadata.uid}/${this.#created}`,
    )}`;
    while (this.#pods.has(`${namespace}/${name}`)) {
      name = `${rs.metadata.name}-${suffix(`${name}/${this.#created}`)}`;
    }
    const ip = `10.244.0.${(this.#created % 250) + 2}`;
    const pod: KubernetesObject = {
      metadata: {
        name,
        generateName: `${rs.metadata.name}-`,
        namespace,
        uid: randomUUID(),
        resourceVersion,
        creationTimestamp: timestamp,
        labels: { ...template.metadata?.labels },
        ...(template.metadata?.annotations
          ? { annotations: { ...template.metadata.annotations } }
          : {}),
        ownerReferences: [
          {
            apiVersion: 'apps/v1',
            kind: 'ReplicaSet',
            name: rs.metadata.name,
            uid: rs.metadata.uid,
            controller: true,
            blockOwnerDeletion: true,
          },
        ],
      },
      spec: {
        restartPolicy: 'Always',
        dnsPolicy: 'ClusterFirst',
        schedulerName: 'default-scheduler',
        ...template.spec,
        nodeName: 'opsdeck-demo-node',
      },
      status: {
        phase: 'Running',
        hostIP: '10.0.0.10',
        podIP: ip,
        podIPs: [{ ip }],
        startTime: timestamp,
        qosClass: 'BestEffort',
      },
    };
    this.#order.set(pod, this.#created);
    this.#pods.set(`${namespace}/${name}`, pod);
    this.#setReady(pod, false, timestamp);
    return { pod, created: this.#created };
  }

  /** Sets the pod's readiness; true when it changed. */
  #setReady(pod: KubernetesObject, ready: boolean, timestamp: string): boolean {
    const before = pod.status.conditions?.find(
      (c: KubernetesObject) => c.type === 'Ready',
    )?.status;
    const status = ready ? 'True' : 'False';
    if (before === status) return false;
    const notReady = ready
      ? {}
      : { reason: 'ContainersNotReady', message: 'containers not ready' };
    const condition = (type: string, value: string, extra = {}) => ({
      type,
      status: value,
      lastProbeTime: null,
      lastTransitionTime: timestamp,
      ...extra,
    });
    pod.status.conditions = [
      condition('Initialized', 'True'),
      condition('Ready', status, notReady),
      condition('ContainersReady', status, notReady),
      condition('PodScheduled', 'True'),
    ];
    pod.status.containerStatuses = (pod.spec.containers ?? []).map(
      (container: KubernetesObject) => ({
        name: container.name,
        image: container.image,
        imageID: `${container.image}@sha256:${createHash('sha256')
          .update(container.image)
          .digest('hex')}`,
        containerID: `containerd://${createHash('sha256')
          .update(`${pod.metadata.uid}/${container.name}`)
          .digest('hex')}`,
        ready,
        started: true,
        restartCount: 0,
        state: { running: { startedAt: pod.status.startTime } },
      }),
    );
    return true;
  }
}
