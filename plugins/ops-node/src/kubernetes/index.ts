export * from './clusters';
export * from './revisions';
export * from './KubernetesWorkloads';
