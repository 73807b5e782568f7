import { randomUUID } from 'node:crypto';
import { DatabaseService } from '@backstage/backend-plugin-api';
import { ConflictError, NotFoundError } from '@backstage/errors';
import {
  Drill,
  DrillFilter,
  DrillKind,
  DrillStatus,
  DrillStep,
  DrillStepStatus,
  RecordPage,
} from '@opsdeck/plugin-ops-common';
import { Knex } from 'knex';
import { isUniqueViolation } from '../database/errors';
import { applyMigrations } from '../database/migrations';
import { pageLimit, pageQuery, toPage, whereFilter } from '../database/paging';
import {
  DbTime,
  patchTime,
  toDbTime,
  toIsoTime,
  toOptionalDbTime,
  toOptionalIsoTime,
  toOptionalNumber,
  withoutAbsent,
} from '../database/time';
import { DrillFields, DrillStore } from './DrillStore';

type DrillRow = {
  id: string;
  entity_ref: string;
  kind: string;
  target: string;
  status: string;
  started_at: DbTime;
  finished_at: DbTime | null;
  rto_seconds: number | null;
  rpo_seconds: number | null;
  objective_rto_seconds: number;
  objective_rpo_seconds: number;
  verification: string;
  report: string | null;
  triggered_by: string;
  task_id: string | null;
  /** Boolean; 0 or 1 on SQLite. */
  holds_target: boolean | number;
  version: number;
  created_at: DbTime;
  updated_at: DbTime;
};

type DrillStepRow = {
  drill_id: string;
  position: number;
  name: string;
  status: string;
  started_at: DbTime;
  finished_at: DbTime | null;
  output: string | null;
};

/**
 * Drills and their steps on the plugin's database (PostgreSQL in production,
 * SQLite in development).
 *
 * Step upserts do not change a drill's `version` (the action running a drill
 * writes its steps and then its result, naming the version it created), but
 * they do move its `updatedAt`.
 */
export class DatabaseDrillStore implements DrillStore {
  static async create({
    database,
  }: {
    database: DatabaseService;
  }): Promise<DatabaseDrillStore> {
    return new DatabaseDrillStore(await applyMigrations(database));
  }

  private constructor(private readonly db: Knex) {}

  async createDrill(
    fields: DrillFields,
    options: { abandonedBefore?: Date } = {},
  ): Promise<Drill> {
    const id = randomUUID();
    const now = new Date();
    const exclusive = fields.exclusive === true;
    try {
      return await this.db.transaction(async tx => {
        if (exclusive && options.abandonedBefore) {
          // A holder that stopped writing died with its task: release the
          // target by recording it as aborted.
          await tx<DrillRow>('ops_drills')
            .where({
              target: fields.target,
              status: 'running' satisfies DrillStatus,
              holds_target: true,
            })
            .andWhere('updated_at', '<', options.abandonedBefore)
            .update({
              status: 'aborted' satisfies DrillStatus,
              finished_at: now,
              updated_at: now,
              version: tx.raw('version + 1') as unknown as number,
            });
        }
        await tx<DrillRow>('ops_drills').insert({
          id,
          entity_ref: fields.entityRef,
          kind: fields.kind,
          target: fields.target,
          status: fields.status,
          started_at: toDbTime(fields.startedAt, 'startedAt'),
          finished_at: toOptionalDbTime(fields.finishedAt, 'finishedAt'),
          rto_seconds: fields.rtoSeconds ?? null,
          rpo_seconds: fields.rpoSeconds ?? null,
          objective_rto_seconds: fields.objectives.rtoSeconds,
          objective_rpo_seconds: fields.objectives.rpoSeconds,
          verification: JSON.stringify(fields.verification ?? []),
          report: fields.report ?? null,
          triggered_by: fields.triggeredBy,
          task_id: fields.taskId ?? null,
          holds_target: exclusive,
          version: 1,
          created_at: now,
          updated_at: now,
        });
        return (await readDrill(tx, id))!;
      });
    } catch (error) {
      if (!exclusive || !isUniqueViolation(error)) {
        throw error;
      }
      const holder = await this.db<DrillRow>('ops_drills')
        .where({
          target: fields.target,
          status: 'running' satisfies DrillStatus,
          holds_target: true,
        })
        .first();
      throw new ConflictError(
        holder
          ? `${fields.target} is held by a running ${holder.kind} drill ${
              holder.id
            } of ${holder.entity_ref}, started ${toIsoTime(
              holder.started_at,
            )} by ${holder.triggered_by}${
              holder.task_id ? ` (task ${holder.task_id})` : ''
            }; one exclusive drill per target at a time`
          : `${fields.target} is held by another running drill; one exclusive drill per target at a time`,
      );
    }
  }

  async getDrill(id: string): Promise<Drill | undefined> {
    return readDrill(this.db, id);
  }

  async listDrills(filter: DrillFilter): Promise<RecordPage<Drill>> {
    const limit = pageLimit(filter.limit);
    const query = whereFilter(this.db<DrillRow>('ops_drills'), {
      equal: { entity_ref: filter.entityRef },
      oneOf: { kind: filter.kind, status: filter.status },
    });
    const rows = await pageQuery(query, 'started_at', filter, limit);
    const page = toPage(rows, limit, 'started_at', row => rowToDrill(row, []));
    const steps = await readSteps(
      this.db,
      page.items.map(drill => drill.id),
    );
    for (const drill of page.items) {
      drill.steps = steps.get(drill.id) ?? [];
    }
    return page;
  }

