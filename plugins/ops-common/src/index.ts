/**
 * Types, permissions and annotation names shared by the OpsDeck plugins.
 *
 * @packageDocumentation
 */

export * from './annotations';
export * from './client';
export * from './databases';
export * from './dora';
export * from './drillSchedule';
export * from './duration';
export * from './limits';
export * from './grafana';
export * from './permissions';
export * from './postmortems';
export * from './readiness';
export * from './records';
export * from './slo';
export * from './sloReports';
export * from './oncall';
export * from './runbooks';
export * from './schema';
export * from './signals';
