import fs from 'node:fs/promises';
import path from 'node:path';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { Config } from '@backstage/config';
import { NotFoundError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { DrillStatus } from '@opsdeck/plugin-ops-common';
import { OpsClient } from '@opsdeck/plugin-ops-node';
import { backupAgeSeconds, findLatestBackup } from './backupDiscovery';
import {
  comparisonSource,
  DATABASES_CONFIG_KEY,
  DatabaseTarget,
  endpointPassword,
} from './config';
import { createExclusiveDrill, KEEP_ALIVE_INTERVAL_MS } from './drillLease';
import { DrillSteps } from './drillSteps';
import { formatDuration, judgeDrill } from './judgement';
import { renderDrillReport } from './report';
import { pgRestoreArguments } from './restore';
import { runBackupDrill } from './runDrill';
import { resolveDrillTarget } from './target';

const DEFAULT_JOBS = 4;
// The record API's limits (ops-backend's OpenAPI document).
const MAX_RECORDED_SECONDS = 31_536_000;
const MAX_VERIFICATIONS = 1000;

/**
 * Refuses a drill that cannot work on this backend before anything is
 * recorded or started: missing binaries, a root backend without an
 * unprivileged user for the server, an unset password variable.
 */
async function checkPrerequisites(
  target: DatabaseTarget,
  takeBackupFirst: boolean,
): Promise<void> {
  const key = `${DATABASES_CONFIG_KEY}.${target.name}`;
  const programs = ['initdb', 'pg_ctl', 'pg_restore'];
  if (takeBackupFirst) {
    programs.push('pg_dump');
  }
  for (const program of programs) {
    const file = path.join(target.scratch.binDir, program);
    try {
      await fs.access(file, fs.constants.X_OK);
    } catch {
      throw new Error(
        `${file} is not an executable on the backend: install PostgreSQL's server binaries or set ${key}.scratch.binDir`,
      );
    }
  }
  if (process.getuid?.() === 0 && !target.scratch.runAsUser) {
    throw new Error(
      `The backend runs as root and PostgreSQL refuses to: set ${key}.scratch.runAsUser to an unprivileged user, e.g. postgres`,
    );
  }
  endpointPassword(comparisonSource(target));
  if (takeBackupFirst) {
    endpointPassword(target.primary);
  }
}

/**
 * Creates the `ops:postgres:backup-drill` action (SOP-01): restores the
 * latest backup of a database target into a scratch PostgreSQL instance,
 * measures the recovery time, verifies the data against the source, cleans
 * up and records the drill with its report.
 *
 * @public
 */
export function createPostgresBackupDrillAction(options: {
  config: Config;
  catalog: CatalogService;
  opsClient: Pick<OpsClient, 'createDrill' | 'upsertDrillStep' | 'updateDrill'>;
  /** Defaults to 30 s; the ops backend takes a drill silent for `ops.drills.abandonAfter` as abandoned. */
  keepAliveIntervalMs?: number;
}) {
  const { config, catalog, opsClient } = options;
  return createTemplateAction({
    id: 'ops:postgres:backup-drill',
    description:
      'Backup and recovery drill (SOP-01): restores the latest backup of a database target into a scratch PostgreSQL instance, times it, verifies the data against the source, cleans up and records the drill',
    examples: [
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
    ],
    supportsDryRun: true,
    schema: {
      input: {
        entityRef: z =>
          z.string({ description: 'The service, as an entity reference' }),
        target: z =>
          z
            .string({
              description:
                'The database target: one of the names in the entity annotation opsdeck.dev/databases, configured under ops.databases',
            })
            .min(1),
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
      },
    },
    async handler(ctx) {
      const credentials = await ctx.getInitiatorCredentials();
      const jobs = ctx.input.jobs ?? DEFAULT_JOBS;
      const takeBackupFirst = ctx.input.takeBackup ?? false;

      // The catalog answers with the user's own permissions.
      const entity = await catalog.getEntityByRef(ctx.input.entityRef, {
        credentials,
      });
      if (!entity) {
        throw new NotFoundError(
          `No entity ${ctx.input.entityRef} in the catalog, or you may not read it`,
        );
      }
      const entityRef = stringifyEntityRef(entity);
      const target = resolveDrillTarget({
        entity,
        target: ctx.input.target,
        config,
      });
      await checkPrerequisites(target, takeBackupFirst);

      if (ctx.isDryRun) {
        // Reads only: the backup's table of contents. Starts no server,
        // creates no directory, records nothing.
        const plan: string[] = [];
        if (takeBackupFirst) {
          plan.push(
            `would take a backup of ${target.primary.database} on ${target.primary.host}:${target.primary.port} with pg_dump into ${target.backup.directory} and drill it`,
          );
        } else {
          const backup = await findLatestBackup({
            directory: target.backup.directory,
            format: target.backup.format,
            binDir: target.scratch.binDir,
            signal: ctx.signal,
          });
          const age = backupAgeSeconds(backup, new Date());
          plan.push(
            `latest backup ${
              backup.path
            }, taken ${backup.createdAt.toISOString()}, ${formatDuration(
              age,
            )} old (RPO objective ${formatDuration(
              target.objectives.rpoSeconds,
            )})`,
            `would restore it with pg_restore ${pgRestoreArguments({
              backup,
              socketDir: '<scratch socket dir>',
              port: '<free port>',
              jobs,
            }).join(' ')} into a scratch instance in ${target.scratch.workDir}`,
          );
          ctx.output('rpoSeconds', age);
        }
        const source = comparisonSource(target);
        plan.push(
          `would compare row counts, ${target.samplesPerTable} sampled rows per table and ${target.checks.length} checks with ${source.host}:${source.port}/${source.database}`,
          `would record a backup-restore drill of ${target.name} for ${entityRef}`,
        );
        for (const line of plan) {
          ctx.logger.info(`Dry run: ${line}`);
        }
        return;
      }

      const startedAt = new Date();
      // A retried task continues the same drill record instead of adding one.
      // The running drill record holds the target: the ops backend refuses
      // a second drill or failover of it meanwhile, on any backend instance.
      const drillId = await ctx.checkpoint({
        key: `create-drill-${target.name}`,
        fn: () =>
          createExclusiveDrill({
            opsClient,
            request: {
              entityRef,
              kind: 'backup-restore',
              target: target.name,
              startedAt: startedAt.toISOString(),
              objectives: target.objectives,
              taskId: ctx.task.id,
            },
            credentials,
            refusing: `Refusing to drill ${target.name}`,
          }),
      });
      ctx.logger.info(`Recording drill ${drillId} of ${target.name}`);

      const steps = new DrillSteps(async step => {
        ctx.logger.info(
          `${step.name}: ${step.status}${
            step.output ? `: ${step.output}` : ''
          }`,
        );
        await opsClient.upsertDrillStep(
          {
            drillId,
            name: step.name,
            status: step.status,
            startedAt: step.startedAt.toISOString(),
            finishedAt: step.finishedAt?.toISOString(),
            output: step.output,
          },
          { credentials },
        );
      });

      const stopKeepAlive = steps.keepAlive(
        options.keepAliveIntervalMs ?? KEEP_ALIVE_INTERVAL_MS,
        error => ctx.logger.warn(`Could not renew the drill record: ${error}`),
      );
      const run = await runBackupDrill({
        target,
        jobs,
        takeBackupFirst,
        taskId: ctx.task.id,
        steps,
        logger: ctx.logger,
        signal: ctx.signal,
        once: (key, fn) => ctx.checkpoint({ key, fn }),
      }).finally(stopKeepAlive);

      const outcome = judgeDrill({
        failure: run.failure,
        verification: run.verification,
        rtoSeconds: run.rtoSeconds,
        rpoSeconds: run.rpoSeconds,
        objectives: target.objectives,
        leftovers:
          run.cleanup && !run.cleanup.clean ? run.cleanup.summary : undefined,
      });
      let status: DrillStatus = outcome.passed ? 'passed' : 'failed';
      if (ctx.signal?.aborted) {
        status = 'aborted';
      }
      const finishedAt = new Date();
      // Whole seconds, rounded up: a drill never looks faster than it was.
      const rtoSeconds =
        run.rtoSeconds === undefined
          ? undefined
          : Math.min(Math.ceil(run.rtoSeconds), MAX_RECORDED_SECONDS);
      const rpoSeconds =
        run.rpoSeconds === undefined
          ? undefined
          : Math.min(run.rpoSeconds, MAX_RECORDED_SECONDS);
      const failedFirst = [
        ...run.verification.filter(item => !item.passed),
        ...run.verification.filter(item => item.passed),
      ].slice(0, MAX_VERIFICATIONS);

      await opsClient.updateDrill(
        {
          id: drillId,
          status,
          finishedAt: finishedAt.toISOString(),
          rtoSeconds,
          rpoSeconds,
          verification: failedFirst.map(({ failure: _failure, ...item }) => ({
            ...item,
            name: item.name.slice(0, 200),
            expected: item.expected?.slice(0, 1000),
            actual: item.actual?.slice(0, 1000),
          })),
          report: renderDrillReport({
            target: target.name,
            entityRef,
            status,
            startedAt,
            finishedAt,
            backup: run.backup,
            steps: steps.records,
            rtoSeconds: run.rtoSeconds,
            rpoSeconds: run.rpoSeconds,
            objectives: target.objectives,
            verification: run.verification,
            outcome,
          }).slice(0, 200_000),
        },
        { credentials },
      );

      ctx.output('drillId', drillId);
      ctx.output('passed', outcome.passed);
      if (rtoSeconds !== undefined) {
        ctx.output('rtoSeconds', rtoSeconds);
      }
      if (rpoSeconds !== undefined) {
        ctx.output('rpoSeconds', rpoSeconds);
      }

      if (status === 'aborted') {
        throw new Error(
          `Backup drill ${drillId} of ${target.name} was cancelled; recorded as aborted`,
        );
      }
      if (!outcome.passed) {
        throw new Error(
          `Backup drill of ${target.name} failed: ${outcome.reasons.join(
            '; ',
          )}`,
        );
      }
      ctx.logger.info(
        `Backup drill of ${target.name} passed: RTO ${formatDuration(
          run.rtoSeconds ?? 0,
        )}, RPO exposure ${formatDuration(run.rpoSeconds ?? 0)} (${
          run.verification.length
        } verifications)`,
      );
    },
  });
}
