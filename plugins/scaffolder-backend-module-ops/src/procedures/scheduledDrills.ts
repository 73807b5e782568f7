import { randomUUID } from 'node:crypto';
import {
  AuthService,
  LoggerService,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { Config } from '@backstage/config';
import { CATALOG_FILTER_EXISTS } from '@backstage/catalog-client';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  databaseBindingRefusal,
  databaseTargetsOf,
  isDrillDue,
  OPSDECK_ANNOTATIONS,
  RECORD_LIMITS,
} from '@opsdeck/plugin-ops-common';
import { OpsService } from '@opsdeck/plugin-ops-node';
import { listDatabaseTargetNames } from '../postgres/config';
import { DrillTarget, findDrillTarget } from '../targets';
import { checkPrerequisites, executeBackupDrill } from './backupDrill';

/** The scheduler task that runs overdue drills. */
export const SCHEDULED_DRILLS_TASK_ID = 'opsdeck-scheduled-backup-drills';

// How far back the last drill of a target is looked for, page by page.
const PAGE_SIZE = RECORD_LIMITS.maxPageSize;
const DAY_MS = 86_400_000;

/** What the scheduled drills read and write through the ops backend. */
type DrillRecords = Pick<
  OpsService,
  'listDrills' | 'createDrill' | 'upsertDrillStep' | 'updateDrill'
>;

/** One drill the scheduler found due. */
export interface DueDrill {
  target: DrillTarget;
  entityRef: string;
  /**
   * Start of the last backup-restore drill of the target for the entity;
   * only looked for within the interval.
   */
  lastStartedAt?: string;
}

/**
 * Start of the newest backup-restore drill of the target for the entity,
 * whatever its outcome: a failed drill is not retried before the next
 * interval (the readiness check flags it meanwhile), so a broken backup
 * does not start a drill every hour.
 */
async function lastDrillStart(options: {
  opsClient: Pick<OpsService, 'listDrills'>;
  entityRef: string;
  target: string;
  from: string;
  credentials: Awaited<ReturnType<AuthService['getOwnServiceCredentials']>>;
}): Promise<string | undefined> {
  const { opsClient, entityRef, target, from, credentials } = options;
  let cursor: string | undefined;
  do {
    const page = await opsClient.listDrills(
      {
        entityRef,
        kind: ['backup-restore'],
        from,
        limit: PAGE_SIZE,
        cursor,
      },
      { credentials },
    );
    const found = page.items.find(drill => drill.target === target);
    if (found) {
      return found.startedAt;
    }
    cursor = page.nextCursor;
  } while (cursor);
  return undefined;
}

/**
 * The drills that are due now: for every target with an enabled
 * `drillSchedule`, every entity naming it whose last backup-restore drill of
 * it started `everyDays` or more ago (or never). A target whose config is
 * invalid is skipped with an error in the log; the others still run.
 */
export async function findDueDrills(options: {
  config: Config;
  catalog: CatalogService;
  opsClient: Pick<OpsService, 'listDrills'>;
  auth: AuthService;
  logger: LoggerService;
  now: Date;
}): Promise<DueDrill[]> {
  const { config, catalog, opsClient, auth, logger, now } = options;
  const scheduled: DrillTarget[] = [];
  for (const name of listDatabaseTargetNames(config)) {
    try {
      const target = findDrillTarget(config, name)!;
      if (target.drillSchedule.enabled) {
        scheduled.push(target);
      }
    } catch (error) {
      logger.error(`Scheduled drills of ${name} skipped: ${error}`);
    }
  }
  if (scheduled.length === 0) {
    return [];
  }

  const credentials = await auth.getOwnServiceCredentials();
  const { items: entities } = await catalog.getEntities(
    {
      filter: {
        [`metadata.annotations.${OPSDECK_ANNOTATIONS.databases}`]:
          CATALOG_FILTER_EXISTS,
      },
      fields: [
        'kind',
        'metadata.namespace',
        'metadata.name',
        'metadata.annotations',
        'spec.owner',
      ],
    },
    { credentials },
  );

  const due: DueDrill[] = [];
  for (const target of scheduled) {
    const naming = entities
      .filter((entity: Entity) => {
        if (!databaseTargetsOf(entity).includes(target.name)) {
          return false;
        }
        const refusal = databaseBindingRefusal(
          entity,
          target.name,
          target.binding,
        );
        if (refusal) {
          logger.warn(
            `Scheduled drill of ${target.name} for ${stringifyEntityRef(
              entity,
            )} skipped: ${refusal}`,
          );
        }
        return refusal === undefined;
      })
      .map(entity => stringifyEntityRef(entity))
      .sort();
    for (const entityRef of naming) {
      const from = new Date(
        now.getTime() - target.drillSchedule.everyDays * DAY_MS,
      ).toISOString();
      const lastStartedAt = await lastDrillStart({
        opsClient,
        entityRef,
        target: target.name,
        from,
        credentials,
      });
      if (
        isDrillDue({
          lastStartedAt,
          everyDays: target.drillSchedule.everyDays,
          now,
        })
      ) {
        due.push({ target, entityRef, lastStartedAt });
      }
    }
  }
  return due;
}

