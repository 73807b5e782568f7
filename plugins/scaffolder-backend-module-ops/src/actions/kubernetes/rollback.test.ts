import { mockServices } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { JsonValue } from '@backstage/types';
import {
  CreateDeploymentRequest,
  AppendIncidentEventRequest,
} from '@opsdeck/plugin-ops-common';
import { KubernetesWorkloads, WorkloadBinding } from '@opsdeck/plugin-ops-node';
import {
  deploymentManifest,
  FakeKubernetesApiServer,
  setImage,
} from '@opsdeck/plugin-ops-node/testUtils';
import {
  deployPayments as deployPaymentsTo,
  PAYMENTS_IMAGE,
  paymentsEntity,
} from '../../__testUtils__/paymentsDeployment';
import { createKubernetesRollbackAction } from './rollback';

// The parity cases of `kubectl rollout undo`, and the guardrails beyond it,
// against the fake API server through @kubernetes/client-node.

const TOKEN = 'rollback-test-token';
const IMAGE = PAYMENTS_IMAGE;
const INCIDENT = '3f1c2d3e-0000-4000-8000-000000000042';
const entity = paymentsEntity;
// Registered by someone else (the guest can register entities): it carries
// payments-api's kubernetes-id, and its registrant may operate on it.
const rogue: Entity = {
  ...entity,
  metadata: { ...entity.metadata, name: 'rogue-api' },
  spec: { ...entity.spec, owner: 'guests' },
};

class RecordingOpsClient {
  readonly deployments: CreateDeploymentRequest[] = [];
  readonly incidentEvents: Array<
    { incidentId: string } & AppendIncidentEventRequest
  > = [];
  failNextCreate = false;

  async createDeployment(request: CreateDeploymentRequest) {
    if (this.failNextCreate) {
      this.failNextCreate = false;
      throw new Error('ops backend unavailable');
    }
    this.deployments.push(request);
    return {
      ...request,
      id: `deployment-${this.deployments.length}`,
      createdBy: 'user:default/mock',
      createdAt: new Date().toISOString(),
    };
  }

  async appendIncidentEvent(
    request: { incidentId: string } & AppendIncidentEventRequest,
  ) {
    this.incidentEvents.push(request);
    return {
      id: '1',
      incidentId: request.incidentId,
      type: request.type,
      message: request.message,
      author: 'user:default/mock',
      createdAt: new Date().toISOString(),
    };
  }
}

/** Task checkpoints as the scaffolder keeps them: successes survive a retry. */
function checkpoints() {
  const state = new Map<string, JsonValue>();
  return {
    state,
    checkpoint: async <T extends JsonValue | void>(opts: {
      key: string;
      fn: () => Promise<T> | T;
    }): Promise<T> => {
      if (state.has(opts.key)) return state.get(opts.key) as T;
      const value = await opts.fn();
      state.set(opts.key, JSON.parse(JSON.stringify(value ?? null)));
      return value;
    },
  };
}

