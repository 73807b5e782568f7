export { AddNoteDialog } from './AddNoteDialog';
export { DeclareIncidentDialog } from './DeclareIncidentDialog';
export { IncidentStatusSelect } from './IncidentStatusSelect';
export { useIncidentStatusChange } from './useIncidentStatusChange';
export { useIncidentWriteAccess } from './useIncidentWriteAccess';
export { EditIncidentDialog } from './EditIncidentDialog';
