export { OpsApiClient } from './OpsApiClient';
export { PostmortemsApiClient } from './PostmortemsApiClient';
export type {
  OpsApiDiscovery,
  OpsApiFetch,
  OpsApiRequestOptions,
} from './types';
