/**
 * OpsDeck on-call provider for PagerDuty.
 *
 * @packageDocumentation
 */

export { opsModulePagerduty as default } from './module';
