import { createFormField } from '@backstage/plugin-scaffolder-react/alpha';
import { RevisionPicker } from './RevisionPicker';

/** The revision picker as a form field of the new frontend system's scaffolder. */
export const revisionPickerFormField = createFormField({
  name: 'OpsRevisionPicker',
  component: RevisionPicker,
});
