import { randomUUID } from 'node:crypto';
import { DatabaseService } from '@backstage/backend-plugin-api';
import { ConflictError, NotFoundError } from '@backstage/errors';
import {
  Incident,
  IncidentEvent,
  IncidentFilter,
  IncidentStatus,
  RecordPage,
} from '@opsdeck/plugin-ops-common';
import { Knex } from 'knex';
import { applyMigrations } from '../database/migrations';
import {
  encodeCursor,
  pageLimit,
  pageQuery,
  toPage,
  whereFilter,
} from '../database/paging';
import { toDbTime, toIsoTime, toOptionalDbTime } from '../database/time';
import {
  IncidentFields,
  IncidentStore,
  NewIncidentEvent,
} from './IncidentStore';
import {
  INCIDENT_COLUMNS,
  INCIDENT_TIME_FIELDS,
  IncidentEventRow,
  IncidentRow,
  rowToIncident,
  rowToIncidentEvent,
} from './incidentRows';

/**
 * Incidents and their timelines on the plugin's database (PostgreSQL in
 * production, SQLite in development).
 */
export class DatabaseIncidentStore implements IncidentStore {
  static async create({
    database,
  }: {
    database: DatabaseService;
  }): Promise<DatabaseIncidentStore> {
    return new DatabaseIncidentStore(await applyMigrations(database));
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
    const query = whereFilter(this.db<IncidentRow>('ops_incidents'), {
      equal: { entity_ref: filter.entityRef },
      oneOf: { status: filter.status, severity: filter.severity },
    });
    const rows = await pageQuery(query, 'detected_at', filter, limit);
    return toPage(rows, limit, 'detected_at', rowToIncident);
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

  async listIncidentEventPage(
    incidentId: string,
    page: { cursor?: string; limit?: number },
  ): Promise<RecordPage<IncidentEvent>> {
    const limit = pageLimit(page.limit);
    const rows = await pageQuery(
      this.db<IncidentEventRow>('ops_incident_events').where({
        incident_id: incidentId,
      }),
      'created_at',
      { cursor: page.cursor },
      limit,
    );
    const newestFirst = rows.slice(0, limit);
    const items = [...newestFirst].reverse().map(rowToIncidentEvent);
    if (rows.length <= limit) {
      return { items };
    }
    const earliest = newestFirst[newestFirst.length - 1];
    return {
      items,
      nextCursor: encodeCursor({
        time: toIsoTime(earliest.created_at),
        id: String(earliest.id),
      }),
    };
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
}

async function readIncident(
  db: Knex | Knex.Transaction,
  id: string,
): Promise<Incident | undefined> {
  const row = await db<IncidentRow>('ops_incidents').where({ id }).first();
  return row ? rowToIncident(row) : undefined;
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
