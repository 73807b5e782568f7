// The demo's Kubernetes cluster: the fake apps/v1 API server of
// @opsdeck/plugin-ops-node/testUtils (what it covers: that package's README)
// with the example services' Deployments and a few revisions of
// payments-api, so the Deployments card and the rollback template have
// something to show. Started by scripts/demo/kubernetes.sh.

import {
  deploymentManifest,
  deployReleases,
  FakeKubernetesApiServer,
} from '@opsdeck/plugin-ops-node/testUtils';

const REGISTRY = 'registry.example.com/opsdeck';

async function main() {
  const port = Number(process.env.OPSDECK_DEMO_K8S_PORT ?? 6449);
  const token = process.env.OPSDECK_DEMO_K8S_TOKEN ?? 'opsdeck-demo-k8s-token';
  const server = await FakeKubernetesApiServer.start({
    port,
    token,
    tickMs: 500,
    secondsPerTick: 1,
    // revisions of the last ten days
    startTime: new Date(Date.now() - 10 * 24 * 3600_000),
  });

  deployReleases(server, {
    name: 'payments-api',
    namespace: 'payments',
    kubernetesId: 'payments-api',
    secondsApart: 4 * 24 * 3600,
    releases: [
      {
        image: `${REGISTRY}/payments-api:1.4.0`,
        changeCause: 'release 1.4.0: card tokenisation',
      },
      {
        image: `${REGISTRY}/payments-api:1.4.1`,
        changeCause: 'release 1.4.1: retry declined cards once',
      },
      {
        image: `${REGISTRY}/payments-api:1.4.2`,
        changeCause: 'release 1.4.2: new fraud-score client',
      },
    ],
  });
  for (const name of ['orders-api', 'search-api']) {
    server.createDeployment(
      deploymentManifest({
        name,
        namespace: name.replace(/-api$/, ''),
        kubernetesId: name,
        image: `${REGISTRY}/${name}:2.0.0`,
        replicas: 2,
        changeCause: 'release 2.0.0',
      }),
    );
  }
  console.log(`fake Kubernetes API server on ${server.url}`);

  const stop = () => {
    server.stop().then(() => process.exit(0));
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
