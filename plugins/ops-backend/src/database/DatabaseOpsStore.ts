import { randomUUID } from 'node:crypto';
import {
  DatabaseService,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import { ConflictError, InputError, NotFoundError } from '@backstage/errors';
import {
  Drill,
  DrillFilter,
  DrillKind,
  DrillStatus,
  DrillStep,
  DrillStepStatus,
  Incident,
  IncidentEvent,
  IncidentEventType,
  IncidentFilter,
  IncidentStatus,
  RecordPage,
} from '@opsdeck/plugin-ops-common';
import { Knex } from 'knex';
import {
  DrillFields,
  IncidentFields,
  NewIncidentEvent,
  OpsStore,
} from './OpsStore';

const migrationsDir = resolvePackagePath(
  '@opsdeck/plugin-ops-backend',
  'migrations',
);

const DEFAULT_LIMIT = 50;
const MAX_LIMIT = 500;
/** Ids bound in one `IN (...)`, well under any driver's limit. */
const IDS_PER_QUERY = 1000;

/**
 * A stored time: a Date on PostgreSQL, milliseconds since the epoch on SQLite
 * (knex binds a Date as its number there), or a string when a row was written
 * by other means.
 */
export type DbTime = Date | number | string;

type IncidentRow = {
  id: string;
  entity_ref: string;
  title: string;
  severity: string;
  status: string;
  commander: string | null;
  summary: string | null;
  detected_at: DbTime;
  started_at: DbTime | null;
  mitigated_at: DbTime | null;
  resolved_at: DbTime | null;
  root_cause: string | null;
  postmortem_url: string | null;
  deployment_id: string | null;
  labels: string;
  version: number;
  created_by: string;
  created_at: DbTime;
  updated_by: string;
  updated_at: DbTime;
};

type IncidentEventRow = {
  id: string | number;
  incident_id: string;
  type: string;
  message: string;
  data: string | null;
  author: string;
  created_at: DbTime;
};

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

/** The columns a change to an incident may write, by field. */
const INCIDENT_COLUMNS = {
  entityRef: 'entity_ref',
  title: 'title',
  severity: 'severity',
  status: 'status',
  commander: 'commander',
  summary: 'summary',
  detectedAt: 'detected_at',
  startedAt: 'started_at',
  mitigatedAt: 'mitigated_at',
  resolvedAt: 'resolved_at',
  rootCause: 'root_cause',
  postmortemUrl: 'postmortem_url',
  deploymentId: 'deployment_id',
  labels: 'labels',
} as const satisfies Record<keyof IncidentFields, keyof IncidentRow>;

const INCIDENT_TIME_FIELDS = new Set<keyof IncidentFields>([
  'detectedAt',
  'startedAt',
  'mitigatedAt',
  'resolvedAt',
]);

/**
 * The records store on the plugin's database (PostgreSQL in production,
 * SQLite in development), with knex migrations from the package's
 * `migrations` directory.
 *
 * Step upserts do not change a drill's `version` (the action running a drill
 * writes its steps and then its result, naming the version it created), but
 * they do move its `updatedAt`.
 */
export class DatabaseOpsStore implements OpsStore {
  static async create({
    database,
  }: {
    database: DatabaseService;
  }): Promise<DatabaseOpsStore> {
    const client = await database.getClient();

    if (!database.migrations?.skip) {
      await client.migrate.latest({ directory: migrationsDir });
    }

    return new DatabaseOpsStore(client);
  }

  private constructor(private readonly db: Knex) {}

  async createIncident(
    fields: IncidentFields,
    options: { actor: string; events: NewIncidentEvent[] },
  ): Promise<Incident> {
    const id = randomUUID();
    const now = new Date();
    return this.db.transaction(async tx => {
      await tx<IncidentRow>('ops_incidents').insert({
        id,
        entity_ref: fields.entityRef,
        title: fields.title,
        severity: fields.severity,
        status: fields.status,
        commander: fields.commander ?? null,
        summary: fields.summary ?? null,
        detected_at: toDbTime(fields.detectedAt, 'detectedAt'),
        started_at: toOptionalDbTime(fields.startedAt, 'startedAt'),
        mitigated_at: toOptionalDbTime(fields.mitigatedAt, 'mitigatedAt'),
        resolved_at: toOptionalDbTime(fields.resolvedAt, 'resolvedAt'),
        root_cause: fields.rootCause ?? null,
        postmortem_url: fields.postmortemUrl ?? null,
        deployment_id: fields.deploymentId ?? null,
        labels: JSON.stringify(fields.labels ?? {}),
        version: 1,
        created_by: options.actor,
        created_at: now,
        updated_by: options.actor,
        updated_at: now,
      });
      await insertEvents(tx, id, options.events, options.actor, now);
      return (await readIncident(tx, id))!;
    });
  }

  async getIncident(id: string): Promise<Incident | undefined> {
    return readIncident(this.db, id);
  }

  async listIncidents(filter: IncidentFilter): Promise<RecordPage<Incident>> {
    const limit = pageLimit(filter.limit);
    const query = this.db<IncidentRow>('ops_incidents');
    if (filter.entityRef !== undefined) {
      query.where('entity_ref', filter.entityRef);
    }
    if (filter.status?.length) {
      query.whereIn('status', filter.status);
    }
    if (filter.severity?.length) {
      query.whereIn('severity', filter.severity);
    }
    const rows = await pageQuery(query, 'detected_at', filter, limit);
    return toPage(rows, limit, 'detected_at', rowToIncident);
  }

  async listIncidentsResolvedOrCaused(query: {
    entityRefs: string[];
    resolvedFrom: string;
    resolvedTo: string;
    deploymentIds: string[];
  }): Promise<Incident[]> {
    if (query.entityRefs.length === 0) {
      return [];
    }
    const ofEntities = () =>
      this.db<IncidentRow>('ops_incidents').whereIn(
        'entity_ref',
        query.entityRefs,
      );
    const batches = [
      ofEntities().whereBetween('resolved_at', [
        toDbTime(query.resolvedFrom, 'resolvedFrom'),
        toDbTime(query.resolvedTo, 'resolvedTo'),
      ]),
    ];
    // In slices: SQLite refuses more than 32766 bound values in a statement.
    for (let i = 0; i < query.deploymentIds.length; i += IDS_PER_QUERY) {
      batches.push(
        ofEntities().whereIn(
          'deployment_id',
          query.deploymentIds.slice(i, i + IDS_PER_QUERY),
        ),
      );
    }
    // An incident both resolved in the window and caused by one of the
    // deployments comes back twice: once is enough.
    const byId = new Map<string, Incident>();
    for (const rows of await Promise.all(batches)) {
      for (const row of rows) {
        byId.set(row.id, rowToIncident(row));
      }
    }
    return [...byId.values()];
  }

  async updateIncident(
    id: string,
    patch: Partial<IncidentFields>,
    options: {
      actor: string;
      expectedVersion: number;
      events: NewIncidentEvent[];
    },
  ): Promise<Incident> {
    const now = new Date();
    const changes: Record<string, unknown> = {};
    for (const field of Object.keys(INCIDENT_COLUMNS) as Array<
      keyof IncidentFields
    >) {
      const value = patch[field];
      if (value === undefined) {
        continue;
      }
      let stored: unknown = value;
      if (field === 'labels') {
        stored = JSON.stringify(value);
      } else if (INCIDENT_TIME_FIELDS.has(field)) {
        stored = toDbTime(value as string, field);
      }
      changes[INCIDENT_COLUMNS[field]] = stored;
    }

    return this.db.transaction(async tx => {
      // The condition on the version is what makes concurrent changes safe:
      // on PostgreSQL a second writer waits for the first one's row lock and
      // then re-checks the condition against the committed row.
      const updated = await tx('ops_incidents')
        .where({ id, version: options.expectedVersion })
        .update({
          ...changes,
          version: tx.raw('version + 1'),
          updated_by: options.actor,
          updated_at: now,
        });
      if (updated === 0) {
        const current = await tx<IncidentRow>('ops_incidents')
          .where({ id })
          .first('version');
        if (!current) {
          throw new NotFoundError(`Incident '${id}' not found`);
        }
        throw new ConflictError(
          `Incident '${id}' has version ${current.version}, not ${options.expectedVersion}; read it again and retry`,
        );
      }
      await insertEvents(tx, id, options.events, options.actor, now);
      return (await readIncident(tx, id))!;
    });
  }

  async listIncidentEvents(incidentId: string): Promise<IncidentEvent[]> {
    const rows = await this.db<IncidentEventRow>('ops_incident_events')
      .where({ incident_id: incidentId })
      .orderBy([
        { column: 'created_at', order: 'asc' },
        { column: 'id', order: 'asc' },
      ]);
    return rows.map(rowToIncidentEvent);
  }

  async appendIncidentEvent(
    incidentId: string,
    event: NewIncidentEvent,
    options: { actor: string },
  ): Promise<IncidentEvent> {
    return this.db.transaction(async tx => {
      const incident = await tx('ops_incidents')
        .where({ id: incidentId })
        .first('id');
      if (!incident) {
        throw new NotFoundError(`Incident '${incidentId}' not found`);
      }
      const [row] = await insertEvents(
        tx,
        incidentId,
        [event],
        options.actor,
        new Date(),
      );
      return rowToIncidentEvent(row);
    });
  }

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
    const query = this.db<DrillRow>('ops_drills');
    if (filter.entityRef !== undefined) {
      query.where('entity_ref', filter.entityRef);
    }
    if (filter.kind?.length) {
      query.whereIn('kind', filter.kind);
    }
    if (filter.status?.length) {
      query.whereIn('status', filter.status);
    }
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

  async countOpenIncidents(): Promise<
    Array<{ entityRef: string; severity: string; count: number }>
  > {
    const rows: Array<{
      entity_ref: string;
      severity: string;
      count: number | string;
    }> = await this.db('ops_incidents')
      .whereNot('status', 'resolved' satisfies IncidentStatus)
      .groupBy('entity_ref', 'severity')
      .orderBy(['entity_ref', 'severity'])
      .select('entity_ref', 'severity')
      .count({ count: '*' });
    return rows.map(row => ({
      entityRef: row.entity_ref,
      severity: row.severity,
      count: Number(row.count),
    }));
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

// --- reading ----------------------------------------------------------------

async function readIncident(
  db: Knex | Knex.Transaction,
  id: string,
): Promise<Incident | undefined> {
  const row = await db<IncidentRow>('ops_incidents').where({ id }).first();
  return row ? rowToIncident(row) : undefined;
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

async function insertEvents(
  tx: Knex.Transaction,
  incidentId: string,
  events: NewIncidentEvent[],
  author: string,
  createdAt: Date,
): Promise<IncidentEventRow[]> {
  const inserted: IncidentEventRow[] = [];
  // One at a time, so that the generated ids follow the given order.
  for (const event of events) {
    const row = {
      incident_id: incidentId,
      type: event.type,
      message: event.message,
      data: event.data === undefined ? null : JSON.stringify(event.data),
      author,
      created_at: createdAt,
    };
    const [returned] = await tx<IncidentEventRow>('ops_incident_events')
      .insert(row)
      .returning('id');
    const id = typeof returned === 'object' ? returned.id : returned;
    inserted.push({ ...row, id });
  }
  return inserted;
}

// --- pagination -------------------------------------------------------------

type SortColumn = 'detected_at' | 'started_at';

export function pageLimit(limit: number | undefined): number {
  if (limit === undefined) {
    return DEFAULT_LIMIT;
  }
  if (!Number.isInteger(limit) || limit < 1) {
    throw new InputError(
      `Invalid limit ${limit}: expected a positive integer, at most ${MAX_LIMIT}`,
    );
  }
  return Math.min(limit, MAX_LIMIT);
}

/**
 * Adds the time range, the cursor, the order and the limit to a list query.
 * Fetches one row more than the page holds, to know whether there is a next
 * page.
 */
export function pageQuery<TRow extends {}>(
  query: Knex.QueryBuilder<TRow, TRow[]>,
  column: SortColumn,
  filter: { from?: string; to?: string; cursor?: string },
  limit: number,
): Knex.QueryBuilder<TRow, TRow[]> {
  if (filter.from !== undefined) {
    query.where(column, '>=', toDbTime(filter.from, 'from'));
  }
  if (filter.to !== undefined) {
    query.where(column, '<', toDbTime(filter.to, 'to'));
  }
  if (filter.cursor !== undefined) {
    const after = decodeCursor(filter.cursor);
    const time = new Date(after.time);
    query.where(inner =>
      inner
        .where(column, '<', time)
        .orWhere(tie =>
          tie.where(column, '=', time).where('id', '<', after.id),
        ),
    );
  }
  return query
    .orderBy([
      { column, order: 'desc' },
      { column: 'id', order: 'desc' },
    ])
    .limit(limit + 1);
}

export function toPage<TRow extends { id: string }, TItem>(
  rows: TRow[],
  limit: number,
  column: SortColumn,
  toItem: (row: TRow) => TItem,
): RecordPage<TItem> {
  const items = rows.slice(0, limit);
  if (rows.length <= limit) {
    return { items: items.map(toItem) };
  }
  const last = items[items.length - 1] as TRow & Record<SortColumn, DbTime>;
  return {
    items: items.map(toItem),
    nextCursor: encodeCursor({ time: toIsoTime(last[column]), id: last.id }),
  };
}

type Cursor = { time: string; id: string };

function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify([cursor.time, cursor.id]), 'utf8').toString(
    'base64url',
  );
}

function decodeCursor(cursor: string): Cursor {
  const invalid = () =>
    new InputError(
      'Invalid cursor: pass back the nextCursor of a previous page unchanged',
    );
  if (!/^[A-Za-z0-9_-]+$/.test(cursor)) {
    throw invalid();
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  if (
    !Array.isArray(parsed) ||
    parsed.length !== 2 ||
    typeof parsed[0] !== 'string' ||
    typeof parsed[1] !== 'string' ||
    Number.isNaN(Date.parse(parsed[0]))
  ) {
    throw invalid();
  }
  return { time: parsed[0], id: parsed[1] };
}

// --- conversions ------------------------------------------------------------

function rowToIncident(row: IncidentRow): Incident {
  return withoutAbsent({
    id: row.id,
    entityRef: row.entity_ref,
    title: row.title,
    severity: row.severity,
    status: row.status as IncidentStatus,
    commander: row.commander ?? undefined,
    summary: row.summary ?? undefined,
    detectedAt: toIsoTime(row.detected_at),
    startedAt: toOptionalIsoTime(row.started_at),
    mitigatedAt: toOptionalIsoTime(row.mitigated_at),
    resolvedAt: toOptionalIsoTime(row.resolved_at),
    rootCause: row.root_cause ?? undefined,
    postmortemUrl: row.postmortem_url ?? undefined,
    deploymentId: row.deployment_id ?? undefined,
    labels: JSON.parse(row.labels),
    version: Number(row.version),
    createdBy: row.created_by,
    createdAt: toIsoTime(row.created_at),
    updatedBy: row.updated_by,
    updatedAt: toIsoTime(row.updated_at),
  });
}

function rowToIncidentEvent(row: IncidentEventRow): IncidentEvent {
  return withoutAbsent({
    id: String(row.id),
    incidentId: row.incident_id,
    type: row.type as IncidentEventType,
    message: row.message,
    data: row.data === null ? undefined : JSON.parse(row.data),
    author: row.author,
    createdAt: toIsoTime(row.created_at),
  });
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

/** A unique index refused the row (PostgreSQL 23505, SQLite SQLITE_CONSTRAINT_UNIQUE). */
function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: unknown })?.code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE';
}

/** Drops the keys of absent optional fields, so that they are not sent as `undefined`. */
export function withoutAbsent<T extends object>(value: T): T {
  // A copy rather than `delete`, which would turn every record of a listed
  // page into a slow dictionary-mode object for JSON.stringify and the GC.
  const present = {} as T;
  for (const key in value) {
    if (value[key] !== undefined) {
      present[key] = value[key];
    }
  }
  return present;
}

function toOptionalNumber(value: number | string | null): number | undefined {
  return value === null ? undefined : Number(value);
}

export function toDbTime(value: string, field: string): Date {
  const date = new Date(value);
  if (typeof value !== 'string' || Number.isNaN(date.getTime())) {
    throw new InputError(`Invalid ${field} '${value}': expected an ISO time`);
  }
  return date;
}

function patchTime(value: string | undefined, field: string): Date | undefined {
  return value === undefined ? undefined : toDbTime(value, field);
}

export function toOptionalDbTime(
  value: string | undefined,
  field: string,
): Date | null {
  return value === undefined ? null : toDbTime(value, field);
}

export function toIsoTime(value: DbTime): string {
  if (value instanceof Date) {
    return value.toISOString();
  }
  if (typeof value === 'number') {
    return new Date(value).toISOString();
  }
  // A string without a zone, as SQLite's CURRENT_TIMESTAMP writes, is UTC.
  const hasZone = /(Z|[+-]\d\d(:?\d\d)?)$/i.test(value.trim());
  return new Date(
    hasZone ? value : `${value.trim().replace(' ', 'T')}Z`,
  ).toISOString();
}

export function toOptionalIsoTime(value: DbTime | null): string | undefined {
  return value === null ? undefined : toIsoTime(value);
}