  async updateDrill(
    id: string,
    patch: Partial<DrillFields>,
    options: { expectedVersion?: number },
  ): Promise<Drill> {
    const changes: Partial<Record<keyof DrillRow, unknown>> = {};
    const set = (column: keyof DrillRow, value: unknown) => {
      if (value !== undefined) {
        changes[column] = value;
      }
    };
    set('entity_ref', patch.entityRef);
    set('kind', patch.kind);
    set('target', patch.target);
    set('status', patch.status);
    set('started_at', patchTime(patch.startedAt, 'startedAt'));
    set('finished_at', patchTime(patch.finishedAt, 'finishedAt'));
    set('rto_seconds', patch.rtoSeconds);
    set('rpo_seconds', patch.rpoSeconds);
    set('objective_rto_seconds', patch.objectives?.rtoSeconds);
    set('objective_rpo_seconds', patch.objectives?.rpoSeconds);
    set(
      'verification',
      patch.verification && JSON.stringify(patch.verification),
    );
    set('report', patch.report);
    set('triggered_by', patch.triggeredBy);
    set('task_id', patch.taskId);

    return this.db.transaction(async tx => {
      const query = tx('ops_drills').where({ id });
      if (options.expectedVersion !== undefined) {
        query.andWhere({ version: options.expectedVersion });
      }
      const updated = await query.update({
        ...changes,
        version: tx.raw('version + 1'),
        updated_at: new Date(),
      });
      if (updated === 0) {
        const current = await tx<DrillRow>('ops_drills')
          .where({ id })
          .first('version');
        if (!current) {
          throw new NotFoundError(`Drill '${id}' not found`);
        }
        throw new ConflictError(
          `Drill '${id}' has version ${current.version}, not ${options.expectedVersion}; read it again and retry`,
        );
      }
      return (await readDrill(tx, id))!;
    });
  }

  async upsertDrillStep(drillId: string, step: DrillStep): Promise<Drill> {
    const startedAt = toDbTime(step.startedAt, 'startedAt');
    const finishedAt = toOptionalDbTime(step.finishedAt, 'finishedAt');
    return this.db.transaction(async tx => {
      // Touching the drill first checks that it exists and, on PostgreSQL,
      // locks it, so that concurrent new steps get distinct positions.
      const touched = await tx('ops_drills')
        .where({ id: drillId })
        .update({ updated_at: new Date() });
      if (touched === 0) {
        throw new NotFoundError(`Drill '${drillId}' not found`);
      }
      const last = await tx('ops_drill_steps')
        .where({ drill_id: drillId })
        .max({ position: 'position' })
        .first();
      const position =
        last?.position === null || last?.position === undefined
          ? 0
          : Number(last.position) + 1;
      await tx<DrillStepRow>('ops_drill_steps')
        .insert({
          drill_id: drillId,
          position,
          name: step.name,
          status: step.status,
          started_at: startedAt,
          finished_at: finishedAt,
          output: step.output ?? null,
        })
        .onConflict(['drill_id', 'name'])
        .merge(['status', 'started_at', 'finished_at', 'output']);
      return (await readDrill(tx, drillId))!;
    });
  }

  async countDrills(): Promise<
    Array<{ kind: DrillKind; status: DrillStatus; count: number }>
  > {
    const rows: Array<{
      kind: string;
      status: string;
      count: number | string;
    }> = await this.db('ops_drills')
      .groupBy('kind', 'status')
      .orderBy(['kind', 'status'])
      .select('kind', 'status')
      .count({ count: '*' });
    return rows.map(row => ({
      kind: row.kind as DrillKind,
      status: row.status as DrillStatus,
      count: Number(row.count),
    }));
  }
}

async function readDrill(tx: Knex, id: string): Promise<Drill | undefined> {
  const row = await tx<DrillRow>('ops_drills').where({ id }).first();
  if (!row) {
    return undefined;
  }
  const steps = await readSteps(tx, [id]);
  return rowToDrill(row, steps.get(id) ?? []);
}

async function readSteps(
  tx: Knex,
  drillIds: string[],
): Promise<Map<string, DrillStep[]>> {
  const steps = new Map<string, DrillStep[]>();
  if (drillIds.length === 0) {
    return steps;
  }
  const rows = await tx<DrillStepRow>('ops_drill_steps')
    .whereIn('drill_id', drillIds)
    .orderBy([
      { column: 'drill_id' },
      { column: 'position' },
      { column: 'name' },
    ]);
  for (const row of rows) {
    const list = steps.get(row.drill_id) ?? [];
    list.push(
      withoutAbsent({
        name: row.name,
        status: row.status as DrillStepStatus,
        startedAt: toIsoTime(row.started_at),
        finishedAt: toOptionalIsoTime(row.finished_at),
        output: row.output ?? undefined,
      }),
    );
    steps.set(row.drill_id, list);
  }
  return steps;
}

function rowToDrill(row: DrillRow, steps: DrillStep[]): Drill {
  return withoutAbsent({
    id: row.id,
    entityRef: row.entity_ref,
    kind: row.kind as DrillKind,
    target: row.target,
    status: row.status as DrillStatus,
    startedAt: toIsoTime(row.started_at),
    finishedAt: toOptionalIsoTime(row.finished_at),
    rtoSeconds: toOptionalNumber(row.rto_seconds),
    rpoSeconds: toOptionalNumber(row.rpo_seconds),
    objectives: {
      rtoSeconds: Number(row.objective_rto_seconds),
      rpoSeconds: Number(row.objective_rpo_seconds),
    },
    verification: JSON.parse(row.verification),
    report: row.report ?? undefined,
    triggeredBy: row.triggered_by,
    taskId: row.task_id ?? undefined,
    exclusive: row.holds_target ? true : undefined,
    steps,
    version: Number(row.version),
    createdAt: toIsoTime(row.created_at),
    updatedAt: toIsoTime(row.updated_at),
  });
}
