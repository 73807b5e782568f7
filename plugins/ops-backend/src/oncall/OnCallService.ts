import {
  BackstageCredentials,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError, NotFoundError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  CreateOnCallOverrideRequest,
  ECOSYSTEM_ANNOTATIONS,
  OPSDECK_ANNOTATIONS,
  OnCallOverride,
  OnCallStatus,
  opsOnCallWritePermission,
} from '@opsdeck/plugin-ops-common';
import { OnCallProvider, OnCallProviderResult } from '@opsdeck/plugin-ops-node';
import { OnCallOverrideStore } from './OnCallOverrideStore';
import { ScheduleFallback } from './scheduleProvider';
import { actorOf } from '../access/actor';
import { EntityAccess } from '../access/EntityAccess';
import { userContacts } from './contacts';
import { parseInstant } from '../database/time';

/** Longest override accepted: a shift swap, not a second schedule. */
const MAX_OVERRIDE_MS = 31 * 24 * 3600 * 1000;

/** How the providers of the modules OpsDeck ships are named to people. */
const PROVIDER_NAMES: Record<string, string> = { pagerduty: 'PagerDuty' };

function providerName(id: string): string {
  return PROVIDER_NAMES[id] ?? `On-call provider ${id}`;
}

/**
 * Who is on call for an entity, from its provider, with contact details; and
 * the overrides of the built-in schedules.
 */
export class OnCallService {
  constructor(
    private readonly options: {
      providers: OnCallProvider[];
      access: EntityAccess;
      catalog: CatalogService;
      overrides: OnCallOverrideStore;
      logger: LoggerService;
      /** Answers, from the built-in schedules, for a provider that fails. */
      fallback?: ScheduleFallback;
    },
  ) {}

  async getOnCall(
    entityRef: string,
    credentials: BackstageCredentials,
    at: Date = new Date(),
  ): Promise<OnCallStatus> {
    const { access, providers, logger } = this.options;
    const entity = await access.readableEntity(entityRef, credentials);
    const ref = stringifyEntityRef(entity);
    const base = { entityRef: ref, at: at.toISOString() };
    const provider = providers.find(p => p.appliesTo(entity));
    if (!provider) {
      return {
        ...base,
        provider: 'none',
        state: 'ok',
        messages: [
          entity.metadata.annotations?.[
            ECOSYSTEM_ANNOTATIONS.pagerdutyServiceId
          ]
            ? `${ECOSYSTEM_ANNOTATIONS.pagerdutyServiceId} is set, but no on-call provider answers for it: add @opsdeck/plugin-ops-backend-module-pagerduty to the backend`
            : `No on-call schedule: add ${OPSDECK_ANNOTATIONS.oncallSchedule} or ${ECOSYSTEM_ANNOTATIONS.pagerdutyServiceId}`,
        ],
        levels: [],
      };
    }
    let result: OnCallProviderResult;
    try {
      result = await provider.getOnCall(entity, { at, credentials });
    } catch (error) {
      // One broken schedule or provider must not break the page: the card
      // says what is wrong instead.
      logger.warn(
        `On-call provider ${provider.id} failed for ${ref}`,
        error as Error,
      );
      result = {
        state: 'unavailable',
        messages: [(error as Error).message],
        levels: [],
      };
    }
    let answeredBy = provider.id;
    // The built-in schedules stand in for a module's provider, never for
    // themselves (a broken schedule file stays the error it is).
    if (result.state === 'unavailable' && provider.id !== 'schedule') {
      const fallback = await this.fallback(entity, provider.id, result, {
        at,
        credentials,
      });
      if (fallback) {
        result = fallback;
        if (fallback.state === 'ok') answeredBy = 'schedule';
      }
    }
    const contacts = await userContacts(
      result.levels.flatMap(l =>
        [l.current, l.next].flatMap(s => (s && !s.contact ? [s.userRef] : [])),
      ),
      refs => access.readableEntities(refs, credentials),
    );
    const withContact = <T extends { userRef: string; contact?: unknown }>(
      shift: T | undefined,
    ) =>
      shift && {
        ...shift,
        contact: shift.contact ?? contacts.get(shift.userRef),
      };
    return {
      ...base,
      provider: answeredBy,
      state: result.state,
      schedule: result.schedule,
      url: result.url,
      messages: result.messages ?? [],
      levels: result.levels.map(level => ({
        ...level,
        current: withContact(level.current),
        next: withContact(level.next),
      })),
    };
  }

