// Types read from the generated types of the OpenAPI document, for the shapes
// that have no hand-written model in ops-common.

import type { paths } from './generated/openapi';

/**
 * The body Alertmanager posts to a webhook receiver (version 4), as
 * documented at https://prometheus.io/docs/alerting/latest/configuration/#webhook_config
 * and as the ops backend accepts it (generated from its JSON schema).
 *
 * @public
 */
export type AlertmanagerWebhookPayload =
  paths['/alerts/alertmanager']['post']['requestBody']['content']['application/json'];
