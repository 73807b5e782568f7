import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { mockServices } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { KubernetesWorkloads } from '@opsdeck/plugin-ops-node';
import { FakeKubernetesApiServer } from '@opsdeck/plugin-ops-node/testUtils';
import {
  deployPayments,
  PAYMENTS_IMAGE,
  paymentsEntity,
} from '../../__testUtils__/paymentsDeployment';
import { createKubernetesRollbackAction } from './rollback';

// Parity with the real client: the machine's `kubectl` (Debian's
// kubernetes-client, or the one preinstalled; scripts/system-packages.sh)
// against the fake API server over TLS with a bearer token, as against a
// cluster. `kubectl rollout history` must list what OpsDeck's history
// lists, and `kubectl rollout undo` on one cluster must leave the same
// Deployment as OpsDeck's rollback on an identical one. This is also the
// proof that the fake speaks the wire format a real client expects.

const run = promisify(execFile);
// kubectl is a separate process: on a loaded machine one run takes seconds
jest.setTimeout(60_000);
const TOKEN = 'kubectl-parity-token';
const IMAGE = PAYMENTS_IMAGE;
const entity = paymentsEntity;

let dir: string;
let tls: { key: string; cert: string };

/** A cluster with payments/payments-api at revisions 1, 2, 3 (3 running). */
async function seededCluster() {
  const server = await FakeKubernetesApiServer.start({
    token: TOKEN,
    tickMs: 5,
    tls,
  });
  deployPayments(server);
  return server;
}

/** Runs kubectl with a kubeconfig naming this server, its CA and the token. */
async function kubectl(server: FakeKubernetesApiServer, ...args: string[]) {
  const kubeconfig = join(dir, `kubeconfig-${new URL(server.url).port}`);
  writeFileSync(
    kubeconfig,
    JSON.stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [
        {
          name: 'fake',
          cluster: {
            server: server.url,
            'certificate-authority': join(dir, 'cert.pem'),
          },
        },
      ],
      users: [{ name: 'ops', user: { token: TOKEN } }],
      contexts: [
        {
          name: 'fake',
          context: { cluster: 'fake', user: 'ops', namespace: 'payments' },
        },
      ],
      'current-context': 'fake',
    }),
  );
  const { stdout } = await run('kubectl', args, {
    env: { ...process.env, KUBECONFIG: kubeconfig, HOME: dir },
  });
  return stdout;
}

/** `REVISION  CHANGE-CAUSE` rows of `kubectl rollout history`. */
async function kubectlHistory(server: FakeKubernetesApiServer) {
  const out = await kubectl(
    server,
    'rollout',
    'history',
    'deployment/payments-api',
  );
  return out
    .split('\n')
    .map(line => line.match(/^(\d+)\s+(.*?)\s*$/))
    .filter((m): m is RegExpMatchArray => Boolean(m))
    .map(m => ({ revision: Number(m[1]), changeCause: m[2] }));
}

async function kubectlImagesOf(
  server: FakeKubernetesApiServer,
  revision: number,
) {
  const out = await kubectl(
    server,
    'rollout',
    'history',
    'deployment/payments-api',
    `--revision=${revision}`,
  );
  return [...out.matchAll(/Image:\s+(\S+)/g)].map(m => m[1]);
}

function workloadsOf(server: FakeKubernetesApiServer) {
  return new KubernetesWorkloads(
    [
      {
        name: 'production',
        url: server.url,
        serviceAccountToken: TOKEN,
        skipTLSVerify: false,
        caData: Buffer.from(tls.cert).toString('base64'),
      },
    ],
    {
      bindings: [
        {
          namespace: 'payments',
          deployment: 'payments-api',
          binding: { entities: ['component:default/payments-api'], owners: [] },
        },
      ],
    },
  );
}

async function opsDeckHistory(server: FakeKubernetesApiServer) {
  const { items, errors } = await workloadsOf(server).getHistory(entity);
  expect(errors).toEqual([]);
  return items[0].revisions;
}

async function opsDeckRollback(
  server: FakeKubernetesApiServer,
  toRevision?: number,
) {
  const action = createKubernetesRollbackAction({
    workloads: workloadsOf(server),
    catalog: catalogServiceMock({ entities: [entity] }),
    permissions: mockServices.permissions.mock({
      authorize: async requests =>
        requests.map(() => ({ result: AuthorizeResult.ALLOW })),
    }),
    opsClient: {
      createDeployment: async request => ({
        ...request,
        id: 'deployment-1',
        createdBy: 'user:default/mock',
        createdAt: new Date().toISOString(),
      }),
      appendIncidentEvent: async () => {
        throw new Error('no incident in this test');
      },
    },
    pollIntervalMs: 10,
  });
  await action.handler(
    createMockActionContext({
      input: {
        entityRef: 'component:default/payments-api',
        reason: 'parity with kubectl rollout undo',
        ...(toRevision ? { toRevision } : {}),
      },
    }),
  );
}

