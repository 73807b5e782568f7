export { databaseTargetsOf } from './databases';
