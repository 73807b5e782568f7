export {
  TypedConfirmation,
  validateTypedConfirmation,
  expectedConfirmation,
} from './TypedConfirmation';
export type { TypedConfirmationUiOptions } from './TypedConfirmation';
export { typedConfirmationFormField } from './formField';
