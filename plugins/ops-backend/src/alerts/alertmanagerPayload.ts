import type { AlertmanagerWebhookPayload } from '@opsdeck/plugin-ops-common';

// The body Alertmanager posts (version 4) is typed from its JSON schema in
// ops-common, so the router's validation and these types cannot disagree.
export type { AlertmanagerWebhookPayload };

/** One alert of a delivery. */
export type AlertmanagerAlert = AlertmanagerWebhookPayload['alerts'][number];

/** What the webhook did with each incident a delivery touched. */
export interface AlertmanagerWebhookResult {
  incidents: Array<{
    id: string;
    entityRef: string;
    action: 'opened' | 'updated' | 'mitigated' | 'unchanged';
  }>;
  /** Alerts whose labels name no service, or resolved alerts of no incident. */
  ignored: number;
}
