import { createFormField } from '@backstage/plugin-scaffolder-react/alpha';
import {
  DatabaseTargetPicker,
  validateDatabaseTarget,
} from './DatabaseTargetPicker';

/** The database target picker as a form field of the new frontend system's scaffolder. */
export const databaseTargetPickerFormField = createFormField({
  name: 'OpsDatabaseTargetPicker',
  component: DatabaseTargetPicker,
  validation: validateDatabaseTarget,
});
