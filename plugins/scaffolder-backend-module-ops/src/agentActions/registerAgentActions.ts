import { PermissionsService } from '@backstage/backend-plugin-api';
import { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import { Config } from '@backstage/config';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { KubernetesWorkloads } from '@opsdeck/plugin-ops-node';
import { registerPlanFailoverAction } from './planFailover';
import { registerPlanRollbackAction } from './planRollback';

/**
 * Registers the plan-only actions for agents with the scaffolder plugin's
 * actions registry (tools `scaffolder.plan-rollback`, `scaffolder.plan-failover`
 * on the MCP server): the dry runs of the rollback and failover actions,
 * with the caller's credentials. Running them stays in the scaffolder.
 */
export function registerAgentActions(
  registry: ActionsRegistryService,
  deps: {
    config: Config;
    catalog: CatalogService;
    permissions: PermissionsService;
    workloads: KubernetesWorkloads;
  },
) {
  registerPlanRollbackAction(registry, deps);
  registerPlanFailoverAction(registry, deps);
}
