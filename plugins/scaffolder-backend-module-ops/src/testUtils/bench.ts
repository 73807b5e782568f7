// The drill's building blocks, timed one by one by `yarn bench:drill`.
export { findLatestBackup } from '../postgres/backup/discovery';
export { pgRestoreArguments } from '../postgres/backup/restore';
export { readDatabaseTarget } from '../postgres/config';
export {
  isLoopbackPortOpen,
  ScratchInstance,
} from '../postgres/scratch/scratchInstance';
export { executeBackupDrill } from '../procedures/backupDrill';
export { timeDrill } from './benchDrill';
export type { TimedStep } from './benchDrill';
