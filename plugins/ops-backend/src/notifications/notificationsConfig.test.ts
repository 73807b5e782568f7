import { ConfigReader } from '@backstage/config';
import { DEFAULT_SEVERITY_LEVELS } from '@opsdeck/plugin-ops-common';
import { readNotificationsOptions } from './notificationsConfig';

const read = (notifications: object) =>
  readNotificationsOptions(
    new ConfigReader({ ops: { notifications } }),
    DEFAULT_SEVERITY_LEVELS,
  );

describe('ops.notifications', () => {
  it('defaults to the manuals: SEV1 critical to SEV4 low, updates every 30 minutes, budgets below 25 %', () => {
    expect(
      readNotificationsOptions(new ConfigReader({}), DEFAULT_SEVERITY_LEVELS),
    ).toEqual({
      severityMap: {
        SEV1: 'critical',
        SEV2: 'high',
        SEV3: 'normal',
        SEV4: 'low',
      },
      nextUpdateMinutes: 30,
      budgetThresholdPercent: 25,
      slackChannelsBySeverity: {},
    });
  });

  it('takes a configured mapping, interval, threshold and channels', () => {
    expect(
      read({
        severityMap: { SEV2: 'critical' },
        nextUpdateMinutes: 15,
        budgetThresholdPercent: 10,
        slack: { channelsBySeverity: { SEV1: '#incidents' } },
      }),
    ).toEqual({
      severityMap: {
        SEV1: 'critical',
        SEV2: 'critical',
        SEV3: 'normal',
        SEV4: 'low',
      },
      nextUpdateMinutes: 15,
      budgetThresholdPercent: 10,
      slackChannelsBySeverity: { SEV1: '#incidents' },
    });
  });

  it('names the key of a bad value', () => {
    expect(() => read({ severityMap: { SEV9: 'high' } })).toThrow(
      'Invalid ops.notifications.severityMap.SEV9: SEV9 is not one of the incident severities (SEV1, SEV2, SEV3, SEV4)',
    );
    expect(() => read({ severityMap: { SEV1: 'urgent' } })).toThrow(
      "Invalid ops.notifications.severityMap.SEV1: 'urgent' is not one of critical, high, normal, low",
    );
    expect(() => read({ slack: { channelsBySeverity: { P1: '#x' } } })).toThrow(
      'Invalid ops.notifications.slack.channelsBySeverity.P1',
    );
    expect(() => read({ nextUpdateMinutes: 0 })).toThrow(
      'Invalid ops.notifications.nextUpdateMinutes: must be a number above 0',
    );
    expect(() => read({ budgetThresholdPercent: 120 })).toThrow(
      'Invalid ops.notifications.budgetThresholdPercent: must be between 0 and 100 (got 120)',
    );
  });
});
