import { Config } from '@backstage/config';
import { NotificationSeverity } from '@backstage/plugin-notifications-common';
import { SeverityLevel } from '@opsdeck/plugin-ops-common';

const KEY = 'ops.notifications';
const NOTIFICATION_SEVERITIES: NotificationSeverity[] = [
  'critical',
  'high',
  'normal',
  'low',
];

/** The manuals' SEV1 to SEV4, in the notifications' own four severities. */
const DEFAULT_SEVERITY_MAP: Record<string, NotificationSeverity> = {
  SEV1: 'critical',
  SEV2: 'high',
  SEV3: 'normal',
  SEV4: 'low',
};

/** `ops.notifications`, read once at start. */
export interface NotificationsOptions {
  /** Incident severity id to notification severity; ids not in it are `normal`. */
  severityMap: Record<string, NotificationSeverity>;
  /** The "Next Update" promised by an incident update. */
  nextUpdateMinutes: number;
  /** An SLO whose remaining budget falls below this percentage is notified. */
  budgetThresholdPercent: number;
  /** Slack channel per incident severity, for services without `slack.com/bot-notify`. */
  slackChannelsBySeverity: Record<string, string>;
}

function positiveNumber(config: Config, key: string, fallback: number) {
  const value = config.getOptionalNumber(key) ?? fallback;
  if (!(value > 0) || !Number.isFinite(value)) {
    throw new Error(`Invalid ${KEY}.${key}: must be a number above 0`);
  }
  return value;
}

/**
 * Reads `ops.notifications`; a key naming a severity that is not one of
 * `ops.incidents.severities`, or an unknown notification severity, fails the
 * start with the key named.
 */
export function readNotificationsOptions(
  root: Config,
  severities: SeverityLevel[],
): NotificationsOptions {
  const config = root.getOptionalConfig(KEY);
  const ids = severities.map(s => s.id);
  const known = (key: string, id: string) => {
    if (!ids.includes(id)) {
      throw new Error(
        `Invalid ${KEY}.${key}.${id}: ${id} is not one of the incident severities (${ids.join(
          ', ',
        )})`,
      );
    }
  };

  const severityMap: Record<string, NotificationSeverity> = {};
  for (const id of ids) {
    if (DEFAULT_SEVERITY_MAP[id]) severityMap[id] = DEFAULT_SEVERITY_MAP[id];
  }
  const configuredMap = config?.getOptionalConfig('severityMap');
  for (const id of configuredMap?.keys() ?? []) {
    known('severityMap', id);
    const value = configuredMap!.getString(id);
    if (!NOTIFICATION_SEVERITIES.includes(value as NotificationSeverity)) {
      throw new Error(
        `Invalid ${KEY}.severityMap.${id}: '${value}' is not one of ${NOTIFICATION_SEVERITIES.join(
          ', ',
        )}`,
      );
    }
    severityMap[id] = value as NotificationSeverity;
  }

  const slackChannelsBySeverity: Record<string, string> = {};
  const channels = config?.getOptionalConfig('slack.channelsBySeverity');
  for (const id of channels?.keys() ?? []) {
    known('slack.channelsBySeverity', id);
    slackChannelsBySeverity[id] = channels!.getString(id);
  }

  const threshold = config?.getOptionalNumber('budgetThresholdPercent') ?? 25;
  if (!(threshold >= 0 && threshold <= 100)) {
    throw new Error(
      `Invalid ${KEY}.budgetThresholdPercent: must be between 0 and 100 (got ${threshold})`,
    );
  }
  return {
    severityMap,
    nextUpdateMinutes: config
      ? positiveNumber(config, 'nextUpdateMinutes', 30)
      : 30,
    budgetThresholdPercent: threshold,
    slackChannelsBySeverity,
  };
}
