import { ApiError, status } from './errors';
import { FakeCluster } from './cluster';
import { patchDeployment } from './deploymentPatch';
import {
  apiVersionOf,
  discoveryDocument,
  parseResourcePath,
  ResourceType,
} from './discovery';
import { clone } from './json';
import { matchesSelector, parseSelector } from './selectors';
import { KubernetesObject, RecordedRequest } from './types';

// The fake API server's routes: discovery, the `apps/v1` Deployments and
// ReplicaSets it stores, and read-only lists of the other types, answered
// in the wire format of a real API server.

/** Answers one authenticated request; throws an `ApiError` to refuse it. */
export function route(
  cluster: FakeCluster,
  host: string,
  request: RecordedRequest,
): unknown {
  const { method, path, query } = request;
  const notFound = new ApiError(
    status(404, 'NotFound', 'the server could not find the requested resource'),
  );
  const discovery = discoveryDocument(path, host);
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
    return readOnly(cluster, request, type, namespace, name);
  }
  const resource = type.plural as 'deployments' | 'replicasets';
  const store = cluster.store(resource);
  if (method === 'GET' && !name) {
    return list(cluster, type, [...store.values()], namespace, query);
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
    return patchDeployment(cluster, object, request);
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
function list(
  cluster: FakeCluster,
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
    metadata: { resourceVersion: cluster.resourceVersion },
    items,
  };
}

/** Pods (which follow the ReplicaSets) and the types no one creates here. */
function readOnly(
  cluster: FakeCluster,
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
  cluster.syncPods();
  const objects = type.plural === 'pods' ? cluster.pods() : [];
  if (!name) return list(cluster, type, objects, namespace, request.query);
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
