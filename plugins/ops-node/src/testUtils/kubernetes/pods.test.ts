import { FakeKubernetesApiServer } from './FakeKubernetesApiServer';
import { deploymentManifest, setImage } from './manifests';

// What Backstage's Kubernetes plugin lists for an entity (its fan-out
// handler's default object types), read over HTTP as that plugin reads it.

const TOKEN = 'pods-test-token';
const SELECTOR = 'labelSelector=backstage.io%2Fkubernetes-id%3Dorders-api';

describe('FakeKubernetesApiServer pods and other resources', () => {
  let server: FakeKubernetesApiServer;

  const get = async (path: string) => {
    const res = await fetch(`${server.url}${path}`, {
      headers: { Authorization: `Bearer ${TOKEN}` },
    });
    return { status: res.status, body: (await res.json()) as any };
  };

  const podsNow = async () => (await get(`/api/v1/pods?${SELECTOR}`)).body;

  beforeEach(async () => {
    server = await FakeKubernetesApiServer.start({ token: TOKEN, tickMs: 5 });
    server.createDeployment(
      deploymentManifest({
        name: 'orders-api',
        namespace: 'orders',
        kubernetesId: 'orders-api',
        image: 'registry.example.com/orders-api:2.0.0',
        replicas: 2,
      }),
    );
  });

  afterEach(() => server.stop());

  it('lists the running, ready pods of the current ReplicaSet with the entity label', async () => {
    const [rs] = server.listReplicaSets('orders');
    const list = await podsNow();
    expect(list).toMatchObject({ kind: 'PodList', apiVersion: 'v1' });
    expect(list.items).toHaveLength(2);
    for (const pod of list.items) {
      expect(pod.metadata.name).toMatch(
        new RegExp(`^${rs.metadata.name}-[bcdfghjklmnpqrstvwxz2456789]{5}$`),
      );
      expect(pod.metadata.ownerReferences).toEqual([
        expect.objectContaining({
          kind: 'ReplicaSet',
          name: rs.metadata.name,
          uid: rs.metadata.uid,
          controller: true,
        }),
      ]);
      expect(pod.status.phase).toBe('Running');
      expect(pod.status.containerStatuses).toEqual([
        expect.objectContaining({
          image: 'registry.example.com/orders-api:2.0.0',
          ready: true,
        }),
      ]);
    }
    const [first] = list.items;
    const one = await get(
      `/api/v1/namespaces/orders/pods/${first.metadata.name}`,
    );
    expect(one.body).toMatchObject({ kind: 'Pod', metadata: first.metadata });
    expect(
      (await get('/api/v1/pods?labelSelector=backstage.io%2Fkubernetes-id%3Dx'))
        .body.items,
    ).toEqual([]);
  });

  it('replaces the pods as a rollout moves to a new ReplicaSet, keeping unready pods of a broken image', async () => {
    const before = (await podsNow()).items.map((p: any) => p.metadata.name);
    server.unavailableImages.add('registry.example.com/orders-api:2.1.0');
    server.updateDeployment(
      'orders',
      'orders-api',
      setImage('registry.example.com/orders-api:2.1.0'),
    );
    await new Promise(resolve => setTimeout(resolve, 200));
    const after = (await podsNow()).items;
    // the old pods stay while the new ones are not ready
    expect(after.map((p: any) => p.metadata.name)).toEqual(
      expect.arrayContaining(before),
    );
    const broken = after.filter((p: any) => !before.includes(p.metadata.name));
    expect(broken).toHaveLength(2);
    expect(broken.map((p: any) => p.status.containerStatuses[0].ready)).toEqual(
      [false, false],
    );

    server.unavailableImages.clear();
    await new Promise(resolve => setTimeout(resolve, 200));
    const healed = (await podsNow()).items;
    expect(healed.map((p: any) => p.metadata.name).sort()).toEqual(
      broken.map((p: any) => p.metadata.name).sort(),
    );
    expect(healed.every((p: any) => p.status.containerStatuses[0].ready)).toBe(
      true,
    );
  });

  it.each([
    ['/api/v1/services', 'ServiceList', 'v1'],
    ['/api/v1/configmaps', 'ConfigMapList', 'v1'],
    ['/api/v1/limitranges', 'LimitRangeList', 'v1'],
    ['/api/v1/resourcequotas', 'ResourceQuotaList', 'v1'],
    [
      '/apis/autoscaling/v2/horizontalpodautoscalers',
      'HorizontalPodAutoscalerList',
      'autoscaling/v2',
    ],
    ['/apis/batch/v1/jobs', 'JobList', 'batch/v1'],
    ['/apis/batch/v1/cronjobs', 'CronJobList', 'batch/v1'],
    [
      '/apis/networking.k8s.io/v1/ingresses',
      'IngressList',
      'networking.k8s.io/v1',
    ],
    ['/apis/apps/v1/statefulsets', 'StatefulSetList', 'apps/v1'],
    ['/apis/apps/v1/daemonsets', 'DaemonSetList', 'apps/v1'],
  ])('answers %s with an empty %s', async (path, kind, apiVersion) => {
    const { status, body } = await get(`${path}?${SELECTOR}`);
    expect(status).toBe(200);
    expect(body).toMatchObject({ kind, apiVersion, items: [] });
  });

  it('refuses writes to pods and serves no unknown types', async () => {
    const res = await fetch(`${server.url}/api/v1/namespaces/orders/pods/x`, {
      method: 'DELETE',
      headers: { Authorization: `Bearer ${TOKEN}` },
    });
    expect(res.status).toBe(405);
    expect((await get('/api/v1/secrets')).status).toBe(404);
    expect((await get('/apis/metrics.k8s.io/v1beta1/pods')).status).toBe(404);
  });
});
