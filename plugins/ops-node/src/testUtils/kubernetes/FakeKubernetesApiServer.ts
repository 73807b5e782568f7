import { createHash, randomUUID } from 'node:crypto';
import {
  createServer,
  IncomingMessage,
  Server,
  ServerResponse,
} from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { AddressInfo } from 'node:net';
import { normalizePodTemplate } from './defaults';
import {
  apiVersionOf,
  discoveryDocument,
  parseResourcePath,
  ResourceType,
} from './discovery';
import {
  applyJsonPatch,
  applyMergePatch,
  applyStrategicMergePatch,
  TestFailed,
} from './patches';
import { FakePods } from './pods';
import { matchesSelector, parseSelector } from './selectors';

// A fake Kubernetes API server for tests and the local demo: the `apps/v1`
// Deployments and ReplicaSets of a real API server, their wire format
// (kind/apiVersion/metadata, Status objects for errors), resourceVersion
// preconditions, and a Deployment controller loop that makes ReplicaSet
// revisions and moves rollouts forward; the pods of those ReplicaSets,
// empty lists of the other types Backstage's Kubernetes plugin reads, and
// discovery, so kubectl works against it. What it does not do is listed in
// the README of @opsdeck/plugin-ops-node.

/** @public */
export type KubernetesObject = Record<string, any>;

const REVISION = 'deployment.kubernetes.io/revision';
const HASH_LABEL = 'pod-template-hash';
/** Deployment annotations the controller does not copy to its ReplicaSets. */
const NOT_COPIED = new Set([
  'kubectl.kubernetes.io/last-applied-configuration',
  REVISION,
  'deployment.kubernetes.io/revision-history',
  'deployment.kubernetes.io/desired-replicas',
  'deployment.kubernetes.io/max-replicas',
]);

/**
 * One request the server answered, for assertions on what a client sent.
 *
 * @public
 */
export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  contentType?: string;
  body?: unknown;
  status: number;
}

/** @public */
export interface FakeKubernetesApiServerOptions {
  /** Loopback port; 0 picks a free one. */
  port?: number;
  /** Bearer token clients must send; none means no authentication. */
  token?: string;
  /** Real milliseconds between two steps of the controller loop. */
  tickMs?: number;
  /** Seconds of cluster time one step stands for (progress deadlines). */
  secondsPerTick?: number;
  /** The cluster's clock at start (default: now). */
  startTime?: Date;
  /**
   * Serve HTTPS with this key and certificate (PEM). kubectl sends a
   * bearer token only over TLS, so a kubectl test needs it.
   */
  tls?: { key: string; cert: string };
}

function canonical(value: unknown): string {
  return JSON.stringify(value, (_k, v) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.keys(v)
            .sort()
            .map(k => [k, v[k]]),
        )
      : v,
  );
}

function clone<T>(value: T): T {
  return JSON.parse(JSON.stringify(value));
}

function templateWithoutHash(template: KubernetesObject): KubernetesObject {
  const copy = clone(template ?? {});
  if (copy.metadata?.labels) delete copy.metadata.labels[HASH_LABEL];
  return copy;
}

/** The controller's pod-template-hash: a short hash of the template. */
function templateHash(template: KubernetesObject): string {
  return createHash('sha256')
    .update(canonical(templateWithoutHash(template)))
    .digest('hex')
    .slice(0, 10);
}

function status(
  code: number,
  reason: string,
  message: string,
  details?: KubernetesObject,
) {
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message,
    reason,
    ...(details ? { details } : {}),
    code,
  };
}

class ApiError extends Error {
  constructor(readonly body: ReturnType<typeof status>) {
    super(body.message);
  }
}

/**
 * A fake of the Kubernetes API server's `apps/v1` Deployments and
 * ReplicaSets, on loopback HTTP, driven by `@kubernetes/client-node` as a
 * real cluster would be.
 *
 * @public
 */
export class FakeKubernetesApiServer {
  readonly requests: RecordedRequest[] = [];
  /** Images whose pods never become ready (a broken release). */
  readonly unavailableImages = new Set<string>();

  #server: Server;
  #timer?: NodeJS.Timeout;
  #resourceVersion = 1000;
  /** Cluster time in seconds, moved forward by the controller loop. */
  #now: number;
  readonly #deployments = new Map<string, KubernetesObject>();
  readonly #replicaSets = new Map<string, KubernetesObject>();
  readonly #pods = new FakePods();
  /** When each Deployment (by uid) last made progress, in cluster seconds. */
  readonly #lastProgress = new Map<string, number>();
  readonly #options: Required<
    Omit<FakeKubernetesApiServerOptions, 'token' | 'startTime' | 'tls'>
  > & {
    token?: string;
  };