/**
 * Runs the due drills one after the other (each restores a whole database;
 * running them side by side would only compete for the same disks). A drill
 * that fails is recorded as failed like any other; an error writing the
 * record is logged and the next drill still runs.
 */
export async function runDueDrills(options: {
  config: Config;
  catalog: CatalogService;
  opsClient: DrillRecords;
  auth: AuthService;
  logger: LoggerService;
  signal?: AbortSignal;
  now?: () => Date;
}): Promise<void> {
  const { opsClient, auth, logger, signal, now = () => new Date() } = options;
  const due = await findDueDrills({ ...options, now: now() });
  for (const { target, entityRef, lastStartedAt } of due) {
    if (signal?.aborted) {
      return;
    }
    const runId = `scheduled-${randomUUID()}`;
    const drillLogger = logger.child({ target: target.name, entityRef });
    drillLogger.info(
      `Scheduled backup-restore drill of ${target.name} for ${entityRef}: ${
        lastStartedAt
          ? `the last one started ${lastStartedAt}`
          : `none in the last ${target.drillSchedule.everyDays} days`
      }`,
    );
    try {
      await checkPrerequisites(target, target.drillSchedule.takeBackup);
      const result = await executeBackupDrill({
        target,
        entityRef,
        jobs: target.drillSchedule.jobs,
        takeBackupFirst: target.drillSchedule.takeBackup,
        runId,
        credentials: await auth.getOwnServiceCredentials(),
        opsClient,
        logger: drillLogger,
        signal,
        // No task to resume: each scheduled run is a new attempt.
        checkpoint: ({ fn }) => fn(),
      });
      const message = `Scheduled drill ${result.drillId} of ${target.name} for ${entityRef}: ${result.status}`;
      if (result.outcome.passed) {
        drillLogger.info(message);
      } else {
        drillLogger.warn(`${message}: ${result.outcome.reasons.join('; ')}`);
      }
    } catch (error) {
      drillLogger.error(
        `Scheduled drill of ${target.name} for ${entityRef} could not run: ${error}`,
      );
    }
  }
}

/**
 * Schedules the check for overdue drills: hourly, on one backend instance
 * at a time (the scheduler's global scope locks the task in the database).
 */
export async function scheduleBackupDrills(options: {
  config: Config;
  catalog: CatalogService;
  opsClient: DrillRecords;
  auth: AuthService;
  logger: LoggerService;
  scheduler: SchedulerService;
}): Promise<void> {
  const { scheduler, ...rest } = options;
  await scheduler.scheduleTask({
    id: SCHEDULED_DRILLS_TASK_ID,
    frequency: { hours: 1 },
    // A drill restores a whole database; a large one takes hours.
    timeout: { hours: 12 },
    // Let the catalog and the ops backend finish starting first.
    initialDelay: { minutes: 2 },
    scope: 'global',
    fn: async signal => runDueDrills({ ...rest, signal }),
  });
}
