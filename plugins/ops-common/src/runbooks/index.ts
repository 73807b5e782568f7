export * from './runbooks';
