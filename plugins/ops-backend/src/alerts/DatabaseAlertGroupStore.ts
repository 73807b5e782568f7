import { DatabaseService } from '@backstage/backend-plugin-api';
import { Knex } from 'knex';
import { isUniqueViolation } from '../database/errors';
import { applyMigrations } from '../database/migrations';
import { AlertGroup, AlertGroupStore, AlertStates } from './AlertGroupStore';

type AlertGroupRow = {
  key: string;
  group_key: string;
  entity_ref: string;
  incident_id: string | null;
  alerts: string;
  created_at: Date | number | string;
  updated_at: Date | number | string;
};

/** {@link AlertGroupStore} on the plugin's database. */
export class DatabaseAlertGroupStore implements AlertGroupStore {
  static async create({
    database,
  }: {
    database: DatabaseService;
  }): Promise<DatabaseAlertGroupStore> {
    return new DatabaseAlertGroupStore(await applyMigrations(database));
  }

  private constructor(private readonly db: Knex) {}

  async get(key: string): Promise<AlertGroup | undefined> {
    const row = await this.db<AlertGroupRow>('ops_alert_groups')
      .where({ key })
      .first();
    return row && rowToGroup(row);
  }

  /**
   * Claims a group nobody has opened an incident for; false when another
   * delivery holds it already.
   */
  async claim(
    key: string,
    fields: { groupKey: string; entityRef: string },
  ): Promise<boolean> {
    const now = new Date();
    try {
      await this.db<AlertGroupRow>('ops_alert_groups').insert({
        key,
        group_key: fields.groupKey,
        entity_ref: fields.entityRef,
        incident_id: null,
        alerts: '{}',
        created_at: now,
        updated_at: now,
      });
      return true;
    } catch (error) {
      if (isUniqueViolation(error)) return false;
      throw error;
    }
  }

  /** Gives up a claim that did not lead to an incident. */
  async release(key: string): Promise<void> {
    await this.db<AlertGroupRow>('ops_alert_groups')
      .where({ key })
      .whereNull('incident_id')
      .delete();
  }

  /**
   * Forgets the group's closed incident, so that the group's next firing
   * opens a new one; only if it still points at `incidentId`.
   */
  async forget(key: string, incidentId: string): Promise<void> {
    await this.db<AlertGroupRow>('ops_alert_groups')
      .where({ key, incident_id: incidentId })
      .delete();
  }

  async setIncident(
    key: string,
    incidentId: string,
    alerts: AlertStates,
  ): Promise<void> {
    await this.db<AlertGroupRow>('ops_alert_groups')
      .where({ key })
      .update({
        incident_id: incidentId,
        alerts: JSON.stringify(alerts),
        updated_at: new Date(),
      });
  }

  /**
   * Merges the statuses of a delivery into the stored ones, under a row
   * lock so that concurrent deliveries see each other's changes; returns
   * the statuses before and after.
   */
  async mergeAlerts(
    key: string,
    update: AlertStates,
  ): Promise<{ before: AlertStates; after: AlertStates }> {
    return this.db.transaction(async tx => {
      const row = await tx<AlertGroupRow>('ops_alert_groups')
        .where({ key })
        .forUpdate()
        .first();
      const before: AlertStates = row ? JSON.parse(row.alerts) : {};
      const after = { ...before, ...update };
      await tx<AlertGroupRow>('ops_alert_groups')
        .where({ key })
        .update({ alerts: JSON.stringify(after), updated_at: new Date() });
      return { before, after };
    });
  }
}

function rowToGroup(row: AlertGroupRow): AlertGroup {
  return {
    key: row.key,
    incidentId: row.incident_id ?? undefined,
    alerts: JSON.parse(row.alerts),
  };
}