  static async start(
    options: FakeKubernetesApiServerOptions = {},
  ): Promise<FakeKubernetesApiServer> {
    const server = new FakeKubernetesApiServer(options);
    await new Promise<void>((resolve, reject) => {
      server.#server.once('error', reject);
      server.#server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
    });
    server.#timer = setInterval(() => server.tick(), server.#options.tickMs);
    server.#timer.unref();
    return server;
  }

  private constructor(options: FakeKubernetesApiServerOptions) {
    this.#options = {
      port: options.port ?? 0,
      token: options.token,
      tickMs: options.tickMs ?? 20,
      secondsPerTick: options.secondsPerTick ?? 1,
    };
    this.#now = Math.floor((options.startTime?.getTime() ?? Date.now()) / 1000);
    const handler = (req: IncomingMessage, res: ServerResponse) =>
      this.#handle(req, res);
    this.#server = options.tls
      ? createHttpsServer(options.tls, handler)
      : createServer(handler);
    this.#scheme = options.tls ? 'https' : 'http';
  }

  readonly #scheme: 'http' | 'https';

  get url(): string {
    return `${this.#scheme}://127.0.0.1:${
      (this.#server.address() as AddressInfo).port
    }`;
  }

  /**
   * The `kubernetes` config of a Backstage app with this server as its one
   * cluster, as Backstage's Kubernetes plugin and OpsDeck read it.
   */
  clusterConfig(name = 'production') {
    return {
      clusterLocatorMethods: [
        {
          type: 'config',
          clusters: [
            {
              name,
              url: this.url,
              authProvider: 'serviceAccount',
              ...(this.#options.token
                ? { serviceAccountToken: this.#options.token }
                : {}),
              // plain HTTP (or a test's self-signed certificate), which
              // @kubernetes/client-node allows only so
              skipTLSVerify: true,
            },
          ],
        },
      ],
    };
  }

  async stop(): Promise<void> {
    clearInterval(this.#timer);
    this.#server.closeAllConnections();
    await new Promise<void>(resolve => this.#server.close(() => resolve()));
  }

  // --- what a test or the demo does to the cluster, as kubectl would -----

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
    this.#syncPods();
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
    const deployment = this.#deployment(namespace, name);
    const before = canonical(deployment.spec);
    change(deployment);
    normalizePodTemplate(deployment);
    this.#written(deployment, canonical(deployment.spec) !== before);
    if (options.rollOut) this.#finishRollout(deployment);
    this.#syncPods();
    return clone(deployment);
  }

  getDeployment(namespace: string, name: string): KubernetesObject {
    return clone(this.#deployment(namespace, name));
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

  /** The PATCH requests received, in order. */
  patches(): RecordedRequest[] {
    return this.requests.filter(r => r.method === 'PATCH');
  }

  /** Moves the cluster's clock forward, e.g. between seeded revisions. */
  advanceClock(seconds: number): void {
    this.#now += seconds;
  }

  /** Runs the controller loop once; the timer calls this every `tickMs`. */
  tick(): void {
    this.#now += this.#options.secondsPerTick;
    for (const deployment of this.#deployments.values()) {
      this.#step(deployment);
    }
    this.#syncPods();
  }

  #syncPods() {
    this.#pods.sync([...this.#replicaSets.values()], this.#timestamp(), () =>
      this.#nextVersion(),
    );
  }

  // --- HTTP -----------------------------------------------------------------

  async #handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? '/', 'http://fake');
    const query = Object.fromEntries(url.searchParams.entries());
    const record: RecordedRequest = {
      method: req.method ?? 'GET',
      path: url.pathname,
      query,
      contentType: req.headers['content-type'],
      status: 200,
    };
    const send = (code: number, body: unknown) => {
      record.status = code;
      this.requests.push(record);
      res.writeHead(code, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    try {
      const raw = await new Promise<string>((resolve, reject) => {
        let data = '';
        req.setEncoding('utf8');
        req.on('data', chunk => (data += chunk));
        req.on('end', () => resolve(data));
        req.on('error', reject);
      });
      if (raw) {
        try {
          record.body = JSON.parse(raw);
        } catch {
          throw new ApiError(
            status(400, 'BadRequest', 'the request body is not JSON'),
          );
        }
      }
      if (
        this.#options.token &&
        req.headers.authorization !== `Bearer ${this.#options.token}`
      ) {
        throw new ApiError(status(401, 'Unauthorized', 'Unauthorized'));
      }
      send(200, this.#route(record));
    } catch (error) {
      if (error instanceof ApiError) {
        send(error.body.code, error.body);
      } else {
        send(500, status(500, 'InternalError', String(error)));
      }
    }
  }

  #route(request: RecordedRequest): unknown {
    const { method, path, query } = request;
    const notFound = new ApiError(
      status(
        404,
        'NotFound',
        'the server could not find the requested resource',
      ),
    );
    const discovery = discoveryDocument(path, new URL(this.url).host);
    if (discovery) {
      if (method !== 'GET') throw notFound;
      return discovery;
    }
    const target = parseResourcePath(path);
    if (!target) throw notFound;
    const { type, namespace, name } = target;
    if (
      type.group !== 'apps' ||
      !['deployments', 'replicasets'].includes(type.plural)
    ) {
      return this.#readOnly(request, type, namespace, name);
    }
    const resource = type.plural;
    const store =
      resource === 'deployments' ? this.#deployments : this.#replicaSets;
    if (method === 'GET' && !name) {
      return this.#list(type, [...store.values()], namespace, query);
    }
    if (!namespace || !name) {
      throw new ApiError(
        status(405, 'MethodNotAllowed', `${method} is not supported here`),
      );
    }
    const object = store.get(`${namespace}/${name}`);
    if (!object) {
      throw new ApiError(
        status(404, 'NotFound', `${resource}.apps "${name}" not found`, {
          name,
          group: 'apps',
          kind: resource,
        }),
      );
    }
    if (method === 'GET') return clone(object);
    if (method === 'PATCH' && resource === 'deployments') {
      return this.#patchDeployment(object, request);
    }
    throw new ApiError(
      status(
        405,
        'MethodNotAllowed',
        `${method} is not supported on ${resource}`,
      ),
    );
  }

  /** A `...List` of the objects in `namespace` (all when none) that match the label selector. */
  #list(
    type: ResourceType,
    objects: KubernetesObject[],
    namespace: string | undefined,
    query: Record<string, string>,
  ) {
    let selector: ReturnType<typeof parseSelector>;
    try {
      selector = parseSelector(query.labelSelector ?? '');
    } catch (error) {
      throw new ApiError(status(400, 'BadRequest', (error as Error).message));
    }
    const items = objects
      .filter(o => !namespace || o.metadata.namespace === namespace)
      .filter(o => matchesSelector(selector, o.metadata.labels ?? {}))
      .sort((a, b) =>
        `${a.metadata.namespace}/${a.metadata.name}`.localeCompare(
          `${b.metadata.namespace}/${b.metadata.name}`,
        ),
      )
      // items of a list carry no kind and apiVersion, as the real server's
      .map(({ kind: _kind, apiVersion: _apiVersion, ...rest }) => clone(rest));
    return {
      kind: `${type.kind}List`,
      apiVersion: apiVersionOf(type),
      metadata: { resourceVersion: String(this.#resourceVersion) },
      items,
    };
  }

  /** Pods (which follow the ReplicaSets) and the types no one creates here. */
  #readOnly(
    request: RecordedRequest,
    type: ResourceType,
    namespace: string | undefined,
    name: string | undefined,
  ): unknown {
    if (request.method !== 'GET') {
      throw new ApiError(
        status(
          405,
          'MethodNotAllowed',
          `${request.method} is not supported on ${type.plural}`,
        ),
      );
    }
    this.#syncPods();
    const objects = type.plural === 'pods' ? this.#pods.list() : [];
    if (!name) return this.#list(type, objects, namespace, request.query);
    const object = objects.find(
      o => o.metadata.namespace === namespace && o.metadata.name === name,
    );
    const resource = type.group ? `${type.plural}.${type.group}` : type.plural;
    if (!namespace || !object) {
      throw new ApiError(
        status(404, 'NotFound', `${resource} "${name}" not found`, {
          name,
          group: type.group,
          kind: type.plural,
        }),
      );
    }
    return {
      kind: type.kind,
      apiVersion: apiVersionOf(type),
      ...clone(object),
    };
  }

  #patchDeployment(
    deployment: KubernetesObject,
    request: RecordedRequest,
  ): KubernetesObject {
    const body = request.body as any;
    let patched: KubernetesObject;
    try {
      switch (request.contentType?.split(';')[0]) {
        case 'application/merge-patch+json':
          patched = applyMergePatch(
            clone(deployment),
            body,
          ) as KubernetesObject;
          break;
        case 'application/strategic-merge-patch+json':
          patched = applyStrategicMergePatch(
            clone(deployment),
            body,
          ) as KubernetesObject;
          break;
        case 'application/json-patch+json':
          patched = applyJsonPatch(clone(deployment), body) as KubernetesObject;
          break;
        default:
          throw new ApiError(
            status(
              415,
              'UnsupportedMediaType',
              `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml, application/strategic-merge-patch+json`,
            ),
          );
      }
    } catch (error) {
      if (error instanceof ApiError) throw error;
      if (error instanceof TestFailed) {
        throw new ApiError(status(422, 'Invalid', error.message));
      }
      throw new ApiError(status(422, 'Invalid', (error as Error).message));
    }
    const name = deployment.metadata.name;
    // A resourceVersion (or uid) in the patched object is a precondition,
    // as on a real API server: a stale one is a conflict.
    if (
      patched.metadata?.resourceVersion !== deployment.metadata.resourceVersion
    ) {
      throw new ApiError(
        status(
          409,
          'Conflict',
          `Operation cannot be fulfilled on deployments.apps "${name}": the object has been modified; please apply your changes to the latest version and try again`,
          { name, group: 'apps', kind: 'deployments' },
        ),
      );
    }
    if (patched.metadata?.uid !== deployment.metadata.uid) {
      throw new ApiError(
        status(
          409,
          'Conflict',
          `Precondition failed: UID in precondition: ${patched.metadata?.uid}, UID in object meta: ${deployment.metadata.uid}`,
        ),
      );
    }
    if (
      canonical(patched.spec?.selector) !== canonical(deployment.spec.selector)
    ) {
      throw new ApiError(
        status(
          422,
          'Invalid',
          `Deployment.apps "${name}" is invalid: spec.selector: Invalid value: field is immutable`,
        ),
      );
    }
    normalizePodTemplate(patched);
    if (request.query.dryRun === 'All') {
      return patched;
    }
    const specChanged = canonical(patched.spec) !== canonical(deployment.spec);
    Object.assign(deployment, patched);
    for (const key of Object.keys(deployment)) {
      if (!(key in patched)) delete deployment[key];
    }
    this.#written(deployment, specChanged);
    return clone(deployment);
  }

  // --- the Deployment controller ----------------------------------------------

  #deployment(namespace: string, name: string): KubernetesObject {
    const deployment = this.#deployments.get(`${namespace}/${name}`);
    if (!deployment) {
      throw new ApiError(
        status(404, 'NotFound', `deployments.apps "${name}" not found`),
      );
    }
    return deployment;
  }

  #nextVersion(): string {
    this.#resourceVersion += 1;
    return String(this.#resourceVersion);
  }

  #timestamp(): string {
    return new Date(this.#now * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
  }

  #written(deployment: KubernetesObject, specChanged: boolean) {
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

  #revision(rs: KubernetesObject): number {
    return Number(rs.metadata.annotations?.[REVISION] ?? 0);
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
    const maxRevision = Math.max(0, ...owned.map(rs => this.#revision(rs)));
    let rs = this.#newReplicaSet(deployment);
    const copied = Object.fromEntries(
      Object.entries(deployment.metadata.annotations ?? {}).filter(
        ([key]) => !NOT_COPIED.has(key),
      ),
    );
    if (rs) {
      if (this.#revision(rs) < maxRevision) {
        rs.metadata.annotations = {
          ...rs.metadata.annotations,
          ...copied,
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
      const hash = templateHash(deployment.spec.template);
      const template = clone(deployment.spec.template);
      template.metadata = {
        ...template.metadata,
        labels: { ...template.metadata?.labels, [HASH_LABEL]: hash },
      };
      rs = {
        apiVersion: 'apps/v1',
        kind: 'ReplicaSet',
        metadata: {
          name: `${deployment.metadata.name}-${hash}`,
          namespace: deployment.metadata.namespace,
          uid: randomUUID(),
          generation: 1,
          creationTimestamp: this.#timestamp(),
          resourceVersion: this.#nextVersion(),
          labels: template.metadata.labels,
          annotations: {
            ...copied,
            'deployment.kubernetes.io/desired-replicas': String(
              deployment.spec.replicas,
            ),
            'deployment.kubernetes.io/max-replicas': String(
              deployment.spec.replicas + 1,
            ),
            [REVISION]: String(maxRevision + 1),
          },
          ownerReferences: [
            {
              apiVersion: 'apps/v1',
              kind: 'Deployment',
              name: deployment.metadata.name,
              uid: deployment.metadata.uid,
              controller: true,
              blockOwnerDeletion: true,
            },
          ],
        },
        spec: {
          replicas: 0,
          selector: {
            matchLabels: {
              ...deployment.spec.selector?.matchLabels,
              [HASH_LABEL]: hash,
            },
          },
          template,
        },
        status: { replicas: 0, readyReplicas: 0, availableReplicas: 0 },
      };
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
      .sort((a, b) => this.#revision(a) - this.#revision(b));
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
        (c: KubernetesObject) => !this.unavailableImages.has(c.image),
      );
    if (current.spec.replicas < desired) current.spec.replicas += 1;
    if (current.spec.replicas > desired) current.spec.replicas = desired;
    current.status.replicas = current.spec.replicas;
    current.status.readyReplicas = ready(current) ? current.spec.replicas : 0;
    current.status.availableReplicas = current.status.readyReplicas;
    let oldAllowed = Math.max(0, desired - current.status.availableReplicas);
    for (const rs of this.#ownedReplicaSets(deployment)
      .filter(r => r !== current)
      .sort((a, b) => this.#revision(b) - this.#revision(a))) {
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
    const conditions: KubernetesObject[] = deployment.status.conditions ?? [];
    const existing = conditions.find(c => c.type === type);
    const time = this.#timestamp();
    if (
      existing?.status === conditionStatus &&
      existing.reason === reason &&
      existing.message === message
    ) {
      return; // unchanged conditions keep their times, as on a real server
    }
    if (existing) {
      if (existing.status !== conditionStatus)
        existing.lastTransitionTime = time;
      Object.assign(existing, {
        status: conditionStatus,
        reason,
        message,
        lastUpdateTime: time,
      });
    } else {
      conditions.push({
        type,
        status: conditionStatus,
        reason,
        message,
        lastUpdateTime: time,
        lastTransitionTime: time,
      });
    }
    deployment.status.conditions = conditions;
  }

  #updateStatus(deployment: KubernetesObject) {
    const owned = this.#ownedReplicaSets(deployment);
    const current = this.#newReplicaSet(deployment);
    const sum = (field: string) =>
      owned.reduce((total, rs) => total + (rs.status[field] ?? 0), 0);
    const desired = deployment.spec.replicas;
    const previous = canonical(deployment.status);
    const lastProgressAt =
      this.#lastProgress.get(deployment.metadata.uid) ?? this.#now;
    deployment.status = {
      ...deployment.status,
      replicas: sum('replicas'),
      updatedReplicas: current?.status.replicas ?? 0,
      readyReplicas: sum('readyReplicas'),
      availableReplicas: sum('availableReplicas'),
      unavailableReplicas: Math.max(0, desired - sum('availableReplicas')),
    };
    const complete =
      current &&
      deployment.status.updatedReplicas === desired &&
      deployment.status.replicas === desired &&
      deployment.status.availableReplicas === desired;
    this.#setCondition(
      deployment,
      'Available',
      deployment.status.availableReplicas >= desired ? 'True' : 'False',
      deployment.status.availableReplicas >= desired
        ? 'MinimumReplicasAvailable'
        : 'MinimumReplicasUnavailable',
      deployment.status.availableReplicas >= desired
        ? 'Deployment has minimum availability.'
        : 'Deployment does not have minimum availability.',
    );
    const progressing = deployment.status.conditions.find(
      (c: KubernetesObject) => c.type === 'Progressing',
    );
    if (!deployment.spec.paused && current) {
      if (complete && progressing?.reason !== 'NewReplicaSetAvailable') {
        this.#setCondition(
          deployment,
          'Progressing',
          'True',
          'NewReplicaSetAvailable',
          `ReplicaSet "${current.metadata.name}" has successfully progressed.`,
        );
      } else if (
        !complete &&
        progressing?.reason !== 'ProgressDeadlineExceeded' &&
        this.#now - lastProgressAt > deployment.spec.progressDeadlineSeconds
      ) {
        this.#setCondition(
          deployment,
          'Progressing',
          'False',
          'ProgressDeadlineExceeded',
          `ReplicaSet "${current.metadata.name}" has timed out progressing.`,
        );
      }
    }
    if (canonical(deployment.status) !== previous) {
      deployment.metadata.resourceVersion = this.#nextVersion();
    }
  }
}
