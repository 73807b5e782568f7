export { opsApiSpec } from './openapi';
export type { AlertmanagerWebhookPayload } from './types';
