import { PermissionsService } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import { Config } from '@backstage/config';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { opsDrillWritePermission } from '@opsdeck/plugin-ops-common';
import { OpsService } from '@opsdeck/plugin-ops-node';
import { rpoExposureSeconds } from '../postgres/backup/source';
import { DEFAULT_RESTORE_JOBS } from '../postgres/config';
import { executeBackupDrill } from '../procedures/backupDrill';
import { drillEngineFor } from '../procedures/drillEngines';
import { formatDuration } from '../procedures/judgement';
import { withoutServerPaths } from '../procedures/serverPaths';
import { resolveEntityTarget } from '../postgres/target';
import { databaseTargetInput } from './postgres/targetInput';
import { isDryRun } from './dryRun';

/**
 * What the backup drill actions need.
 *
 * @public
 */
export type BackupDrillActionOptions = {
  config: Config;
  catalog: CatalogService;
  /** Decides ops.operation.execute and the drill (and incident) writes for the task's user. */
  permissions: PermissionsService;
  opsClient: Pick<
    OpsService,
    'createDrill' | 'upsertDrillStep' | 'updateDrill'
  >;
};

const ENGINE_NAMES = { postgres: 'PostgreSQL', mysql: 'MySQL/MariaDB' };

/**
 * Creates the `ops:postgres:backup-drill` action (SOP-01): restores the
 * latest backup of a database target into a scratch PostgreSQL instance,
 * measures the recovery time, verifies the data against the source, cleans
 * up and records the drill with its report.
 *
 * @public
 */
export function createPostgresBackupDrillAction(
  options: BackupDrillActionOptions,
) {
  return createBackupDrillAction({ ...options, engine: 'postgres' });
}

/**
 * Creates the `ops:mysql:backup-drill` action (SOP-01 for MySQL and
 * MariaDB): restores the latest dump of a database target into a scratch
 * MariaDB instance, measures the recovery time, verifies the data against the
 * dump's manifest or the live source, cleans up and records the drill with
 * its report, like the PostgreSQL drill.
 *
 * @public
 */
export function createMysqlBackupDrillAction(
  options: BackupDrillActionOptions,
) {
  return createBackupDrillAction({ ...options, engine: 'mysql' });
}

const POSTGRES_EXAMPLES = [
  {
    description: 'Drill the latest backup of the orders database',
    example: `steps:
  - id: drill
    name: Backup-restore drill
    action: ops:postgres:backup-drill
    input:
      entityRef: component:default/orders-api
      target: orders-db
      jobs: 4`,
  },
  {
    description: 'Take a fresh backup with pg_dump first, then drill it',
    example: `steps:
  - id: drill
    name: Backup-restore drill
    action: ops:postgres:backup-drill
    input:
      entityRef: component:default/orders-api
      target: orders-db
      takeBackup: true`,
  },
  {
    description:
      'Restore a pgBackRest target to a point in time (restore, then replay archived WAL up to it)',
    example: `steps:
  - id: drill
    name: Point-in-time drill
    action: ops:postgres:backup-drill
    input:
      entityRef: component:default/orders-api
      target: orders-db
      targetTime: '2026-12-02T09:30:00Z'`,
  },
];

const MYSQL_EXAMPLES = [
  {
    description: 'Drill the latest dump of the maintenance database',
    example: `steps:
  - id: drill
    name: Backup-restore drill
    action: ops:mysql:backup-drill
    input:
      entityRef: component:default/maintenance-api
      target: maintenance-db`,
  },
  {
    description:
      'Take a fresh dump (and the manifest of its snapshot) first, then drill it',
    example: `steps:
  - id: drill
    name: Backup-restore drill
    action: ops:mysql:backup-drill
    input:
      entityRef: component:default/maintenance-api
      target: maintenance-db
      takeBackup: true`,
  },
];

