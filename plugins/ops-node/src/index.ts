/**
 * Node.js library for OpsDeck: extension points of the ops backend, and the
 * OpsService other backend packages use to read and write OpsDeck records.
 *
 * @packageDocumentation
 */

export * from './readiness';
export * from './OpsService';
export * from './oncall';
export * from './deploymentHistory';
export * from './kubernetes';
