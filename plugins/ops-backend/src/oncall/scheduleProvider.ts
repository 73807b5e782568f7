import {
  Entity,
  parseEntityRef,
  RELATION_HAS_MEMBER,
  RELATION_OWNED_BY,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { NotFoundError } from '@backstage/errors';
import { OnCallSchedule, scheduleOnCall } from '@opsdeck/plugin-ops-common';
import { OnCallProvider, OnCallProviderResult } from '@opsdeck/plugin-ops-node';
import { EntityAccess } from '../access/EntityAccess';
import { OnCallOverrideStore } from './OnCallOverrideStore';
import { ScheduleSource } from './scheduleSource';

/** How far back overrides are read: the schedule math looks back 31 days. */
const OVERRIDE_LOOKBACK_MS = 32 * 24 * 3600 * 1000;

/** Levels whose people take turns; the team check applies to them only. */
const ROTATING_LEVELS = new Set(['primary', 'secondary']);

type GetOnCallOptions = Parameters<OnCallProvider['getOnCall']>[1];

/**
 * The built-in schedules standing in for an entity's own provider (PagerDuty)
 * while that provider fails.
 */
export interface ScheduleFallback {
  /**
   * Who is on call by the entity's own `opsdeck.dev/oncall-schedule`, else by
   * the one of the group that owns it; undefined when neither has one.
   * `source` is the ref of the entity whose schedule answered.
   */
  fallbackFor(
    entity: Entity,
    options: GetOnCallOptions,
  ): Promise<{ result: OnCallProviderResult; source: string } | undefined>;
}

/**
 * The built-in on-call provider: schedules as code
 * (`opsdeck.dev/oncall-schedule`) plus the overrides stored with the records.
 *
 * A participant of a rotating level who is no longer a member of the group
 * that owns the entity is skipped (their turn goes to the next in line) and
 * named in the answer's messages, so the schedule file gets fixed. The group
 * is read as a read decision is (EntityAccess): a card read again within its
 * time to live asks the catalog nothing, and a change of the team shows
 * within twice that time.
 */
export function createScheduleProvider(options: {
  schedules: ScheduleSource;
  overrides: OnCallOverrideStore;
  /** Reads the owning group as the caller, remembered as any read decision. */
  access: EntityAccess;
}): OnCallProvider & ScheduleFallback {
  const { schedules, overrides, access } = options;

  const answer = async (
    entity: Entity,
    schedule: OnCallSchedule,
    owner: Entity | undefined,
    at: Date,
  ): Promise<OnCallProviderResult> => {
    const stored = await overrides.list(stringifyEntityRef(entity), {
      endsAfter: new Date(at.getTime() - OVERRIDE_LOOKBACK_MS),
    });
    const team = owner && teamOf(owner);
    const skipped = new Set<string>();
    const eligible = (level: string) => (ref: string) => {
      if (!team || !ROTATING_LEVELS.has(level) || team.members.has(ref)) {
        return true;
      }
      skipped.add(ref);
      return false;
    };
    const levels = schedule.layers.map(layer => {
      const [status] = scheduleOnCall({
        schedule: { ...schedule, layers: [layer] },
        overrides: stored,
        at,
        eligible: eligible(layer.level),
      });
      return status;
    });
    const messages = [...skipped].map(
      ref =>
        `${ref} is in schedule ${schedule.name} but no longer a member of ${
          team!.ref
        }: their turns go to the next person`,
    );
    return { state: 'ok', schedule: schedule.name, levels, messages };
  };

  return {
    id: 'schedule',
    appliesTo: entity => ScheduleSource.reference(entity) !== undefined,
    async getOnCall(entity, { at, credentials }) {
      const schedule = await schedules.scheduleOf(entity);
      if (!schedule) {
        return { state: 'ok', levels: [] };
      }
      const owner = await ownerGroup(entity, access, credentials);
      return answer(entity, schedule, owner, at);
    },
    async fallbackFor(entity, { at, credentials }) {
      const owner = await ownerGroup(entity, access, credentials);
      // The entity's own schedule file, else its team's (resolved relative to
      // the group's catalog file, where the group's annotation was written).
      const source = [entity, owner].find(
        (e): e is Entity => !!e && ScheduleSource.reference(e) !== undefined,
      );
      const schedule = source && (await schedules.scheduleOf(source));
      if (!schedule) return undefined;
      return {
        result: await answer(entity, schedule, owner, at),
        source: stringifyEntityRef(source),
      };
    },
  };
}

async function ownerGroup(
  entity: Entity,
  access: EntityAccess,
  credentials: GetOnCallOptions['credentials'],
): Promise<Entity | undefined> {
  const owner = entity.relations?.find(
    r => r.type === RELATION_OWNED_BY,
  )?.targetRef;
  if (!owner || parseEntityRef(owner).kind !== 'group') return undefined;
  try {
    return await access.readableEntity(owner, credentials);
  } catch (error) {
    if (error instanceof NotFoundError) return undefined;
    throw error;
  }
}

function teamOf(group: Entity): { ref: string; members: Set<string> } {
  return {
    ref: stringifyEntityRef(group),
    members: new Set(
      (group.relations ?? [])
        .filter(r => r.type === RELATION_HAS_MEMBER)
        .map(r => r.targetRef),
    ),
  };
}
