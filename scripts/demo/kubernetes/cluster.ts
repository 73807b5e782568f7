// The demo's Kubernetes cluster: the fake API server of
// @opsdeck/plugin-ops-node/testUtils (what it covers: that package's README),
// serving Deployments, their ReplicaSets and pods, so that OpsDeck's
// Deployments card, the rollback template and Backstage's Kubernetes tab
// have a cluster to show. Its history is the example CI's: every production
// deployment of examples/ops-records.yaml that succeeded (and the rollback)
// is replayed at its time, with its image, so each recorded deployment links
// to the revision it produced. Started by scripts/demo/kubernetes.sh.

import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseEntityRef } from '@backstage/catalog-model';
import {
  deploymentManifest,
  FakeKubernetesApiServer,
  setImage,
} from '@opsdeck/plugin-ops-node/testUtils';
import { parse } from 'yaml';
import { relativeTime } from '../../../packages/backend/src/modules/exampleRecords';

const RECORDS = resolve(__dirname, '../../../examples/ops-records.yaml');

/** Replicas per Deployment; payments-api runs the default 3. */
const REPLICAS: Record<string, number> = { 'orders-api': 2, 'search-api': 2 };

type RecordedDeployment = {
  environment: string;
  version: string;
  commit?: string;
  image?: string;
  started: string;
  status: string;
  description?: string;
};

/** What reached production, oldest first: the Deployment changes to replay. */
function changes(now: Date) {
  const { services } = parse(readFileSync(RECORDS, 'utf8')) as {
    services: Record<string, { deployments?: RecordedDeployment[] }>;
  };
  return Object.entries(services)
    .flatMap(([ref, { deployments = [] }]) =>
      deployments
        .filter(d => d.environment === 'production' && d.image)
        .filter(d => d.status === 'succeeded' || d.status === 'rolled-back')
        .map(d => ({
          name: parseEntityRef(ref).name,
          image: d.image!,
          at: Date.parse(relativeTime(d.started, now)),
          changeCause:
            d.status === 'rolled-back'
              ? d.description ?? `rollback to ${d.version}`
              : `CI ${d.version}${d.commit ? ` (${d.commit})` : ''}`,
        })),
    )
    .sort((a, b) => a.at - b.at);
}

async function main() {
  const port = Number(process.env.OPSDECK_DEMO_K8S_PORT ?? 6449);
  const token = process.env.OPSDECK_DEMO_K8S_TOKEN ?? 'opsdeck-demo-k8s-token';
  const now = new Date();
  const history = changes(now);
  let clock = history[0]?.at ?? now.getTime();
  const server = await FakeKubernetesApiServer.start({
    port,
    token,
    tickMs: 500,
    secondsPerTick: 1,
    startTime: new Date(clock),
  });

  for (const change of history) {
    server.advanceClock(Math.round((change.at - clock) / 1000));
    clock = change.at;
    const namespace = change.name.replace(/-api$/, '');
    if (server.listReplicaSets(namespace).length === 0) {
      server.createDeployment(
        deploymentManifest({
          name: change.name,
          namespace,
          kubernetesId: change.name,
          image: change.image,
          replicas: REPLICAS[change.name],
          changeCause: change.changeCause,
        }),
      );
    } else {
      // a rollback sets the template back: the controller reuses its
      // ReplicaSet as the newest revision, as after `kubectl rollout undo`
      server.updateDeployment(
        namespace,
        change.name,
        setImage(change.image, change.changeCause),
        { rollOut: true },
      );
    }
  }
  // the cluster's clock is the wall clock from here on
  server.advanceClock(Math.round((Date.now() - clock) / 1000));
  console.log(
    `fake Kubernetes API server on ${server.url}: ${history.length} deployments replayed`,
  );

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
