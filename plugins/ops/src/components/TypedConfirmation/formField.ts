import { createFormField } from '@backstage/plugin-scaffolder-react/alpha';
import {
  TypedConfirmation,
  validateTypedConfirmation,
} from './TypedConfirmation';

/** The typed confirmation as a form field of the new frontend system's scaffolder. */
export const typedConfirmationFormField = createFormField({
  name: 'OpsTypedConfirmation',
  component: TypedConfirmation,
  validation: validateTypedConfirmation,
});
