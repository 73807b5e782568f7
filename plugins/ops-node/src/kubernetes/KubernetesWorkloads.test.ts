import { ConfigReader } from '@backstage/config';
import { Entity } from '@backstage/catalog-model';
import {
  ApiException,
  PatchStrategy,
  setHeaderOptions,
} from '@kubernetes/client-node';
import {
  deploymentManifest,
  FakeKubernetesApiServer,
  setImage,
} from '../testUtils/kubernetes';
import { appsApiFor, readKubernetesClusters } from './clusters';
import { KubernetesWorkloads } from './KubernetesWorkloads';

const TOKEN = 'test-service-account-token';

const payments: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'payments-api',
    annotations: { 'backstage.io/kubernetes-id': 'payments-api' },
  },
  spec: { type: 'service', owner: 'team-payments', lifecycle: 'production' },
};

function config(url: string, extra: object[] = []) {
  return new ConfigReader({
    kubernetes: {
      serviceLocatorMethod: { type: 'multiTenant' },
      clusterLocatorMethods: [
        { type: 'catalog' },
        {
          type: 'config',
          clusters: [
            {
              name: 'production',
              url,
              authProvider: 'serviceAccount',
              serviceAccountToken: TOKEN,
              skipTLSVerify: true,
            },
            ...extra,
          ],
        },
      ],
    },
  });
}

describe('readKubernetesClusters', () => {
  it('reads config clusters as the Kubernetes plugin does', () => {
    const result = readKubernetesClusters(
      config('https://k8s.example.com', [
        {
          name: 'staging',
          url: 'https://staging.example.com',
          authMetadata: {
            'kubernetes.io/auth-provider': 'serviceAccount',
            'kubernetes.io/service-account-token': 'other',
          },
          caData: 'LS0tLS1CRUdJTg==',
        },
      ]),
    );
    expect(result.skipped).toEqual([]);
    expect(result.otherLocatorTypes).toEqual(['catalog']);
    expect(result.clusters).toEqual([
      {
        name: 'production',
        url: 'https://k8s.example.com',
        serviceAccountToken: TOKEN,
        skipTLSVerify: true,
      },
      {
        name: 'staging',
        url: 'https://staging.example.com',
        serviceAccountToken: 'other',
        skipTLSVerify: false,
        caData: 'LS0tLS1CRUdJTg==',
      },
    ]);
  });

  it('refuses a cluster without an auth provider, and skips one OpsDeck cannot act with', () => {
    expect(() =>
      readKubernetesClusters(
        new ConfigReader({
          kubernetes: {
            clusterLocatorMethods: [
              { type: 'config', clusters: [{ name: 'a', url: 'https://a' }] },
            ],
          },
        }),
      ),
    ).toThrow(/cluster 'a' has no auth provider/);
    const gke = new ConfigReader({
      kubernetes: {
        clusterLocatorMethods: [
          {
            type: 'config',
            clusters: [{ name: 'a', url: 'https://a', authProvider: 'google' }],
          },
        ],
      },
    });
    expect(readKubernetesClusters(gke)).toEqual({
      clusters: [],
      otherLocatorTypes: [],
      skipped: [
        "Kubernetes cluster 'a': authProvider 'google' is not supported by OpsDeck, which acts with its own service account; use serviceAccount",
      ],
    });
  });

  it('reports what it skipped with the history of an entity', async () => {
    const workloads = KubernetesWorkloads.fromConfig(
      new ConfigReader({
        kubernetes: {
          clusterLocatorMethods: [
            {
              type: 'config',
              clusters: [
                { name: 'a', url: 'https://a', authProvider: 'google' },
              ],
            },
          ],
        },
      }),
    );
    expect(await workloads.getHistory(payments)).toEqual({
      items: [],
      errors: [
        {
          source: 'kubernetes',
          message: expect.stringContaining(
            "authProvider 'google' is not supported",
          ),
        },
      ],
    });
  });
});

