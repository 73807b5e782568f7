/**
 * Node.js library for OpsDeck: extension points of the ops backend, and the
 * OpsClient other backend packages use to read and write OpsDeck records.
 *
 * @packageDocumentation
 */

export * from './readiness';
export * from './OpsClient';
export * from './oncall';
export * from './deploymentHistory';
export * from './kubernetes';
