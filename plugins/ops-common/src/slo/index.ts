export * from './duration';
export * from './math';
export * from './alerting';
export * from './selector';
export * from './model';
export * from './queries';
export * from './definitions';