function createBackupDrillAction(
  options: BackupDrillActionOptions & { engine: 'postgres' | 'mysql' },
) {
  const { config, catalog, permissions, opsClient, engine } = options;
  const id = `ops:${engine}:backup-drill`;
  const server = engine === 'postgres' ? 'PostgreSQL' : 'MariaDB';
  return createTemplateAction({
    id,
    description: `Backup and recovery drill (SOP-01) of a ${ENGINE_NAMES[engine]} target: restores its latest backup into a scratch ${server} instance, times it, verifies the data against the backup's manifest or the source, cleans up and records the drill`,
    examples: engine === 'postgres' ? POSTGRES_EXAMPLES : MYSQL_EXAMPLES,
    supportsDryRun: true,
    schema: {
      input: {
        ...databaseTargetInput,
        jobs: z =>
          z
            .number({ description: 'Parallel pg_restore jobs (default 4)' })
            .int()
            .min(1)
            .max(32)
            .optional(),
        takeBackup: z =>
          z
            .boolean({
              description:
                'Take a backup of the primary with pg_dump first and drill that one',
            })
            .optional(),
        targetTime: z =>
          z
            .string({
              description:
                "Restore to this moment (RFC 3339, e.g. 2026-12-02T09:30:00Z) instead of the backup's end; only for backup sources with archived WAL (pgbackrest)",
            })
            .datetime({ offset: true })
            // A template's empty optional field arrives as ''.
            .or(z.literal(''))
            .optional(),
        dryRun: z =>
          z
            .boolean({
              description:
                'Only report the plan: the backup it would drill and what it would compare; change and record nothing',
            })
            .optional(),
      },
      output: {
        drillId: z =>
          z
            .string({
              description: 'Id of the drill record; absent in a dry run',
            })
            .optional(),
        passed: z =>
          z.boolean({ description: 'Whether the drill passed' }).optional(),
        rtoSeconds: z =>
          z
            .number({
              description:
                'Measured recovery time (scratch instance + restore), in seconds',
            })
            .optional(),
        rpoSeconds: z =>
          z
            .number({
              description:
                'Age of the restored backup (data-loss exposure), in seconds',
            })
            .optional(),
        plan: z =>
          z
            .array(z.string(), { description: 'What a dry run would do' })
            .optional(),
        figures: z =>
          z
            .string({
              description:
                'RTO and RPO against their objectives as the Drills card shows them, e.g. `RTO 9s / 1h, RPO 13m 56s / 15m`',
            })
            .optional(),
      },
    },
    async handler(ctx) {
      const credentials = await ctx.getInitiatorCredentials();
      const jobs = ctx.input.jobs ?? DEFAULT_RESTORE_JOBS;
      const takeBackupFirst = ctx.input.takeBackup ?? false;
      const targetTime = ctx.input.targetTime
        ? new Date(ctx.input.targetTime)
        : undefined;
      if (targetTime && targetTime.getTime() > Date.now()) {
        throw new InputError(
          `targetTime ${ctx.input.targetTime} is in the future; a restore can only reach a moment that has passed`,
        );
      }

      const { entityRef, target } = await resolveEntityTarget({
        catalog,
        config,
        permissions,
        entityRef: ctx.input.entityRef,
        target: ctx.input.target,
        credentials,
        operation: 'drill the backup of',
        writes: [opsDrillWritePermission],
      });
      if (target.engine !== engine) {
        throw new InputError(
          `${target.name} is a ${
            ENGINE_NAMES[target.engine]
          } target: drill it with ops:${target.engine}:backup-drill, not ${id}`,
        );
      }
      const drillEngine = drillEngineFor(target);
      await drillEngine.checkPrerequisites({ takeBackupFirst, targetTime });

      if (isDryRun(ctx)) {
        // Reads only: the backup's table of contents. Starts no server,
        // creates no directory, records nothing.
        const plan: string[] = [];
        if (takeBackupFirst) {
          plan.push(
            `would take a backup of ${target.primary.database} on ${target.primary.host}:${target.primary.port} into its backup directory, with the manifest of its snapshot, and drill it`,
          );
        } else {
          const backup = await drillEngine.findLatest({ signal: ctx.signal });
          const exposure = rpoExposureSeconds(backup, new Date());
          plan.push(
            `latest backup ${backup.summary}; RPO exposure ${formatDuration(
              exposure,
            )} (objective ${formatDuration(target.objectives.rpoSeconds)})${
              exposure > target.objectives.rpoSeconds
                ? ': the drill would refuse to restore it'
                : ''
            }`,
            ...(drillEngine.verifyRepository
              ? [
                  `would check the repository first (${drillEngine.describeBackups()})`,
                ]
              : []),
            `would restore it with ${drillEngine.describeRestore({
              backup,
              jobs,
              targetTime,
            })} into a scratch ${server} instance`,
          );
          ctx.output('rpoSeconds', exposure);
        }
        const comparison = target.replicas[0] ?? target.primary;
        plan.push(
          `would compare row counts, ${target.samplesPerTable} sampled rows per table and ${target.checks.length} checks with ${comparison.host}:${comparison.port}/${comparison.database}`,
          `would record a backup-restore drill of ${target.name} for ${entityRef}`,
        );
        for (const line of plan) {
          ctx.logger.info(`Dry run: ${withoutServerPaths(line)}`);
        }
        ctx.output('plan', plan.map(withoutServerPaths));
        return;
      }

      const {
        drillId,
        status,
        outcome,
        rtoSeconds,
        rpoSeconds,
        verifications,
      } = await executeBackupDrill({
        target,
        entityRef,
        jobs,
        takeBackupFirst,
        targetTime,
        runId: ctx.task.id,
        taskId: ctx.task.id,
        credentials,
        opsClient,
        logger: ctx.logger,
        signal: ctx.signal,
        checkpoint: ctx.checkpoint,
      });

      ctx.output('drillId', drillId);
      ctx.output('passed', outcome.passed);
      if (rtoSeconds !== undefined) {
        ctx.output('rtoSeconds', rtoSeconds);
      }
      if (rpoSeconds !== undefined) {
        ctx.output('rpoSeconds', rpoSeconds);
      }
      // As recorded, in the card's units: the task page and the card agree.
      const measured = (seconds: number | undefined, objective: number) =>
        `${
          seconds === undefined ? '–' : formatDuration(seconds)
        } / ${formatDuration(objective)}`;
      const figures = `RTO ${measured(
        rtoSeconds,
        target.objectives.rtoSeconds,
      )}, RPO ${measured(rpoSeconds, target.objectives.rpoSeconds)}`;
      ctx.output('figures', figures);

      if (status === 'aborted') {
        throw new Error(
          `Backup drill ${drillId} of ${target.name} was cancelled; recorded as aborted`,
        );
      }
      if (!outcome.passed) {
        throw new Error(
          `Backup drill of ${target.name} failed: ${withoutServerPaths(
            outcome.reasons.join('; '),
          )}`,
        );
      }
      ctx.logger.info(
        `Backup drill of ${target.name} passed: ${figures} (${verifications} verifications)`,
      );
    },
  });
}