/** What a rollback leaves, comparable across two clusters. */
function outcome(server: FakeKubernetesApiServer) {
  const deployment = server.getDeployment('payments', 'payments-api');
  return {
    revision:
      deployment.metadata.annotations['deployment.kubernetes.io/revision'],
    changeCause: deployment.metadata.annotations['kubernetes.io/change-cause'],
    template: deployment.spec.template,
  };
}

/** Lets the controller finish the rollout the rollback started. */
async function settled(server: FakeKubernetesApiServer) {
  for (let i = 0; i < 200; i++) {
    const { status, spec } = server.getDeployment('payments', 'payments-api');
    if (
      status.updatedReplicas === spec.replicas &&
      status.replicas === spec.replicas &&
      status.availableReplicas === spec.replicas
    ) {
      return;
    }
    await new Promise(resolve => setTimeout(resolve, 10));
  }
  throw new Error('the rollout did not finish');
}

const podImages = (server: FakeKubernetesApiServer) =>
  server
    .listPods('payments')
    .map(pod => pod.spec.containers[0].image)
    .sort();

describe('kubectl parity', () => {
  let kubectlCluster: FakeKubernetesApiServer;
  let opsDeckCluster: FakeKubernetesApiServer;

  beforeAll(async () => {
    await run('kubectl', ['version', '--client']).catch(() => {
      throw new Error(
        'kubectl is not installed: scripts/system-packages.sh installs it (Debian: kubernetes-client)',
      );
    });
    dir = mkdtempSync(join(tmpdir(), 'opsdeck-kubectl-'));
    await run('openssl', [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '1',
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1',
      '-keyout',
      join(dir, 'key.pem'),
      '-out',
      join(dir, 'cert.pem'),
    ]);
    tls = {
      key: readFileSync(join(dir, 'key.pem'), 'utf8'),
      cert: readFileSync(join(dir, 'cert.pem'), 'utf8'),
    };
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  beforeEach(async () => {
    kubectlCluster = await seededCluster();
    opsDeckCluster = await seededCluster();
  });

  afterEach(async () => {
    await kubectlCluster.stop();
    await opsDeckCluster.stop();
  });

  it('kubectl rollout history lists the revisions, change causes and images OpsDeck shows', async () => {
    const revisions = await opsDeckHistory(kubectlCluster);
    expect(await kubectlHistory(kubectlCluster)).toEqual([
      { revision: 1, changeCause: 'release 1.0.0' },
      { revision: 2, changeCause: 'release 1.1.0' },
      { revision: 3, changeCause: 'release 1.2.0' },
    ]);
    expect(
      revisions
        .map(r => ({ revision: r.revision, changeCause: r.changeCause }))
        .reverse(),
    ).toEqual(await kubectlHistory(kubectlCluster));
    for (const revision of revisions) {
      expect(await kubectlImagesOf(kubectlCluster, revision.revision)).toEqual(
        revision.images,
      );
    }
  });

  it.each([
    ['the previous revision', undefined, '1.1.0'],
    ['revision 1', 1, '1.0.0'],
  ])(
    'kubectl rollout undo to %s and OpsDeck rollback leave the same Deployment',
    async (_label, toRevision, version) => {
      await kubectl(
        kubectlCluster,
        'rollout',
        'undo',
        'deployment/payments-api',
        ...(toRevision ? [`--to-revision=${toRevision}`] : []),
      );
      await opsDeckRollback(opsDeckCluster, toRevision);
      await settled(kubectlCluster);
      await settled(opsDeckCluster);

      // the same revision (4), change cause and pod template, with the
      // pods following on both clusters
      expect(outcome(opsDeckCluster)).toEqual(outcome(kubectlCluster));
      expect(outcome(kubectlCluster).revision).toBe('4');
      // both reused the revision's ReplicaSet, as a real controller does
      expect(kubectlCluster.listReplicaSets('payments')).toHaveLength(3);
      expect(opsDeckCluster.listReplicaSets('payments')).toHaveLength(3);
      expect(outcome(kubectlCluster).template.spec.containers[0].image).toBe(
        `${IMAGE}:${version}`,
      );
      expect(podImages(kubectlCluster)).toEqual(
        Array(3).fill(`${IMAGE}:${version}`),
      );
      expect(podImages(opsDeckCluster)).toEqual(podImages(kubectlCluster));

      // each side reads the other's result as its own
      expect(await kubectlHistory(opsDeckCluster)).toEqual(
        await kubectlHistory(kubectlCluster),
      );
      const opsDeck = await opsDeckHistory(kubectlCluster);
      expect(
        opsDeck
          .map(r => ({ revision: r.revision, changeCause: r.changeCause }))
          .reverse(),
      ).toEqual(await kubectlHistory(kubectlCluster));
      expect(opsDeck.find(r => r.current)?.images).toEqual(
        await kubectlImagesOf(opsDeckCluster, 4),
      );
    },
  );
});
