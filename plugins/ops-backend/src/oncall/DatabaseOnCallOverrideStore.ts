import { randomUUID } from 'node:crypto';
import { DatabaseService } from '@backstage/backend-plugin-api';
import { ConflictError } from '@backstage/errors';
import { OnCallLevel, OnCallOverride } from '@opsdeck/plugin-ops-common';
import { Knex } from 'knex';
import { isUniqueViolation } from '../database/errors';
import { applyMigrations } from '../database/migrations';
import { DbTime, toDbTime, toIsoTime } from '../database/time';
import {
  OnCallOverrideFields,
  OnCallOverrideStore,
} from './OnCallOverrideStore';

type OverrideRow = {
  id: string;
  entity_ref: string;
  level: string;
  user_ref: string;
  starts_at: DbTime;
  ends_at: DbTime;
  reason: string | null;
  created_by: string;
  created_at: DbTime;
};

/** {@link OnCallOverrideStore} on the plugin's database. */
export class DatabaseOnCallOverrideStore implements OnCallOverrideStore {
  static async create({
    database,
  }: {
    database: DatabaseService;
  }): Promise<DatabaseOnCallOverrideStore> {
    return new DatabaseOnCallOverrideStore(await applyMigrations(database));
  }

  private constructor(private readonly db: Knex) {}

  async add(
    fields: OnCallOverrideFields,
    options: { actor: string },
  ): Promise<OnCallOverride> {
    const row: OverrideRow = {
      id: randomUUID(),
      entity_ref: fields.entityRef,
      level: fields.level,
      user_ref: fields.userRef,
      starts_at: toDbTime(fields.start, 'start'),
      ends_at: toDbTime(fields.end, 'end'),
      reason: fields.reason ?? null,
      created_by: options.actor,
      created_at: new Date(),
    };
    try {
      await this.db<OverrideRow>('ops_oncall_overrides').insert(row);
    } catch (error) {
      if (isUniqueViolation(error)) {
        throw new ConflictError(
          `${fields.userRef} already overrides the ${fields.level} on-call of ${fields.entityRef} from ${fields.start} to ${fields.end}`,
        );
      }
      throw error;
    }
    return rowToOverride(row);
  }

  async get(id: string): Promise<OnCallOverride | undefined> {
    const row = await this.db<OverrideRow>('ops_oncall_overrides')
      .where({ id })
      .first();
    return row && rowToOverride(row);
  }

  /** The overrides of an entity that end after `endsAfter`, by start. */
  async list(
    entityRef: string,
    options: { endsAfter: Date },
  ): Promise<OnCallOverride[]> {
    const rows = await this.db<OverrideRow>('ops_oncall_overrides')
      .where({ entity_ref: entityRef })
      .where('ends_at', '>', options.endsAfter)
      .orderBy([
        { column: 'starts_at', order: 'asc' },
        { column: 'created_at', order: 'asc' },
        { column: 'id', order: 'asc' },
      ])
      .limit(1000);
    return rows.map(rowToOverride);
  }

  /** Whether there was one to delete. */
  async delete(id: string): Promise<boolean> {
    return (
      (await this.db<OverrideRow>('ops_oncall_overrides')
        .where({ id })
        .delete()) > 0
    );
  }
}

function rowToOverride(row: OverrideRow): OnCallOverride {
  return {
    id: row.id,
    entityRef: row.entity_ref,
    level: row.level as OnCallLevel,
    userRef: row.user_ref,
    start: toIsoTime(row.starts_at),
    end: toIsoTime(row.ends_at),
    ...(row.reason !== null ? { reason: row.reason } : {}),
    createdBy: row.created_by,
    createdAt: toIsoTime(row.created_at),
  };
}
