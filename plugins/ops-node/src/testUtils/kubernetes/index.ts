export * from './FakeKubernetesApiServer';
export * from './manifests';
