/**
 * Types, permissions and annotation names shared by the OpsDeck plugins.
 *
 * @packageDocumentation
 */

export * from './annotations';
export * from './drillSchedule';
export * from './permissions';
export * from './readiness';
export * from './records';
