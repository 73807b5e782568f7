import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import { opsClientServiceRef } from '@opsdeck/plugin-ops-node';
import { createPostgresBackupDrillAction } from './actions/postgres/backupDrill';
import { createPostgresFailoverAction } from './actions/postgres/failover/failoverAction';
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
        config: coreServices.rootConfig,
        catalog: catalogServiceRef,
      },
      async init({ scaffolderActions, opsClient, config, catalog }) {
        scaffolderActions.addActions(
          createReadinessCheckAction({ opsClient }),
          createPostgresBackupDrillAction({ config, catalog, opsClient }),
          createPostgresFailoverAction({ config, catalog, opsClient }),
        );
      },
    });
  },
});
