import { createBackendModule } from '@backstage/backend-plugin-api';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import { opsClientServiceRef } from '@opsdeck/plugin-ops-node';
import { createReadinessCheckAction } from './actions/readinessCheck';

/**
 * Registers OpsDeck's scaffolder actions.
 *
 * @public
 */
export const scaffolderModule = createBackendModule({
  moduleId: 'ops',
  pluginId: 'scaffolder',
  register({ registerInit }) {
    registerInit({
      deps: {
        scaffolderActions: scaffolderActionsExtensionPoint,
        opsClient: opsClientServiceRef,
      },
      async init({ scaffolderActions, opsClient }) {
        scaffolderActions.addActions(createReadinessCheckAction({ opsClient }));
      },
    });
  },
});
