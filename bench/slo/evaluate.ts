// The OpsDeck code `yarn bench:slo` measures, bundled by esbuild at run time
// (bench/slo.mjs): the backend's SLO evaluator and Prometheus client, and
// ops-common's parser and rule generator, exactly as the backend runs them.
export { PrometheusClient } from '../../plugins/ops-backend/src/service/slo/PrometheusClient';
export { SloEvaluator } from '../../plugins/ops-backend/src/service/slo/SloEvaluator';
export {
  generateSloRuleFile,
  parseSloDefinitions,
  sloEventCountQueries,
  formatPromSelector,
  SLO_BURN_RATE_WINDOWS,
  SLOTH_RECORDING_RULES,
  sloMeasurementWindows,
  formatPromDuration,
} from '../../plugins/ops-common/src';