describe('KubernetesWorkloads against the fake API server', () => {
  let server: FakeKubernetesApiServer;

  beforeEach(async () => {
    server = await FakeKubernetesApiServer.start({ port: 6441, token: TOKEN });
    server.createDeployment(
      deploymentManifest({
        name: 'payments-api',
        namespace: 'payments',
        kubernetesId: 'payments-api',
        image: 'registry.example.com/payments-api:1.0.0',
        changeCause: 'release 1.0.0',
      }),
    );
    server.updateDeployment(
      'payments',
      'payments-api',
      setImage('registry.example.com/payments-api:1.1.0', 'release 1.1.0'),
      { rollOut: true },
    );
    server.createDeployment(
      deploymentManifest({
        name: 'orders-api',
        namespace: 'orders',
        kubernetesId: 'orders-api',
        image: 'registry.example.com/orders-api:2.0.0',
      }),
    );
  });

  afterEach(() => server.stop());

  it('lists the revisions of the entity with two list calls per cluster', async () => {
    const workloads = KubernetesWorkloads.fromConfig(config(server.url));
    const history = await workloads.getHistory(payments);
    expect(history.errors).toEqual([]);
    expect(history.items).toEqual([
      {
        source: 'kubernetes',
        cluster: 'production',
        namespace: 'payments',
        name: 'payments-api',
        rollout: {
          state: 'complete',
          message: 'deployment "payments-api" successfully rolled out',
          replicas: 3,
          updatedReplicas: 3,
          readyReplicas: 3,
          availableReplicas: 3,
        },
        revisions: [
          expect.objectContaining({
            revision: 2,
            changeCause: 'release 1.1.0',
            images: ['registry.example.com/payments-api:1.1.0'],
            replicas: 3,
            readyReplicas: 3,
            current: true,
          }),
          expect.objectContaining({
            revision: 1,
            changeCause: 'release 1.0.0',
            images: ['registry.example.com/payments-api:1.0.0'],
            replicas: 0,
            readyReplicas: 0,
            current: false,
          }),
        ],
      },
    ]);
    expect(
      server.requests.map(
        r => `${r.method} ${r.path}?${r.query.labelSelector}`,
      ),
    ).toEqual([
      'GET /apis/apps/v1/deployments?backstage.io/kubernetes-id=payments-api',
      'GET /apis/apps/v1/replicasets?backstage.io/kubernetes-id=payments-api',
    ]);
  });

  it('lists in the namespace of backstage.io/kubernetes-namespace only', async () => {
    const workloads = KubernetesWorkloads.fromConfig(config(server.url));
    const inOrders: Entity = {
      ...payments,
      metadata: {
        ...payments.metadata,
        annotations: {
          ...payments.metadata.annotations,
          'backstage.io/kubernetes-namespace': 'orders',
        },
      },
    };
    expect((await workloads.getHistory(inOrders)).items).toEqual([]);
    expect(server.requests.map(r => r.path)).toEqual([
      '/apis/apps/v1/namespaces/orders/deployments',
      '/apis/apps/v1/namespaces/orders/replicasets',
    ]);
  });

  it('reports a cluster it cannot reach and still shows the others', async () => {
    const workloads = KubernetesWorkloads.fromConfig(
      config(server.url, [
        {
          name: 'unreachable',
          url: 'http://127.0.0.1:6448',
          authProvider: 'serviceAccount',
          serviceAccountToken: TOKEN,
          skipTLSVerify: true,
        },
      ]),
    );
    const history = await workloads.getHistory(payments);
    expect(history.items.map(i => i.cluster)).toEqual(['production']);
    expect(history.errors).toEqual([
      expect.objectContaining({ source: 'kubernetes', cluster: 'unreachable' }),
    ]);
  });

  it('asks nothing of an entity without the Kubernetes annotations', async () => {
    const workloads = KubernetesWorkloads.fromConfig(config(server.url));
    const bare = { ...payments, metadata: { name: 'bare' } };
    expect(await workloads.getHistory(bare)).toEqual({ items: [], errors: [] });
    expect(server.requests).toEqual([]);
  });
});

