import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { actionsRegistryServiceRef } from '@backstage/backend-plugin-api/alpha';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import { KubernetesWorkloads, opsServiceRef } from '@opsdeck/plugin-ops-node';
import { createKubernetesRollbackAction } from './actions/kubernetes/rollback';
import {
  createMysqlBackupDrillAction,
  createPostgresBackupDrillAction,
} from './actions/backupDrill';
import { createDatabaseEngineAction } from './actions/database/targetEngine';
import { createPostgresFailoverAction } from './actions/postgres/failover';
import { scheduleBackupDrills } from './procedures/scheduledDrills';
import { createReadinessCheckAction } from './actions/readinessCheck';
import { createSloCheckBudgetAction } from './actions/slo/checkBudget';
import { registerAgentActions } from './agentActions/registerAgentActions';

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
        opsClient: opsServiceRef,
        config: coreServices.rootConfig,
        catalog: catalogServiceRef,
        permissions: coreServices.permissions,
        auth: coreServices.auth,
        logger: coreServices.logger,
        scheduler: coreServices.scheduler,
        actionsRegistry: actionsRegistryServiceRef,
      },
      async init({
        scaffolderActions,
        opsClient,
        config,
        catalog,
        permissions,
        auth,
        logger,
        scheduler,
        actionsRegistry,
      }) {
        const workloads = KubernetesWorkloads.fromConfig(config);
        scaffolderActions.addActions(
          createReadinessCheckAction({ opsClient }),
          createSloCheckBudgetAction({ opsClient }),
          createDatabaseEngineAction({ config, catalog }),
          createPostgresBackupDrillAction({
            config,
            catalog,
            permissions,
            opsClient,
          }),
          createMysqlBackupDrillAction({
            config,
            catalog,
            permissions,
            opsClient,
          }),
          createKubernetesRollbackAction({
            workloads,
            catalog,
            permissions,
            opsClient,
          }),
          createPostgresFailoverAction({
            config,
            catalog,
            permissions,
            opsClient,
          }),
        );
        // For agents (MCP): the rollback's and failover's dry runs only.
        registerAgentActions(actionsRegistry, {
          config,
          catalog,
          permissions,
          workloads,
        });
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
