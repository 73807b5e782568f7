import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { actionsRegistryServiceMock } from '@backstage/backend-test-utils/alpha';
import { ConfigReader } from '@backstage/config';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { KubernetesWorkloads } from '@opsdeck/plugin-ops-node';
import { FakeKubernetesApiServer } from '@opsdeck/plugin-ops-node/testUtils';
import {
  deployPayments,
  PAYMENTS_IMAGE,
  paymentsEntity,
} from '../__testUtils__/paymentsDeployment';
import { registerAgentActions } from './registerAgentActions';

// plan-rollback as an agent calls it, against the fake Kubernetes API server
// (on a free port) through @kubernetes/client-node.

const TOKEN = 'plan-rollback-test-token';
const OWNER = 'user:default/owner';
const OUTSIDER = 'user:default/outsider';

describe('scaffolder.plan-rollback', () => {
  let server: FakeKubernetesApiServer;

  beforeEach(async () => {
    server = await FakeKubernetesApiServer.start({ token: TOKEN, tickMs: 5 });
    deployPayments(server);
  });

  afterEach(() => server.stop());

  function registry() {
    const actions = actionsRegistryServiceMock();
    registerAgentActions(actions, {
      config: new ConfigReader({}),
      catalog: catalogServiceMock({ entities: [paymentsEntity] }),
      permissions: mockServices.permissions.mock({
        authorize: async (requests, options) =>
          requests.map(() => ({
            result:
              (options.credentials.principal as { userEntityRef?: string })
                .userEntityRef === OWNER
                ? AuthorizeResult.ALLOW
                : AuthorizeResult.DENY,
          })),
      }),
      workloads: new KubernetesWorkloads(
        [
          {
            name: 'production',
            url: server.url,
            serviceAccountToken: TOKEN,
            skipTLSVerify: true, // the fake speaks plain HTTP
          },
        ],
        {
          bindings: [
            {
              namespace: 'payments',
              deployment: 'payments-api',
              binding: {
                entities: ['component:default/payments-api'],
                owners: [],
              },
            },
          ],
        },
      ),
    });
    return actions;
  }

  it('shows the owner what rolling back would change, and patches nothing', async () => {
    const { output } = await registry().invoke({
      id: 'test:plan-rollback',
      input: { entityRef: 'component:default/payments-api' },
      credentials: mockCredentials.user(OWNER),
    });
    expect(output).toEqual({
      result: 'plan',
      cluster: 'production',
      namespace: 'payments',
      deployment: 'payments-api',
      fromRevision: 3,
      fromImages: [`${PAYMENTS_IMAGE}:1.2.0`],
      toRevision: 2,
      toImages: [`${PAYMENTS_IMAGE}:1.1.0`],
      toChangeCause: 'release 1.1.0',
      diff: [
        `- spec.containers[app].image: "${PAYMENTS_IMAGE}:1.2.0"`,
        `+ spec.containers[app].image: "${PAYMENTS_IMAGE}:1.1.0"`,
      ],
    });
    expect(server.patches()).toEqual([]);
    const deployment = server.getDeployment('payments', 'payments-api');
    expect(deployment.spec.template.spec.containers[0].image).toBe(
      `${PAYMENTS_IMAGE}:1.2.0`,
    );
  });

  it('refuses a caller who may not operate on the service', async () => {
    await expect(
      registry().invoke({
        id: 'test:plan-rollback',
        input: { entityRef: 'component:default/payments-api' },
        credentials: mockCredentials.user(OUTSIDER),
      }),
    ).rejects.toThrow(
      'You are not allowed to roll back component:default/payments-api: ops.operation.execute on component:default/payments-api is reserved to the members of its owning group and OpsDeck admins',
    );
    expect(server.patches()).toEqual([]);
  });

  it('refuses a service token, whose permission checks would all pass', async () => {
    await expect(
      registry().invoke({
        id: 'test:plan-rollback',
        input: { entityRef: 'component:default/payments-api' },
        credentials: mockCredentials.service('external:some-agent'),
      }),
    ).rejects.toThrow(
      'plan-rollback plans for a signed-in user, under their permissions on the service; sign the MCP client in as a user (OAuth) instead of with a service token',
    );
  });
});
