/**
 * The body Alertmanager posts to a webhook receiver (version 4), as
 * documented at https://prometheus.io/docs/alerting/latest/configuration/#webhook_config.
 */
export interface AlertmanagerAlert {
  status: 'firing' | 'resolved';
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: string;
  endsAt: string;
  generatorURL: string;
  fingerprint: string;
}

export interface AlertmanagerWebhookPayload {
  version: '4';
  groupKey: string;
  truncatedAlerts?: number;
  status: 'firing' | 'resolved';
  receiver: string;
  groupLabels: Record<string, string>;
  commonLabels: Record<string, string>;
  commonAnnotations: Record<string, string>;
  externalURL: string;
  alerts: AlertmanagerAlert[];
}

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
