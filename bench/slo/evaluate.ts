// The OpsDeck code `yarn bench:slo` measures, bundled by esbuild at run time
// (bench/slo.mjs): the backend's SLO evaluator and Prometheus client, and
// ops-common's parser and rule generator, exactly as the backend runs them.
// ops-common is imported by its package name. The evaluator and the client
// are internals of ops-backend, whose entry point exports only the plugin (as
// every backend plugin's does), so they are imported by path.
export { PrometheusClient } from '../../plugins/ops-backend/src/slo/PrometheusClient';
export { SloEvaluator } from '../../plugins/ops-backend/src/slo/SloEvaluator';
export {
  generateSloRuleFile,
  parseSloDefinitions,
  sloEventCountQueries,
  formatPromSelector,
  SLO_BURN_RATE_WINDOWS,
  SLOTH_RECORDING_RULES,
  sloMeasurementWindows,
  formatPromDuration,
} from '@opsdeck/plugin-ops-common';
