import { randomUUID } from 'node:crypto';
import { DatabaseService } from '@backstage/backend-plugin-api';
import {
  CreateDeploymentRequest,
  Deployment,
  DeploymentFilter,
  DeploymentStatus,
  RecordPage,
} from '@opsdeck/plugin-ops-common';
import { Knex } from 'knex';
import { applyMigrations } from '../database/migrations';
import { DeploymentStore } from './DeploymentStore';
import {
  DoraWindowQuery,
  DoraWindowRows,
  readDoraStamp,
  readDoraWindow,
} from './doraWindowRows';
import { pageLimit, pageQuery, toPage, whereFilter } from '../database/paging';
import {
  DbTime,
  toDbTime,
  toIsoTime,
  toOptionalDbTime,
  toOptionalIsoTime,
  withoutAbsent,
} from '../database/time';

type DeploymentRow = {
  id: string;
  entity_ref: string;
  environment: string;
  version: string;
  commit_sha: string | null;
  commit_time: DbTime | null;
  image: string | null;
  started_at: DbTime;
  finished_at: DbTime | null;
  status: string;
  url: string | null;
  description: string | null;
  created_by: string;
  created_at: DbTime;
};

/** {@link DeploymentStore} on the plugin's database. */
export class DatabaseDeploymentStore implements DeploymentStore {
  static async create({
    database,
  }: {
    database: DatabaseService;
  }): Promise<DatabaseDeploymentStore> {
    return new DatabaseDeploymentStore(await applyMigrations(database));
  }

  private constructor(private readonly db: Knex) {}

  async createDeployment(
    fields: CreateDeploymentRequest,
    options: { actor: string },
  ): Promise<Deployment> {
    const id = randomUUID();
    await this.db<DeploymentRow>('ops_deployments').insert({
      id,
      entity_ref: fields.entityRef,
      environment: fields.environment,
      version: fields.version,
      commit_sha: fields.commitSha ?? null,
      commit_time: toOptionalDbTime(fields.commitTime, 'commitTime'),
      image: fields.image ?? null,
      started_at: toDbTime(fields.startedAt, 'startedAt'),
      finished_at: toOptionalDbTime(fields.finishedAt, 'finishedAt'),
      status: fields.status,
      url: fields.url ?? null,
      description: fields.description ?? null,
      created_by: options.actor,
      created_at: new Date(),
    });
    const row = await this.db<DeploymentRow>('ops_deployments')
      .where({ id })
      .first();
    return rowToDeployment(row!);
  }

  /** A page of deployments, newest start first. */
  async listDeployments(
    filter: DeploymentFilter,
  ): Promise<RecordPage<Deployment>> {
    const limit = pageLimit(filter.limit);
    const query = whereFilter(this.db<DeploymentRow>('ops_deployments'), {
      equal: { entity_ref: filter.entityRef, environment: filter.environment },
    });
    const rows = await pageQuery(query, 'started_at', filter, limit);
    return toPage(rows, limit, 'started_at', rowToDeployment);
  }

  readDoraWindow(query: DoraWindowQuery): Promise<DoraWindowRows> {
    return readDoraWindow(this.db, query);
  }

  readDoraStamp(entityRefs: string[]): Promise<string> {
    return readDoraStamp(this.db, entityRefs);
  }
}

function rowToDeployment(row: DeploymentRow): Deployment {
  return withoutAbsent({
    id: row.id,
    entityRef: row.entity_ref,
    environment: row.environment,
    version: row.version,
    commitSha: row.commit_sha ?? undefined,
    commitTime: toOptionalIsoTime(row.commit_time),
    image: row.image ?? undefined,
    startedAt: toIsoTime(row.started_at),
    finishedAt: toOptionalIsoTime(row.finished_at),
    status: row.status as DeploymentStatus,
    url: row.url ?? undefined,
    description: row.description ?? undefined,
    createdBy: row.created_by,
    createdAt: toIsoTime(row.created_at),
  });
}
