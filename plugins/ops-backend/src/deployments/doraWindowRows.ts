import { DoraDeployment, DoraIncident } from '@opsdeck/plugin-ops-common';
import { Knex } from 'knex';
import { DbTime, toDbTime, toIsoTime, withoutAbsent } from '../database/time';

/**
 * The rows the DORA figures of a window count, and nothing more.
 *
 * Deployments: those of `entityRefs` to `environments` that started in
 * `[from, until]` (`until` reaches past the window so that a rollback just
 * after it still marks a deployment in it). Incidents of `entityRefs`: those
 * resolved in `[from, to]` (time to restore), and those naming one of these
 * deployments as their cause (change failure rate), whenever detected.
 */
export type DoraWindowQuery = {
  entityRefs: string[];
  environments: string[];
  from: string;
  to: string;
  until: string;
};

/** The DORA math's input, read with the window in the queries. */
export type DoraWindowRows = {
  deployments: DoraDeployment[];
  incidents: DoraIncident[];
};

type DeploymentRow = {
  id: string;
  entity_ref: string;
  environment: string;
  status: DoraDeployment['status'];
  commit_time: DbTime | null;
  started_at: DbTime;
  finished_at: DbTime | null;
};

type IncidentRow = {
  detected_at: DbTime;
  started_at: DbTime | null;
  resolved_at: DbTime | null;
  deployment_id: string | null;
};

/**
 * Reads the window's deployments and incidents in two queries, both bounded
 * by the window on an index (ops_deployments_entity_idx; for incidents
 * ops_incidents_entity_ref_resolved_at_idx and ops_incidents_deployment_id_idx),
 * with only the columns the math reads.
 *
 * The incidents table belongs to the incidents module; this reads it, never
 * writes it, because the change failures are a join of the two tables that
 * only the database can do without sending every deployment id back to it.
 */
export async function readDoraWindow(
  db: Knex,
  query: DoraWindowQuery,
): Promise<DoraWindowRows> {
  if (query.entityRefs.length === 0 || query.environments.length === 0) {
    return { deployments: [], incidents: [] };
  }
  const from = toDbTime(query.from, 'from');
  const to = toDbTime(query.to, 'to');
  const until = toDbTime(query.until, 'until');
  const windowDeployments = () =>
    db('ops_deployments')
      .whereIn('entity_ref', query.entityRefs)
      .whereIn('environment', query.environments)
      .whereBetween('started_at', [from, until]);

  const incidentColumns = [
    'id',
    'detected_at',
    'started_at',
    'resolved_at',
    'deployment_id',
  ];
  const ofEntities = () =>
    db('ops_incidents')
      .select(incidentColumns)
      .whereIn('entity_ref', query.entityRefs);
  // UNION, not OR: each half uses its own index on both databases, and an
  // incident both resolved in the window and caused by one of its
  // deployments comes back once.
  const [deploymentRows, incidentRows] = await Promise.all([
    windowDeployments()
      .select(
        'id',
        'entity_ref',
        'environment',
        'status',
        'commit_time',
        'started_at',
        'finished_at',
      )
      .orderBy('started_at', 'asc') as Promise<DeploymentRow[]>,
    ofEntities()
      .whereBetween('resolved_at', [from, to])
      .union(
        ofEntities().whereIn('deployment_id', windowDeployments().select('id')),
      ) as Promise<IncidentRow[]>,
  ]);
  return {
    deployments: deploymentRows.map(toDoraDeployment),
    incidents: incidentRows.map(toDoraIncident),
  };
}

/**
 * A stamp of every row the DORA figures of these entities may read, for a
 * cache of the figures that stays right across replicas: each write changes
 * it. Deployment events are only ever inserted, never changed or removed
 * (DeploymentStore has no such method), so their count changes with each,
 * and counting reads only the entity index; every change of an incident
 * bumps its version (the sum changes), a new or removed one changes the
 * count. Two aggregates, where the figures read and compute thousands of
 * rows.
 *
 * Read it before the rows: a write between the two is then in the rows kept
 * under the older stamp, which only readers that saw that stamp get, never
 * missing from the rows kept under the newer one.
 */
export async function readDoraStamp(
  db: Knex,
  entityRefs: string[],
): Promise<string> {
  if (entityRefs.length === 0) {
    return 'none';
  }
  const [deployments, incidents] = await Promise.all([
    db('ops_deployments')
      .whereIn('entity_ref', entityRefs)
      .first(db.raw('count(*) as count')),
    db('ops_incidents')
      .whereIn('entity_ref', entityRefs)
      .first(
        db.raw('count(*) as count'),
        db.raw('sum(version) as versions'),
        db.raw('max(updated_at) as latest'),
      ),
  ]);
  return JSON.stringify([deployments, incidents]);
}

function toDoraDeployment(row: DeploymentRow): DoraDeployment {
  return withoutAbsent({
    id: row.id,
    entityRef: row.entity_ref,
    environment: row.environment,
    status: row.status,
    commitTime: toOptionalMs(row.commit_time),
    startedAt: toMs(row.started_at),
    finishedAt: toOptionalMs(row.finished_at),
  });
}

function toDoraIncident(row: IncidentRow): DoraIncident {
  return withoutAbsent({
    detectedAt: toMs(row.detected_at),
    startedAt: toOptionalMs(row.started_at),
    resolvedAt: toOptionalMs(row.resolved_at),
    deploymentId: row.deployment_id ?? undefined,
  });
}

/**
 * Milliseconds since the epoch, as the math takes them: SQLite stores them
 * so, PostgreSQL's driver gives a Date; no ISO string formatted per row.
 */
function toMs(value: DbTime): number {
  if (typeof value === 'number') return value;
  if (value instanceof Date) return value.getTime();
  return Date.parse(toIsoTime(value));
}

function toOptionalMs(value: DbTime | null): number | undefined {
  return value === null ? undefined : toMs(value);
}
