export { AnnotationsReferencePage } from './AnnotationsReferencePage';