  /**
   * The built-in schedule's answer while the entity's provider is
   * unavailable, led by one line saying so; undefined when the entity and
   * its team have no schedule (the provider's own answer then stands).
   */
  private async fallback(
    entity: Entity,
    providerId: string,
    failed: OnCallProviderResult,
    options: { at: Date; credentials: BackstageCredentials },
  ): Promise<OnCallProviderResult | undefined> {
    const { fallback, logger } = this.options;
    if (!fallback) return undefined;
    const outage = `${providerName(providerId)} unavailable: ${(
      failed.messages ?? []
    ).join('; ')}`;
    try {
      const answer = await fallback.fallbackFor(entity, options);
      if (!answer) return undefined;
      const { result, source } = answer;
      return {
        ...result,
        messages: [
          `${outage}. Showing the built-in schedule ${result.schedule} of ${source} instead.`,
          ...(result.messages ?? []),
        ],
      };
    } catch (error) {
      logger.warn(
        `Fallback schedule failed for ${stringifyEntityRef(entity)}`,
        error as Error,
      );
      return {
        ...failed,
        messages: [
          ...(failed.messages ?? []),
          `The fallback schedule failed too: ${(error as Error).message}`,
        ],
      };
    }
  }

  async listOverrides(
    entityRef: string,
    credentials: BackstageCredentials,
    options: { endsAfter: Date } = { endsAfter: new Date() },
  ): Promise<OnCallOverride[]> {
    const entity = await this.options.access.readableEntity(
      entityRef,
      credentials,
    );
    return this.options.overrides.list(stringifyEntityRef(entity), options);
  }

  async addOverride(
    request: CreateOnCallOverrideRequest,
    credentials: BackstageCredentials,
  ): Promise<OnCallOverride> {
    const start = parseInstant(request.start, 'start');
    const end = parseInstant(request.end, 'end');
    if (!(end > start)) {
      throw new InputError('Invalid end: must be after start');
    }
    if (end - start > MAX_OVERRIDE_MS) {
      throw new InputError('Invalid end: an override lasts at most 31 days');
    }
    if (end <= Date.now()) {
      throw new InputError('Invalid end: the override would be over already');
    }
    const entity = await this.options.access.authorizeWrite(
      request.entityRef,
      opsOnCallWritePermission,
      credentials,
    );
    const user = await this.options.catalog.getEntityByRef(request.userRef, {
      credentials,
    });
    if (!user || user.kind.toLocaleLowerCase('en-US') !== 'user') {
      throw new InputError(`Invalid userRef: no user '${request.userRef}'`);
    }
    return this.options.overrides.add(
      {
        ...request,
        entityRef: stringifyEntityRef(entity),
        userRef: stringifyEntityRef(user),
        start: new Date(start).toISOString(),
        end: new Date(end).toISOString(),
      },
      { actor: actorOf(credentials) },
    );
  }

  async deleteOverride(
    id: string,
    credentials: BackstageCredentials,
  ): Promise<OnCallOverride> {
    const override = await this.options.overrides.get(id);
    if (!override) {
      throw new NotFoundError(`No on-call override with id '${id}'`);
    }
    await this.options.access.authorizeWrite(
      override.entityRef,
      opsOnCallWritePermission,
      credentials,
    );
    await this.options.overrides.delete(id);
    return override;
  }
}
