/**
 * OpsDeck's scaffolder actions: operational readiness gate, and the
 * operations of the operations manuals.
 *
 * @packageDocumentation
 */

export { scaffolderModule as default } from './module';
export { createReadinessCheckAction } from './actions/readinessCheck';
export { createPostgresBackupDrillAction } from './actions/postgres/backupDrill';
export { createPostgresFailoverAction } from './actions/postgres/failover/failoverAction';
