export { RevisionPicker } from './RevisionPicker';
export { revisionPickerFormField } from './formField';
