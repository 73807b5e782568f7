export { useSharedOpsRequest } from './useSharedOpsRequest';
export {
  startSharedReads,
  useEntityOnCall,
  useEntitySloReport,
  useSeverityLevels,
} from './opsReads';
export {
  entityRead,
  readEntity,
  startEntityReads,
  useEntityRead,
} from './startedReads';
export type { EntityRead } from './startedReads';
export { useReloadingAsync } from './useReloadingAsync';
export { TAB_READS_WAIT_MS, useTabReads } from './useTabReads';
export type { ReloadingAsyncState } from './useReloadingAsync';
