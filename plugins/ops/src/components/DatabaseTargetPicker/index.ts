export { DatabaseTargetPicker } from './DatabaseTargetPicker';
export { databaseTargetPickerFormField } from './formField';
