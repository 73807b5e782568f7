import {
  createServer,
  IncomingMessage,
  Server,
  ServerResponse,
} from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { AddressInfo } from 'node:net';
import { FakeCluster } from './cluster';
import { ApiError, status } from './errors';
import { clone } from './json';
import { route } from './routes';
import { KubernetesObject, RecordedRequest } from './types';

// A fake Kubernetes API server for tests and the local demo: the `apps/v1`
// Deployments and ReplicaSets of a real API server, their wire format
// (kind/apiVersion/metadata, Status objects for errors), resourceVersion
// preconditions, and a Deployment controller loop that makes ReplicaSet
// revisions and moves rollouts forward; the pods of those ReplicaSets,
// empty lists of the other types Backstage's Kubernetes plugin reads, and
// discovery, so kubectl works against it. What it does not do is listed in
// the README of @opsdeck/plugin-ops-node.

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
  readonly #cluster: FakeCluster;
  readonly #token?: string;
  readonly #tickMs: number;

  static async start(
    options: FakeKubernetesApiServerOptions = {},
  ): Promise<FakeKubernetesApiServer> {
    const server = new FakeKubernetesApiServer(options);
    await new Promise<void>((resolve, reject) => {
      server.#server.once('error', reject);
      server.#server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
    });
    server.#timer = setInterval(() => server.tick(), server.#tickMs);
    server.#timer.unref();
    return server;
  }

  private constructor(options: FakeKubernetesApiServerOptions) {
    this.#token = options.token;
    this.#tickMs = options.tickMs ?? 20;
    this.#cluster = new FakeCluster({
      secondsPerTick: options.secondsPerTick ?? 1,
      startTime: options.startTime,
      unavailableImages: this.unavailableImages,
    });
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
              ...(this.#token ? { serviceAccountToken: this.#token } : {}),
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
    return this.#cluster.createDeployment(manifest);
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
    return this.#cluster.updateDeployment(namespace, name, change, options);
  }

  getDeployment(namespace: string, name: string): KubernetesObject {
    return clone(this.#cluster.deployment(namespace, name));
  }

  listReplicaSets(namespace: string): KubernetesObject[] {
    return this.#cluster.listReplicaSets(namespace);
  }

  /** The pods of a namespace's ReplicaSets, as `kubectl get pods` lists them. */
  listPods(namespace: string): KubernetesObject[] {
    return this.#cluster.listPods(namespace);
  }

  /** The PATCH requests received, in order. */
  patches(): RecordedRequest[] {
    return this.requests.filter(r => r.method === 'PATCH');
  }

  /** Moves the cluster's clock forward, e.g. between seeded revisions. */
  advanceClock(seconds: number): void {
    this.#cluster.advanceClock(seconds);
  }

  /** Runs the controller loop once; the timer calls this every `tickMs`. */
  tick(): void {
    this.#cluster.tick();
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
        this.#token &&
        req.headers.authorization !== `Bearer ${this.#token}`
      ) {
        throw new ApiError(status(401, 'Unauthorized', 'Unauthorized'));
      }
      send(200, route(this.#cluster, new URL(this.url).host, record));
    } catch (error) {
      if (error instanceof ApiError) {
        send(error.body.code, error.body);
      } else {
        send(500, status(500, 'InternalError', String(error)));
      }
    }
  }
}
