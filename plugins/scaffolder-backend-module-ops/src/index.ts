/**
 * OpsDeck's scaffolder actions: operational readiness gate, and the
 * operations of the operations manuals.
 *
 * @packageDocumentation
 */

export { scaffolderModule as default } from './module';
export { createReadinessCheckAction } from './actions/readinessCheck';
export {
  createMysqlBackupDrillAction,
  createPostgresBackupDrillAction,
} from './actions/backupDrill';
export { createDatabaseEngineAction } from './actions/database/targetEngine';
export type { BackupDrillActionOptions } from './actions/backupDrill';
export { createSloCheckBudgetAction } from './actions/slo/checkBudget';
export { createKubernetesRollbackAction } from './actions/kubernetes/rollback';
export { createPostgresFailoverAction } from './actions/postgres/failover';
export { runOpsdeckPgDump } from './cli/opsdeckPgDump';
export { runOpsdeckMysqlDump } from './cli/opsdeckMysqlDump';
