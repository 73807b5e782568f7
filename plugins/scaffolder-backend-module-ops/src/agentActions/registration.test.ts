import { createServiceFactory } from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import { opsServiceRef } from '@opsdeck/plugin-ops-node';
import { AddressInfo } from 'node:net';
import { scaffolderModule } from '../module';

describe('the module registers the plan actions for agents', () => {
  it('serves plan-rollback and plan-failover from the scaffolder plugin, read-only', async () => {
    const { server } = await startTestBackend({
      extensionPoints: [[scaffolderActionsExtensionPoint, { addActions() {} }]],
      features: [
        scaffolderModule,
        catalogServiceMock.factory(),
        mockServices.rootConfig.factory({
          data: { backend: { actions: { pluginSources: ['scaffolder'] } } },
        }),
        createServiceFactory({
          service: opsServiceRef,
          deps: {},
          factory: () => ({} as any),
        }),
      ],
    });
    const { port } = server.address() as AddressInfo;
    const listed = await fetch(
      `http://localhost:${port}/api/scaffolder/.backstage/actions/v1/actions`,
      { headers: { Authorization: mockCredentials.user.header() } },
    );
    expect(listed.status).toBe(200);
    const body = await listed.json();
    expect(
      body.actions.map((a: { id: string; attributes: object }) => [
        a.id,
        a.attributes,
      ]),
    ).toEqual([
      [
        'scaffolder:plan-rollback',
        { readOnly: true, idempotent: true, destructive: false },
      ],
      [
        'scaffolder:plan-failover',
        { readOnly: true, idempotent: true, destructive: false },
      ],
    ]);
  });
});
