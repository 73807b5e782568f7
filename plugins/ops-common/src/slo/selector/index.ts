export type {
  PromMatchOperator,
  PromLabelMatcher,
  PromSelector,
} from './matchers';
export {
  isValidPromMetricName,
  isValidPromLabelName,
  checkPromLabelValue,
  checkPromSelector,
  formatPromSelector,
  formatPromMatchers,
  withPromMatchers,
} from './matchers';
export type { PromParseResult, PromCounterQuery } from './parser';
export { parsePromSelector, parsePromCounterQuery } from './parser';
