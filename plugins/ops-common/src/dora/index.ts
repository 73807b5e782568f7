export * from './types';
export * from './math';
export * from './history';
