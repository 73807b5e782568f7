/**
 * The OpsDeck frontend plugin: the Operations tab and cards of catalog entity
 * pages. Apps on the new frontend system import `@opsdeck/plugin-ops/alpha`.
 *
 * @packageDocumentation
 */

export {
  opsPlugin,
  EntityOperationsContent,
  EntityReadinessCard,
  EntityIncidentsCard,
  EntityDrillsCard,
  EntityOnCallCard,
  EntityRunbooksCard,
  EntityDeploymentsCard,
  EntityDoraCard,
  EntityGrafanaPanelsCard,
  OpsPage,
  OpsIncidentPage,
  OpsAnnotationsPage,
} from './plugin';
export * from './api';
