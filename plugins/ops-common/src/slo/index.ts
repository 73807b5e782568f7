// What other packages use, and what the README documents; the rest of slo/
// is internal to ops-common.
export type {
  SloAlertSeverity,
  SloAlertState,
  SloAlertTier,
  SloAlertTierState,
  SloAlertWindow,
  SloBurnRates,
} from './alerting';
export {
  SLO_BURN_RATE_WINDOWS,
  evaluateSloAlerts,
  sloAlertTiers,
  sloMeasurementWindows,
} from './alerting';
export type { SloDataCoverage } from './coverage';
export { sloDataCoverage } from './coverage';
export type {
  SloDefinitionsResult,
  SloParseOptions,
  SloSourceFile,
} from './definitions';
export { formatSloDefinitionError, parseSloDefinitions } from './definitions';
export { formatPromDuration } from './duration';
export type { SloEvaluation } from './evaluation';
export { evaluateSlo } from './evaluation';
export type {
  SloErrorBudget,
  SloEventCounts,
  SloTimeslicesResult,
} from './math';
export {
  budgetSpentByBurn,
  burnRate,
  errorBudget,
  sliFromEventCounts,
  sumEventCounts,
  timeslicesSli,
} from './math';
export type {
  SloBudgetingMethod,
  SloDefinition,
  SloDefinitionError,
  SloDefinitionSource,
  SloIndicator,
} from './model';
export type {
  PrometheusAlertingRule,
  SloFiringAlert,
  SloPrometheusAlerts,
} from './prometheusAlerts';
export { sloPrometheusAlerts } from './prometheusAlerts';
export type { SloRecordingRuleScheme } from './queries';
export {
  OPSDECK_RECORDING_RULES,
  SLOTH_RECORDING_RULES,
  sloBurnRateQuery,
  sloErrorRatioQuery,
  sloEventCountQueries,
  sloFirstSampleQueries,
  sloRecordedErrorRatioQuery,
  sloSliQuery,
} from './queries';
export type { SloRuleOptions } from './rules';
export { generateSloRuleFile } from './rules';
export type {
  PromCounterQuery,
  PromLabelMatcher,
  PromMatchOperator,
  PromParseResult,
  PromSelector,
} from './selector';
export { formatPromSelector, parsePromCounterQuery } from './selector';