describe('FakeKubernetesApiServer through @kubernetes/client-node', () => {
  let server: FakeKubernetesApiServer;
  beforeEach(async () => {
    server = await FakeKubernetesApiServer.start({ port: 0, token: TOKEN });
  });
  afterEach(() => server.stop());

  const api = () =>
    appsApiFor({
      name: 'fake',
      url: server.url,
      serviceAccountToken: TOKEN,
      // the fake speaks plain HTTP, which client-node allows only so
      skipTLSVerify: true,
    });

  it('answers 401 without the token and 404 Status for an unknown Deployment', async () => {
    const anonymous = appsApiFor({
      name: 'fake',
      url: server.url,
      serviceAccountToken: 'wrong',
      skipTLSVerify: true,
    });
    await expect(
      anonymous.listDeploymentForAllNamespaces({}),
    ).rejects.toMatchObject({ code: 401 });
    const error = await api()
      .readNamespacedDeployment({ name: 'nope', namespace: 'default' })
      .catch(e => e);
    expect(error).toBeInstanceOf(ApiException);
    expect(JSON.parse(error.body)).toMatchObject({
      kind: 'Status',
      apiVersion: 'v1',
      status: 'Failure',
      reason: 'NotFound',
      code: 404,
    });
  });

  it('refuses a patch with a stale resourceVersion with 409 Conflict', async () => {
    const created = server.createDeployment(
      deploymentManifest({
        name: 'web',
        kubernetesId: 'web',
        image: 'web:1',
      }),
    );
    server.updateDeployment('default', 'web', setImage('web:2'));
    const error = await api()
      .patchNamespacedDeployment(
        {
          name: 'web',
          namespace: 'default',
          body: {
            metadata: { resourceVersion: created.metadata.resourceVersion },
            spec: { replicas: 5 },
          },
        },
        setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
      )
      .catch(e => e);
    expect(error.code).toBe(409);
    expect(JSON.parse(error.body)).toMatchObject({
      kind: 'Status',
      reason: 'Conflict',
      details: { name: 'web', group: 'apps', kind: 'deployments' },
    });
    expect(server.getDeployment('default', 'web').spec.replicas).toBe(3);
  });

  it('makes a revision per template, and reuses the old one on a rollback as the controller does', async () => {
    server.createDeployment(
      deploymentManifest({ name: 'web', kubernetesId: 'web', image: 'web:1' }),
    );
    server.updateDeployment('default', 'web', setImage('web:2'), {
      rollOut: true,
    });
    const [first] = server
      .listReplicaSets('default')
      .filter(rs => rs.spec.template.spec.containers[0].image === 'web:1');
    const current = await api().readNamespacedDeployment({
      name: 'web',
      namespace: 'default',
    });
    const patched = await api().patchNamespacedDeployment(
      {
        name: 'web',
        namespace: 'default',
        body: {
          metadata: { resourceVersion: current.metadata!.resourceVersion },
          spec: {
            template: {
              spec: { containers: [{ name: 'app', image: 'web:1' }] },
            },
          },
        },
      },
      setHeaderOptions('Content-Type', PatchStrategy.StrategicMergePatch),
    );
    expect(
      patched.metadata!.annotations!['deployment.kubernetes.io/revision'],
    ).toBe('3');
    const replicaSets = server.listReplicaSets('default');
    expect(replicaSets).toHaveLength(2);
    const reused = replicaSets.find(
      rs => rs.metadata.name === first.metadata.name,
    )!;
    expect(
      reused.metadata.annotations['deployment.kubernetes.io/revision'],
    ).toBe('3');

    // the rollout moves forward on the controller's ticks
    await waitFor(async () => {
      const status = (
        await api().readNamespacedDeployment({
          name: 'web',
          namespace: 'default',
        })
      ).status!;
      return (
        status.updatedReplicas === 3 &&
        status.availableReplicas === 3 &&
        status.replicas === 3
      );
    });
  });

  it('reports ProgressDeadlineExceeded when the new pods never become ready', async () => {
    server.createDeployment(
      deploymentManifest({
        name: 'web',
        kubernetesId: 'web',
        image: 'web:1',
        progressDeadlineSeconds: 3,
      }),
    );
    server.unavailableImages.add('web:broken');
    server.updateDeployment('default', 'web', setImage('web:broken'));
    await waitFor(async () => {
      const deployment = await api().readNamespacedDeployment({
        name: 'web',
        namespace: 'default',
      });
      return deployment.status!.conditions!.some(
        c =>
          c.type === 'Progressing' &&
          c.reason === 'ProgressDeadlineExceeded' &&
          c.status === 'False',
      );
    });
    // the old pods keep serving
    expect(
      server.getDeployment('default', 'web').status.availableReplicas,
    ).toBe(3);
  });

  it('filters lists with set-based selectors and answers a malformed one with 400', async () => {
    server.createDeployment(
      deploymentManifest({ name: 'a', kubernetesId: 'a', image: 'a:1' }),
    );
    server.createDeployment(
      deploymentManifest({ name: 'b', kubernetesId: 'b', image: 'b:1' }),
    );
    const list = await api().listDeploymentForAllNamespaces({
      labelSelector: 'backstage.io/kubernetes-id in (a, c),app',
    });
    expect(list.items.map(d => d.metadata!.name)).toEqual(['a']);
    await expect(
      api().listDeploymentForAllNamespaces({ labelSelector: 'a in b' }),
    ).rejects.toMatchObject({ code: 400 });
  });
});

