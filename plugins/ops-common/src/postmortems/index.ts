export * from './types';
export * from './math';