describe('ops:kubernetes:rollback', () => {
  let server: FakeKubernetesApiServer;
  let opsClient: RecordingOpsClient;
  let allowed: boolean;
  let logs: string[];

  function action(
    bindings: WorkloadBinding[] = [
      {
        namespace: 'payments',
        deployment: 'payments-api',
        binding: { entities: ['component:default/payments-api'], owners: [] },
      },
    ],
  ) {
    const workloads = new KubernetesWorkloads(
      [
        {
          name: 'production',
          url: server.url,
          serviceAccountToken: TOKEN,
          skipTLSVerify: true, // the fake speaks plain HTTP
        },
      ],
      { bindings },
    );
    return createKubernetesRollbackAction({
      workloads,
      catalog: catalogServiceMock({ entities: [entity, rogue] }),
      permissions: mockServices.permissions.mock({
        authorize: async requests =>
          requests.map(() => ({
            result: allowed ? AuthorizeResult.ALLOW : AuthorizeResult.DENY,
          })),
      }),
      opsClient,
      pollIntervalMs: 10,
    });
  }

  function context(
    input: Record<string, unknown>,
    store = checkpoints(),
    extra: { isDryRun?: boolean } = {},
  ) {
    const logger = mockServices.logger.mock();
    logger.info.mockImplementation(message => {
      logs.push(String(message));
    });
    const ctx = createMockActionContext({
      input: {
        entityRef: 'component:default/payments-api',
        reason: 'Checkout errors',
        ...input,
      },
      logger,
    });
    return Object.assign(ctx, { checkpoint: store.checkpoint, ...extra });
  }

  const deployPayments = (options?: { progressDeadlineSeconds?: number }) =>
    deployPaymentsTo(server, options);

  const current = () => server.getDeployment('payments', 'payments-api');
  const image = () => current().spec.template.spec.containers[0].image;
  const revision = () =>
    current().metadata.annotations['deployment.kubernetes.io/revision'];

  beforeEach(async () => {
    server = await FakeKubernetesApiServer.start({
      port: 6444,
      token: TOKEN,
      tickMs: 5,
    });
    opsClient = new RecordingOpsClient();
    allowed = true;
    logs = [];
  });

  afterEach(() => server.stop());

  it('rolls back to the previous revision by default and waits for the rollout', async () => {
    deployPayments();
    const ctx = context({ incidentId: INCIDENT });
    await action().handler(ctx);

    expect(image()).toBe(`${IMAGE}:1.1.0`);
    // the controller reused revision 2's ReplicaSet as revision 4
    expect(revision()).toBe('4');
    expect(server.listReplicaSets('payments')).toHaveLength(3);
    expect(current().status).toMatchObject({
      replicas: 3,
      updatedReplicas: 3,
      availableReplicas: 3,
    });
    // kubectl copies the revision's change cause back
    expect(current().metadata.annotations['kubernetes.io/change-cause']).toBe(
      'release 1.1.0',
    );
    expect(ctx.output).toHaveBeenCalledWith('result', 'rolled-back');
    expect(ctx.output).toHaveBeenCalledWith('fromRevision', 3);
    expect(ctx.output).toHaveBeenCalledWith('toRevision', 2);

    const [patch] = server.patches();
    expect(patch.contentType).toBe('application/merge-patch+json');
    expect(patch.body).toMatchObject({
      metadata: { resourceVersion: expect.any(String) },
    });
    expect(server.patches()).toHaveLength(1);

    expect(logs).toContainEqual(
      expect.stringMatching(/^Rollout payments\/payments-api: .*updated/),
    );
    expect(logs).toContainEqual(
      expect.stringContaining('successfully rolled out'),
    );
    expect(opsClient.deployments).toEqual([
      expect.objectContaining({
        entityRef: 'component:default/payments-api',
        environment: 'production',
        status: 'rolled-back',
        version: `revision 2: ${IMAGE}:1.1.0`,
        description: expect.stringContaining('Checkout errors'),
      }),
    ]);
    expect(opsClient.incidentEvents).toEqual([
      expect.objectContaining({
        incidentId: INCIDENT,
        type: 'action',
        message: expect.stringMatching(
          /^Rolled back: production\/payments\/payments-api from revision 3 .* to revision 2/,
        ),
      }),
    ]);
  });

  it('rolls back to an explicit revision', async () => {
    deployPayments();
    await action().handler(context({ toRevision: 1 }));
    expect(image()).toBe(`${IMAGE}:1.0.0`);
    expect(revision()).toBe('4');
  });

  it('refuses a paused Deployment and changes nothing', async () => {
    deployPayments();
    server.updateDeployment('payments', 'payments-api', d => {
      d.spec.paused = true;
    });
    await expect(action().handler(context({}))).rejects.toThrow(
      /cannot roll back a paused deployment; resume payments\/payments-api first/,
    );
    expect(server.patches()).toEqual([]);
    expect(opsClient.deployments).toEqual([]);
  });

  it('refuses a real rollback whose typed confirmation names another service, and changes nothing', async () => {
    deployPayments();
    await expect(
      action().handler(context({ confirmation: 'orders-api' })),
    ).rejects.toThrow(
      'confirmation: typed "orders-api", but a real run must confirm "payments-api"; nothing was done (roll back component:default/payments-api)',
    );
    expect(server.patches()).toEqual([]);
    expect(revision()).toBe('3');
    expect(opsClient.deployments).toEqual([]);
  });

  it('rolls back when the typed confirmation is the service name', async () => {
    deployPayments();
    await action().handler(context({ confirmation: 'payments-api' }));
    expect(revision()).toBe('4');
  });

  it('fails clearly without history to roll back to', async () => {
    server.createDeployment(
      deploymentManifest({
        name: 'payments-api',
        namespace: 'payments',
        kubernetesId: 'payments-api',
        image: `${IMAGE}:1.0.0`,
      }),
    );
    await expect(action().handler(context({}))).rejects.toThrow(
      'No rollout history found for deployment payments/payments-api in cluster production: it has only one revision, nothing to roll back to',
    );
    expect(server.patches()).toEqual([]);
  });

  it('skips when the current template already matches the revision', async () => {
    deployPayments();
    const ctx = context({ toRevision: 3 });
    await action().handler(ctx);
    expect(ctx.output).toHaveBeenCalledWith('result', 'skipped');
    expect(logs).toContain(
      'skipped rollback (current template already matches revision 3)',
    );
    expect(server.patches()).toEqual([]);
    expect(opsClient.deployments).toEqual([]);
  });

  it('fails clearly for a revision that is not in the history', async () => {
    deployPayments();
    await expect(action().handler(context({ toRevision: 9 }))).rejects.toThrow(
      'Unable to find revision 9 of deployment payments/payments-api in cluster production; its history has 3, 2, 1',
    );
    expect(server.patches()).toEqual([]);
  });

  it('fails with a conflict when a deploy lands in between, and overwrites nothing', async () => {
    deployPayments();
    const store = checkpoints();
    const ctx = context({}, store);
    // a CI deploy lands right after the rollback read the Deployment
    ctx.checkpoint = async opts => {
      const value = await store.checkpoint(opts);
      if (opts.key.includes('.plan.')) {
        server.updateDeployment(
          'payments',
          'payments-api',
          setImage(`${IMAGE}:1.3.0`, 'release 1.3.0'),
        );
      }
      return value;
    };
    await expect(action().handler(ctx)).rejects.toThrow(
      /production\/payments\/payments-api changed since it was read \(resourceVersion \d+\): a deploy or another rollback landed in between. Nothing was rolled back/,
    );
    expect(server.patches().map(p => p.status)).toEqual([409]);
    expect(image()).toBe(`${IMAGE}:1.3.0`);
    expect(revision()).toBe('4');
    expect(opsClient.deployments).toEqual([]);
  });

  it('fails and says so when the rollout exceeds its progress deadline', async () => {
    deployPayments({ progressDeadlineSeconds: 5 });
    // revision 2's image can no longer be pulled
    server.unavailableImages.add(`${IMAGE}:1.1.0`);
    const ctx = context({ incidentId: INCIDENT });
    await expect(action().handler(ctx)).rejects.toThrow(
      /The rollout of payments\/payments-api exceeded its progress deadline \(progressDeadlineSeconds 5\): ReplicaSet "payments-api-[0-9a-f]+" has timed out progressing. 3 of 3 replicas are available/,
    );
    expect(opsClient.deployments).toEqual([
      expect.objectContaining({ status: 'failed' }),
    ]);
    expect(opsClient.incidentEvents[0].message).toMatch(/^Rollback failed/);
  });

  it('never patches twice when a task is retried', async () => {
    deployPayments();
    const store = checkpoints();
    // the first attempt dies after the patch, before it is recorded
    opsClient.failNextCreate = true;
    await expect(action().handler(context({}, store))).rejects.toThrow(
      'ops backend unavailable',
    );
    expect(server.patches()).toHaveLength(1);
    expect(image()).toBe(`${IMAGE}:1.1.0`);

    // the retry sees its own rollback in the cluster, but keeps its decision
    const retry = context({}, store);
    await action().handler(retry);
    expect(server.patches()).toHaveLength(1);
    expect(revision()).toBe('4');
    expect(retry.output).toHaveBeenCalledWith('result', 'rolled-back');
    expect(opsClient.deployments).toHaveLength(1);

    // and a third run of the finished task records nothing more
    await action().handler(context({}, store));
    expect(server.patches()).toHaveLength(1);
    expect(opsClient.deployments).toHaveLength(1);
  });

  it.each([
    ['the dryRun input', { dryRun: true }, {}],
    ["the scaffolder's dry run", {}, { isDryRun: true }],
  ])(
    'prints the template difference and changes nothing in a dry run (%s)',
    async (_name, input, extra) => {
      deployPayments();
      const before = current();
      const ctx = context(input, checkpoints(), extra);
      await action().handler(ctx);
      expect(ctx.output).toHaveBeenCalledWith('result', 'dry-run');
      expect(ctx.output).toHaveBeenCalledWith(
        'diff',
        [
          `- spec.containers[app].image: "${IMAGE}:1.2.0"`,
          `+ spec.containers[app].image: "${IMAGE}:1.1.0"`,
        ].join('\n'),
      );
      expect(logs).toContainEqual(
        expect.stringContaining(
          `Dry run: would roll production/payments/payments-api back from revision 3 (${IMAGE}:1.2.0) to revision 2 (${IMAGE}:1.1.0)`,
        ),
      );
      expect(server.patches()).toEqual([]);
      expect(current().metadata.resourceVersion).toBe(
        before.metadata.resourceVersion,
      );
      expect(opsClient.deployments).toEqual([]);
    },
  );

  it('refuses a user without the operation permission before touching the cluster', async () => {
    deployPayments();
    allowed = false;
    await expect(action().handler(context({}))).rejects.toThrow(
      /You are not allowed to roll back component:default\/payments-api: ops.operation.execute/,
    );
    expect(server.requests).toEqual([]);
  });

  it.each([[{}], [{ dryRun: true }]])(
    "refuses %j to an entity that carries payments-api's kubernetes-id without being bound to it, before any patch",
    async input => {
      deployPayments();
      const before = current();
      await expect(
        action().handler(
          context({ ...input, entityRef: 'component:default/rogue-api' }),
        ),
      ).rejects.toMatchObject({
        name: 'NotAllowedError',
        message:
          'component:default/rogue-api is not bound to the Deployment production/payments/payments-api: neither it nor its owner group:default/guests is named in ops.kubernetes.workloads[0].entities or ops.kubernetes.workloads[0].owners',
      });
      expect(server.requests.filter(r => r.method !== 'GET')).toEqual([]);
      expect(current().metadata.resourceVersion).toBe(
        before.metadata.resourceVersion,
      );
      expect(opsClient.deployments).toEqual([]);
    },
  );

  it('refuses a Deployment no entry of ops.kubernetes.workloads binds, even to its own entity', async () => {
    deployPayments();
    await expect(action([]).handler(context({}))).rejects.toMatchObject({
      name: 'NotAllowedError',
      message:
        'The Deployment production/payments/payments-api is bound to no entity, so component:default/payments-api may not act on it: an admin must add it to ops.kubernetes.workloads (cluster, namespace, deployment) with the entities or owners allowed to',
    });
    expect(server.requests.filter(r => r.method !== 'GET')).toEqual([]);
  });
});
