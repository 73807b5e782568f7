// The resource types the fake serves and its discovery documents (legacy
// discovery: /api, /apis, /api/v1, /apis/<group>/<version>), which clients
// such as kubectl read before any request. Deployments and ReplicaSets are
// full objects with a controller; pods follow the ReplicaSets; the other
// types Backstage's Kubernetes plugin lists exist and are empty, as on a
// cluster where none were created.

export interface ResourceType {
  /** '' for the core group. */
  group: string;
  version: string;
  plural: string;
  singular: string;
  kind: string;
  verbs: string[];
  shortNames?: string[];
  categories?: string[];
}

const READ = ['get', 'list', 'watch'];

/** @internal */
export const RESOURCE_TYPES: ResourceType[] = [
  {
    group: '',
    version: 'v1',
    plural: 'pods',
    singular: 'pod',
    kind: 'Pod',
    verbs: READ,
    shortNames: ['po'],
    categories: ['all'],
  },
  ...(
    [
      ['services', 'service', 'Service', ['svc']],
      ['configmaps', 'configmap', 'ConfigMap', ['cm']],
      ['limitranges', 'limitrange', 'LimitRange', ['limits']],
      ['resourcequotas', 'resourcequota', 'ResourceQuota', ['quota']],
    ] as const
  ).map(([plural, singular, kind, shortNames]) => ({
    group: '',
    version: 'v1',
    plural,
    singular,
    kind,
    verbs: READ,
    shortNames: [...shortNames],
  })),
  {
    group: 'apps',
    version: 'v1',
    plural: 'deployments',
    singular: 'deployment',
    kind: 'Deployment',
    verbs: [...READ, 'patch'],
    shortNames: ['deploy'],
    categories: ['all'],
  },
  {
    group: 'apps',
    version: 'v1',
    plural: 'replicasets',
    singular: 'replicaset',
    kind: 'ReplicaSet',
    verbs: READ,
    shortNames: ['rs'],
    categories: ['all'],
  },
  ...(
    [
      ['apps', 'v1', 'statefulsets', 'statefulset', 'StatefulSet', 'sts'],
      ['apps', 'v1', 'daemonsets', 'daemonset', 'DaemonSet', 'ds'],
      [
        'autoscaling',
        'v2',
        'horizontalpodautoscalers',
        'horizontalpodautoscaler',
        'HorizontalPodAutoscaler',
        'hpa',
      ],
      ['batch', 'v1', 'jobs', 'job', 'Job', undefined],
      ['batch', 'v1', 'cronjobs', 'cronjob', 'CronJob', 'cj'],
      ['networking.k8s.io', 'v1', 'ingresses', 'ingress', 'Ingress', 'ing'],
    ] as const
  ).map(([group, version, plural, singular, kind, shortName]) => ({
    group,
    version,
    plural,
    singular,
    kind,
    verbs: READ,
    ...(shortName ? { shortNames: [shortName] } : {}),
    categories: ['all'],
  })),
];

function groupVersion(type: { group: string; version: string }) {
  return type.group ? `${type.group}/${type.version}` : type.version;
}

/** The apiVersion of objects of a type, e.g. `v1` or `apps/v1`. */
export function apiVersionOf(type: ResourceType): string {
  return groupVersion(type);
}

/** The discovery document at `path`, or undefined when it is not one. */
export function discoveryDocument(
  path: string,
  serverAddress: string,
): unknown | undefined {
  if (path === '/version') {
    return {
      major: '1',
      minor: '32',
      gitVersion: 'v1.32.0-opsdeck-fake',
      platform: 'linux/amd64',
    };
  }
  if (path === '/api') {
    return {
      kind: 'APIVersions',
      versions: ['v1'],
      serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }],
    };
  }
  if (path === '/apis') {
    const groups = [...new Set(RESOURCE_TYPES.map(t => t.group))]
      .filter(Boolean)
      .map(name => {
        const version = RESOURCE_TYPES.find(t => t.group === name)!.version;
        const preferred = { groupVersion: `${name}/${version}`, version };
        return { name, versions: [preferred], preferredVersion: preferred };
      });
    return { kind: 'APIGroupList', apiVersion: 'v1', groups };
  }
  const match = path.match(/^\/(?:api\/(v1)|apis\/([a-z0-9.-]+)\/(v\w+))$/);
  if (!match) return undefined;
  const wanted = match[1] ?? `${match[2]}/${match[3]}`;
  const resources = RESOURCE_TYPES.filter(t => groupVersion(t) === wanted);
  if (resources.length === 0) return undefined;
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: wanted,
    resources: resources.map(t => ({
      name: t.plural,
      singularName: t.singular,
      namespaced: true,
      kind: t.kind,
      verbs: t.verbs,
      ...(t.shortNames ? { shortNames: t.shortNames } : {}),
      ...(t.categories ? { categories: t.categories } : {}),
    })),
  };
}

/**
 * The type, namespace and name a resource path names
 * (`/api/v1/namespaces/ns/pods/name`, `/apis/apps/v1/deployments`, ...).
 */
export function parseResourcePath(
  path: string,
): { type: ResourceType; namespace?: string; name?: string } | undefined {
  const match = path.match(
    /^\/(?:api\/(v1)|apis\/([a-z0-9.-]+)\/(v\w+))(?:\/namespaces\/([a-z0-9-]+))?\/([a-z]+)(?:\/([a-z0-9.-]+))?$/,
  );
  if (!match) return undefined;
  const [, core, group, version, namespace, plural, name] = match;
  const type = RESOURCE_TYPES.find(
    t =>
      t.plural === plural &&
      (core
        ? t.group === '' && t.version === core
        : groupVersion(t) === `${group}/${version}`),
  );
  return type ? { type, namespace, name } : undefined;
}
