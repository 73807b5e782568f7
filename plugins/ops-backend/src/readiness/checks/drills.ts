import { stringifyEntityRef } from '@backstage/catalog-model';
import { Config } from '@backstage/config';
import {
  databaseTargetsOf,
  DATABASES_CONFIG_KEY,
  DEFAULT_DRILL_INTERVAL_DAYS,
  Drill,
  DRILL_INTERVAL_KEY,
  OPSDECK_ANNOTATIONS,
  parseDrillIntervalDays,
  readTargetBinding,
  TargetBinding,
  databaseBindingRefusal,
  wholeDaysSince,
} from '@opsdeck/plugin-ops-common';
import { ReadinessCheck } from '@opsdeck/plugin-ops-node';
import { DrillStore } from '../../drills/DrillStore';

const DAY_MS = 86_400_000;
const PAGE_SIZE = 100;

/**
 * The drill interval of each database target, from
 * `ops.databases.<name>.drillSchedule.everyDays` (the same key the scheduled
 * drills of the scaffolder module read); quarterly when absent.
 */
export function readDrillIntervals(config: Config): (target: string) => number {
  const databases = config.getOptionalConfig(DATABASES_CONFIG_KEY);
  return target =>
    parseDrillIntervalDays(
      databases
        ?.getOptionalConfig(target)
        ?.getOptionalNumber(DRILL_INTERVAL_KEY),
      `${DATABASES_CONFIG_KEY}.${target}.${DRILL_INTERVAL_KEY}`,
    );
}

/**
 * The entities each database target is bound to, from
 * `ops.databases.<name>.entities` and `.owners` (the keys the scaffolder
 * module's actions check); undefined for a target bound to none.
 */
export function readDatabaseBindings(
  config: Config,
): (target: string) => TargetBinding | undefined {
  const databases = config.getOptionalConfig(DATABASES_CONFIG_KEY);
  const bindings = new Map(
    (databases?.keys() ?? []).map(name => [
      name,
      readTargetBinding(
        databases!.getConfig(name),
        `${DATABASES_CONFIG_KEY}.${name}`,
      ),
    ]),
  );
  return target => bindings.get(target);
}

function ago(days: number): string {
  if (days === 0) {
    return 'today';
  }
  return `${days} day${days === 1 ? '' : 's'} ago`;
}

/**
 * The newest passed backup-restore drill of each target, looking back as far
 * as the longest interval and stopping once every target has one.
 */
async function lastPassedDrills(options: {
  store: DrillStore;
  entityRef: string;
  targets: string[];
  from: Date;
}): Promise<Map<string, Drill>> {
  const { store, entityRef, targets, from } = options;
  const found = new Map<string, Drill>();
  let cursor: string | undefined;
  do {
    const page = await store.listDrills({
      entityRef,
      kind: ['backup-restore'],
      status: ['passed'],
      from: from.toISOString(),
      limit: PAGE_SIZE,
      cursor,
    });
    for (const drill of page.items) {
      if (targets.includes(drill.target) && !found.has(drill.target)) {
        found.set(drill.target, drill);
      }
    }
    cursor = found.size < targets.length ? page.nextCursor : undefined;
  } while (cursor);
  return found;
}

/**
 * "Database targets with drills": the entity names its database targets, and
 * a backup-restore drill of each passed within its interval
 * (`drillSchedule.everyDays`, quarterly by default). An overdue target is
 * named, with how long ago it last passed.
 */
export function createDrillCheck(options: {
  store: DrillStore;
  /** Days between drills of a target; see {@link readDrillIntervals}. */
  intervalDays?: (target: string) => number;
  /**
   * The binding of a target (see {@link readDatabaseBindings}); a target the
   * entity is not bound to fails the check. Default: bound to none.
   */
  bindingOf?: (target: string) => TargetBinding | undefined;
  now?: () => Date;
}): ReadinessCheck {
  const {
    store,
    intervalDays = () => DEFAULT_DRILL_INTERVAL_DAYS,
    bindingOf = () => undefined,
    now = () => new Date(),
  } = options;
  return {
    id: 'databases',
    title: 'Database targets with drills',
    documentationAnchor: 'databases',
    async evaluate(entity) {
      const targets = databaseTargetsOf(entity);
      if (targets.length === 0) {
        return {
          status: 'missing',
          detail: `Add ${OPSDECK_ANNOTATIONS.databases} naming the service's database targets, so backup-restore drills and failovers can run.`,
        };
      }
      const refusedTargets = targets.flatMap(target => {
        const reason = databaseBindingRefusal(
          entity,
          target,
          bindingOf(target),
        );
        return reason ? [{ target, reason }] : [];
      });
      if (refusedTargets.length > 0) {
        return {
          status: 'missing',
          detail: `Database targets: ${targets.join(
            ', ',
          )}; not usable by this service: ${refusedTargets
            .map(r => r.reason)
            .join('; ')}.`,
          refusedTargets,
        };
      }
      const at = now();
      const intervals = new Map(targets.map(t => [t, intervalDays(t)]));
      const longest = Math.max(...intervals.values());
      const passed = await lastPassedDrills({
        store,
        entityRef: stringifyEntityRef(entity),
        targets,
        from: new Date(at.getTime() - longest * DAY_MS),
      });

      const overdue: string[] = [];
      const current: string[] = [];
      for (const target of targets) {
        const every = intervals.get(target)!;
        const drill = passed.get(target);
        const days =
          drill === undefined ? undefined : wholeDaysSince(drill.startedAt, at);
        // Passed within its own interval (the scan went back to the longest one).
        if (
          drill === undefined ||
          at.getTime() - Date.parse(drill.startedAt) >= every * DAY_MS
        ) {
          overdue.push(
            days === undefined
              ? `${target} (no backup-restore drill passed in the last ${every} days)`
              : `${target} (last passed ${ago(days)}, every ${every} days)`,
          );
        } else {
          current.push(`${target} passed ${ago(days!)} (every ${every} days)`);
        }
      }
      if (overdue.length > 0) {
        return {
          status: 'missing',
          detail: `Database targets: ${targets.join(
            ', ',
          )}; drill overdue: ${overdue.join(
            '; ',
          )}. Run the backup-restore drill.`,
        };
      }
      return {
        status: 'present',
        detail: `Database targets: ${targets.join(
          ', ',
        )}; last backup-restore drill: ${current.join('; ')}`,
      };
    },
  };
}
