export type { RunbookLink } from './runbooks';
export {
  parseRunbooksAnnotation,
  runbookForAlert,
  techDocsPagePath,
} from './runbooks';
