import {
  BackstageCredentials,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  ECOSYSTEM_ANNOTATIONS,
  ONCALL_LEVELS,
  OnCallLevelStatus,
  OnCallShift,
} from '@opsdeck/plugin-ops-common';
import { OnCallProvider, OnCallProviderResult } from '@opsdeck/plugin-ops-node';
import { PAGERDUTY_CONFIG_KEY } from './config';
import {
  PagerDutyClient,
  PagerDutyNotFoundError,
  PagerDutyOnCall,
  PagerDutyUnavailableError,
} from './PagerDutyClient';

/** How far ahead on-calls are read to find who is next. */
const LOOKAHEAD_MS = 14 * 24 * 3600 * 1000;

/** PagerDuty's escalation levels 1, 2, 3 are the manuals' three levels. */
function levelName(escalationLevel: number): string {
  return ONCALL_LEVELS[escalationLevel - 1] ?? `level-${escalationLevel}`;
}

/**
 * Who is on call for entities annotated `pagerduty.com/service-id`: the
 * service's escalation policy, then its on-call entries (now and the next
 * two weeks), per escalation level. PagerDuty users are matched to User
 * entities by email; contact details come from PagerDuty.
 */
export function createPagerDutyProvider(options: {
  client?: PagerDutyClient;
  catalog: CatalogService;
  logger: LoggerService;
}): OnCallProvider {
  const { client, catalog, logger } = options;
  // The reason only: the card and the fallback's line say "PagerDuty
  // unavailable" themselves.
  const unavailable = (message: string): OnCallProviderResult => ({
    state: 'unavailable',
    messages: [message],
    levels: [],
  });

  return {
    id: 'pagerduty',
    appliesTo: entity =>
      Boolean(
        entity.metadata.annotations?.[
          ECOSYSTEM_ANNOTATIONS.pagerdutyServiceId
        ]?.trim(),
      ),
    async getOnCall(entity, { at, credentials }) {
      const serviceId =
        entity.metadata.annotations![
          ECOSYSTEM_ANNOTATIONS.pagerdutyServiceId
        ].trim();
      if (!client) {
        return unavailable(
          `no API token configured (${PAGERDUTY_CONFIG_KEY}.apiToken)`,
        );
      }
      try {
        const service = await client.getService(serviceId);
        const oncalls = await client.listOnCalls({
          escalationPolicyId: service.escalation_policy.id,
          since: at,
          until: new Date(at.getTime() + LOOKAHEAD_MS),
        });
        const userRefs = await usersByEmail(
          oncalls.flatMap(o => (o.user.email ? [o.user.email] : [])),
          catalog,
          credentials,
        );
        return {
          state: 'ok',
          schedule:
            service.escalation_policy.summary ?? service.escalation_policy.id,
          url: service.escalation_policy.html_url ?? service.html_url,
          levels: levelsOf(oncalls, at, userRefs),
        };
      } catch (error) {
        if (error instanceof PagerDutyNotFoundError) {
          return unavailable(
            `PagerDuty has no service ${serviceId} (${
              ECOSYSTEM_ANNOTATIONS.pagerdutyServiceId
            } of ${stringifyEntityRef(entity)})`,
          );
        }
        if (error instanceof PagerDutyUnavailableError) {
          logger.warn(
            `PagerDuty unavailable for ${serviceId}: ${error.message}`,
          );
          return unavailable(error.message);
        }
        throw error;
      }
    },
  };
}

function levelsOf(
  oncalls: PagerDutyOnCall[],
  at: Date,
  userRefs: Map<string, string>,
): OnCallLevelStatus[] {
  const byLevel = new Map<number, PagerDutyOnCall[]>();
  for (const entry of oncalls) {
    byLevel.set(entry.escalation_level, [
      ...(byLevel.get(entry.escalation_level) ?? []),
      entry,
    ]);
  }
  const toShift = (
    entry: PagerDutyOnCall,
  ): OnCallShift & {
    contact: NonNullable<OnCallLevelStatus['current']>['contact'];
  } => {
    const userRef =
      (entry.user.email && userRefs.get(entry.user.email.toLowerCase())) ??
      `pagerduty:user/${entry.user.id}`;
    return {
      userRef,
      // null start/end: always on call (an escalation rule naming a user).
      start: entry.start ?? at.toISOString(),
      ...(entry.end ? { end: entry.end } : {}),
      contact: {
        userRef,
        displayName: entry.user.name ?? entry.user.summary,
        email: entry.user.email,
      },
    };
  };
  return [...byLevel.keys()]
    .sort((a, b) => a - b)
    .map(level => {
      const entries = byLevel
        .get(level)!
        .sort(
          (a, b) =>
            Date.parse(a.start ?? '1970-01-01') -
            Date.parse(b.start ?? '1970-01-01'),
        );
      const now = at.getTime();
      const current = entries.find(
        e =>
          (e.start === null || Date.parse(e.start) <= now) &&
          (e.end === null || Date.parse(e.end) > now),
      );
      const next = entries.find(
        e =>
          e !== current &&
          e.start !== null &&
          Date.parse(e.start) > now &&
          e.user.id !== current?.user.id,
      );
      return {
        level: levelName(level),
        current: current && toShift(current),
        next: next && toShift(next),
      };
    });
}

async function usersByEmail(
  emails: string[],
  catalog: CatalogService,
  credentials: BackstageCredentials,
): Promise<Map<string, string>> {
  const unique = [...new Set(emails.map(e => e.toLowerCase()))];
  const refs = new Map<string, string>();
  if (unique.length === 0) return refs;
  const { items } = await catalog.getEntities(
    {
      filter: { kind: 'User', 'spec.profile.email': unique },
      fields: [
        'kind',
        'metadata.name',
        'metadata.namespace',
        'spec.profile.email',
      ],
    },
    { credentials },
  );
  for (const user of items as Entity[]) {
    const email = (user.spec?.profile as { email?: string } | undefined)?.email;
    if (email) refs.set(email.toLowerCase(), stringifyEntityRef(user));
  }
  return refs;
}
