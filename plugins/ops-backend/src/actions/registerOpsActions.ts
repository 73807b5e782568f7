import { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import { registerAddIncidentNoteAction } from './addIncidentNote';
import { registerDeclareIncidentAction } from './declareIncident';
import { registerGetDrillReportAction } from './getDrillReport';
import { registerGetIncidentAction } from './getIncident';
import { registerGetOnCallAction } from './getOnCall';
import { registerGetServiceOperationsAction } from './getServiceOperations';
import { registerListIncidentsAction } from './listIncidents';
import { OpsActionDeps } from './types';

/**
 * Registers OpsDeck's actions with the backend's actions registry, where the
 * MCP actions plugin serves them as tools (`ops.<name>`) once
 * `backend.actions.pluginSources` lists `ops`. Each runs with the caller's
 * credentials, through the services the HTTP API uses.
 */
export function registerOpsActions(
  registry: ActionsRegistryService,
  deps: OpsActionDeps,
) {
  registerGetServiceOperationsAction(registry, deps);
  registerListIncidentsAction(registry, deps);
  registerGetIncidentAction(registry, deps);
  registerGetDrillReportAction(registry, deps);
  registerGetOnCallAction(registry, deps);
  registerDeclareIncidentAction(registry, deps);
  registerAddIncidentNoteAction(registry, deps);
}

export type { OpsActionDeps } from './types';
export { createAuditedAction } from './auditedAction';
