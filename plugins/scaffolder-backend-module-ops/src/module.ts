import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import { opsClientServiceRef } from '@opsdeck/plugin-ops-node';
import { createPostgresBackupDrillAction } from './actions/postgres/backupDrill';
import { createPostgresFailoverAction } from './actions/postgres/failover/failoverAction';
import { scheduleBackupDrills } from './actions/postgres/scheduledDrills';
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
        auth: coreServices.auth,
        logger: coreServices.logger,
        scheduler: coreServices.scheduler,
      },
      async init({
        scaffolderActions,
        opsClient,
        config,
        catalog,
        auth,
        logger,
        scheduler,
      }) {
        scaffolderActions.addActions(
          createReadinessCheckAction({ opsClient }),
          createPostgresBackupDrillAction({ config, catalog, opsClient }),
          createPostgresFailoverAction({ config, catalog, opsClient }),
        );
        // Targets with a drillSchedule are drilled when overdue; the action's
        // code runs them, so they are recorded exactly like a template run.
        await scheduleBackupDrills({
          config,
          catalog,
          opsClient,
          auth,
          logger,
          scheduler,
        });
      },
    });
  },
});
