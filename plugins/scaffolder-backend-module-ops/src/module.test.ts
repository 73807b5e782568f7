import { createServiceFactory } from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  scaffolderActionsExtensionPoint,
  TemplateAction,
} from '@backstage/plugin-scaffolder-node';
import { opsServiceRef } from '@opsdeck/plugin-ops-node';
import { scaffolderModule } from './module';

describe('scaffolderModule', () => {
  it('registers the OpsDeck actions with the scaffolder', async () => {
    const actions: TemplateAction<any, any, any>[] = [];
    await startTestBackend({
      extensionPoints: [
        [
          scaffolderActionsExtensionPoint,
          { addActions: (...added: any[]) => actions.push(...added) },
        ],
      ],
      features: [
        scaffolderModule,
        catalogServiceMock.factory(),
        mockServices.rootConfig.factory({ data: {} }),
        createServiceFactory({
          service: opsServiceRef,
          deps: {},
          factory: () => ({} as any),
        }),
      ],
    });
    expect(actions.map(action => action.id)).toEqual([
      'ops:readiness:check',
      'ops:slo:check-budget',
      'ops:database:engine',
      'ops:postgres:backup-drill',
      'ops:mysql:backup-drill',
      'ops:kubernetes:rollback',
      'ops:postgres:failover',
    ]);
  });
});
