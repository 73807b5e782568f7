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
