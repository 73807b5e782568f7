import { authServiceFactory } from '@backstage/backend-defaults/auth';
import { httpAuthServiceFactory } from '@backstage/backend-defaults/httpAuth';
import { userInfoServiceFactory } from '@backstage/backend-defaults/userInfo';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import authBackend from '@backstage/plugin-auth-backend';
import guestProvider from '@backstage/plugin-auth-backend-module-guest-provider';
import catalogBackend from '@backstage/plugin-catalog-backend';
import scaffolderEntityModel from '@backstage/plugin-catalog-backend-module-scaffolder-entity-model';
import permissionBackend from '@backstage/plugin-permission-backend';
import scaffolderBackend from '@backstage/plugin-scaffolder-backend';
import opsScaffolderModule from '@opsdeck/plugin-scaffolder-backend-module-ops';
import {
  deployReleases,
  FakeKubernetesApiServer,
} from '@opsdeck/plugin-ops-node/testUtils';
import { eventually, exampleAppConfig } from './__testUtils__/exampleApp';
import { permissionPolicyModule } from './modules/permissionPolicy';

// Acceptance: a user outside the owning group cannot run the rollback,
// through the scaffolder's own API, with the app's permission policy, real
// user tokens and the example catalog; the owner's dry run goes through.

jest.setTimeout(90_000);

const TOKEN = 'rollback-permission-test';

async function startBackend(
  cluster: FakeKubernetesApiServer,
  guestUserEntityRef: string,
) {
  const { server } = await startTestBackend({
    features: [
      authBackend,
      guestProvider,
      catalogBackend,
      scaffolderEntityModel,
      permissionBackend,
      permissionPolicyModule,
      scaffolderBackend,
      opsScaffolderModule,
      authServiceFactory,
      httpAuthServiceFactory,
      userInfoServiceFactory,
      mockServices.rootConfig.factory({
        data: {
          ...exampleAppConfig(guestUserEntityRef),
          kubernetes: cluster.clusterConfig(),
        },
      }),
    ],
  });
  const baseUrl = `http://localhost:${server.port()}/api`;

  // Signed in once the catalog has the user, the service and the template.
  const token = await eventually(async () => {
    const response = await fetch(`${baseUrl}/auth/guest/refresh`);
    const { backstageIdentity } = await response.json();
    expect(
      backstageIdentity.identity.ownershipEntityRefs.length,
    ).toBeGreaterThan(1);
    for (const path of [
      'component/default/payments-api',
      'template/default/ops-rollback',
    ]) {
      const entity = await fetch(
        `${baseUrl}/catalog/entities/by-name/${path}`,
        { headers: { authorization: `Bearer ${backstageIdentity.token}` } },
      );
      expect(entity.status).toBe(200);
    }
    return backstageIdentity.token as string;
  });

  /** Starts the rollback template and returns the finished task's log. */
  async function runRollback(values: object) {
    const created = await fetch(`${baseUrl}/scaffolder/v2/tasks`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${token}`,
      },
      body: JSON.stringify({
        templateRef: 'template:default/ops-rollback',
        values,
      }),
    });
    expect(created.status).toBe(201);
    const { id } = await created.json();
    const task = await eventually(async () => {
      const response = await fetch(`${baseUrl}/scaffolder/v2/tasks/${id}`, {
        headers: { authorization: `Bearer ${token}` },
      });
      const body = await response.json();
      expect(['completed', 'failed', 'cancelled']).toContain(body.status);
      return body;
    });
    const events = await (
      await fetch(`${baseUrl}/scaffolder/v2/tasks/${id}/events`, {
        headers: { authorization: `Bearer ${token}` },
      })
    ).json();
    const log = events
      .map((e: { body: { message?: string } }) => e.body.message ?? '')
      .join('\n');
    return { status: task.status as string, log };
  }

  return { runRollback };
}

describe('ops:kubernetes:rollback through the scaffolder API', () => {
  let cluster: FakeKubernetesApiServer;

  beforeAll(async () => {
    cluster = await FakeKubernetesApiServer.start({
      port: 6445,
      token: TOKEN,
    });
    deployReleases(cluster, {
      name: 'payments-api',
      namespace: 'payments',
      kubernetesId: 'payments-api',
      releases: [
        { image: 'payments-api:1.0.0' },
        { image: 'payments-api:1.1.0' },
      ],
    });
  });

  afterAll(() => cluster.stop());

  const values = {
    service: 'component:default/payments-api',
    reason: 'Checkout errors',
  };

  it('refuses a user outside the owning group, and patches nothing', async () => {
    // wei.chen is in team-search; payments-api is team-payments'
    const backend = await startBackend(cluster, 'user:default/wei.chen');
    const { status, log } = await backend.runRollback({
      ...values,
      dryRun: false,
    });
    expect(status).toBe('failed');
    expect(log).toContain(
      'You are not allowed to roll back component:default/payments-api: ops.operation.execute',
    );
    expect(cluster.patches()).toEqual([]);
    expect(
      cluster.getDeployment('payments', 'payments-api').spec.template.spec
        .containers[0].image,
    ).toBe('payments-api:1.1.0');
  });

  it("runs an owner's dry run and shows the difference", async () => {
    // the guest is a member of team-payments
    const backend = await startBackend(cluster, 'user:default/guest');
    const { status, log } = await backend.runRollback({
      ...values,
      dryRun: true,
    });
    expect(status).toBe('completed');
    expect(log).toContain('- spec.containers[app].image: "payments-api:1.1.0"');
    expect(log).toContain('+ spec.containers[app].image: "payments-api:1.0.0"');
    expect(cluster.patches()).toEqual([]);
  });
});
