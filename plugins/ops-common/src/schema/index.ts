export { opsApiSpec } from './openapi';
export type { AlertmanagerWebhookPayload } from './types';
export type {
  paths as OpsApiPaths,
  operations as OpsApiOperations,
} from './generated/openapi';
