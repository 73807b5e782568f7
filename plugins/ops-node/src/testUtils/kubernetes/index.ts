export * from './FakeKubernetesApiServer';
export * from './manifests';
export * from './types';
