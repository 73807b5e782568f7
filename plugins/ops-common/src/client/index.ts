export { OpsApiClient } from './OpsApiClient';
export type {
  OpsApiDiscovery,
  OpsApiFetch,
  OpsApiRequestOptions,
} from './types';
