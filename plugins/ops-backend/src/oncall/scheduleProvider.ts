import {
  Entity,
  parseEntityRef,
  RELATION_HAS_MEMBER,
  RELATION_OWNED_BY,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { scheduleOnCall } from '@opsdeck/plugin-ops-common';
import { OnCallProvider } from '@opsdeck/plugin-ops-node';
import { OnCallOverrideStore } from './OnCallOverrideStore';
import { ScheduleSource } from './scheduleSource';

/** How far back overrides are read: the schedule math looks back 31 days. */
const OVERRIDE_LOOKBACK_MS = 32 * 24 * 3600 * 1000;

/** Levels whose people take turns; the team check applies to them only. */
const ROTATING_LEVELS = new Set(['primary', 'secondary']);

/**
 * The built-in on-call provider: schedules as code
 * (`opsdeck.dev/oncall-schedule`) plus the overrides stored with the records.
 *
 * A participant of a rotating level who is no longer a member of the group
 * that owns the entity is skipped (their turn goes to the next in line) and
 * named in the answer's messages, so the schedule file gets fixed.
 */
export function createScheduleProvider(options: {
  schedules: ScheduleSource;
  overrides: OnCallOverrideStore;
  catalog: CatalogService;
}): OnCallProvider {
  const { schedules, overrides, catalog } = options;
  return {
    id: 'schedule',
    appliesTo: entity => ScheduleSource.reference(entity) !== undefined,
    async getOnCall(entity, { at, credentials }) {
      const schedule = await schedules.scheduleOf(entity);
      if (!schedule) {
        return { state: 'ok', levels: [] };
      }
      const entityRef = stringifyEntityRef(entity);
      const stored = await overrides.list(entityRef, {
        endsAfter: new Date(at.getTime() - OVERRIDE_LOOKBACK_MS),
      });

      const team = await teamMembers(entity, catalog, credentials);
      const messages: string[] = [];
      const skipped = new Set<string>();
      const eligibleByLevel = new Map<string, (ref: string) => boolean>();
      for (const layer of schedule.layers) {
        eligibleByLevel.set(layer.level, ref => {
          if (
            !team ||
            !ROTATING_LEVELS.has(layer.level) ||
            team.members.has(ref)
          ) {
            return true;
          }
          skipped.add(ref);
          return false;
        });
      }
      const levels = schedule.layers.map(layer => {
        const [status] = scheduleOnCall({
          schedule: { ...schedule, layers: [layer] },
          overrides: stored,
          at,
          eligible: eligibleByLevel.get(layer.level),
        });
        return status;
      });
      for (const ref of skipped) {
        messages.push(
          `${ref} is in schedule ${schedule.name} but no longer a member of ${
            team!.ref
          }: their turns go to the next person`,
        );
      }
      return { state: 'ok', schedule: schedule.name, levels, messages };
    },
  };
}

async function teamMembers(
  entity: Entity,
  catalog: CatalogService,
  credentials: Parameters<CatalogService['getEntityByRef']>[1]['credentials'],
): Promise<{ ref: string; members: Set<string> } | undefined> {
  const owner = entity.relations?.find(
    r => r.type === RELATION_OWNED_BY,
  )?.targetRef;
  if (!owner || parseEntityRef(owner).kind !== 'group') return undefined;
  const group = await catalog.getEntityByRef(owner, { credentials });
  if (!group) return undefined;
  return {
    ref: owner,
    members: new Set(
      (group.relations ?? [])
        .filter(r => r.type === RELATION_HAS_MEMBER)
        .map(r => r.targetRef),
    ),
  };
}
