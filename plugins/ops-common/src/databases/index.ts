export { databaseTargetsOf } from './databases';
export {
  databaseBindingRefusal,
  readTargetBinding,
  targetBindingRefusal,
} from './binding';
export type { TargetBinding, TargetBindingConfig } from './binding';
