/**
 * The OpsDeck frontend plugin: the Operations tab and cards of catalog entity
 * pages. Apps on the new frontend system import `@opsdeck/plugin-ops/alpha`.
 *
 * @packageDocumentation
 */

export {
  opsPlugin,
  EntityOperationsContent,
  EntitySlosContent,
  EntityOpsSummaryCard,
  EntitySloCard,
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
  OpsPostmortemPage,
  OpsAnnotationsPage,
  OpsRevisionPickerFieldExtension,
  OpsDatabaseTargetPickerFieldExtension,
  OpsTypedConfirmationFieldExtension,
} from './plugin';
export type { TypedConfirmationUiOptions } from './components/TypedConfirmation';
export * from './api';
