export { useSharedOpsRequest } from './useSharedOpsRequest';
export {
  useEntityOnCall,
  useEntitySloReport,
  useSeverityLevels,
} from './opsReads';
