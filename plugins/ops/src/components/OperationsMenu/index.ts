export * from './operationMenuItems';