async function waitFor(check: () => Promise<boolean>, timeoutMs = 5000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise(resolve => setTimeout(resolve, 20));
  }
}

describe('KubernetesWorkloads.actionRefusal (ops.kubernetes.workloads)', () => {
  const workloads = KubernetesWorkloads.fromConfig(
    new ConfigReader({
      ops: {
        kubernetes: {
          workloads: [
            {
              cluster: 'production',
              namespace: 'payments',
              deployment: 'payments-api',
              entities: ['component:default/payments-api'],
            },
            {
              namespace: 'orders',
              deployment: 'orders-api',
              owners: ['team-orders'],
            },
          ],
        },
      },
    }),
  );
  const deployment = {
    cluster: 'production',
    namespace: 'payments',
    deployment: 'payments-api',
  };
  const service = (name: string, owner: string): Entity => ({
    ...payments,
    metadata: { ...payments.metadata, name },
    spec: { ...payments.spec, owner },
  });

  it('allows the bound entity, by ref or by owner in any cluster', () => {
    expect(workloads.actionRefusal(payments, deployment)).toBeUndefined();
    expect(
      workloads.actionRefusal(service('orders-api', 'team-orders'), {
        cluster: 'staging',
        namespace: 'orders',
        deployment: 'orders-api',
      }),
    ).toBeUndefined();
  });

  it('refuses another entity carrying the same kubernetes-id', () => {
    expect(
      workloads.actionRefusal(service('rogue-api', 'guests'), deployment),
    ).toBe(
      'component:default/rogue-api is not bound to the Deployment production/payments/payments-api: neither it nor its owner group:default/guests is named in ops.kubernetes.workloads[0].entities or ops.kubernetes.workloads[0].owners',
    );
  });

  it('refuses a Deployment bound in another cluster only, or bound nowhere', () => {
    expect(
      workloads.actionRefusal(payments, { ...deployment, cluster: 'staging' }),
    ).toMatch(
      /^The Deployment staging\/payments\/payments-api is bound to no entity/,
    );
  });
});
