// The rows of ops_incidents and ops_incident_events and their mapping to the
// records: what changes together with the tables and their migrations.

import {
  Incident,
  IncidentEvent,
  IncidentEventType,
  IncidentStatus,
} from '@opsdeck/plugin-ops-common';
import {
  DbTime,
  toIsoTime,
  toOptionalIsoTime,
  withoutAbsent,
} from '../database/time';
import { IncidentFields } from './IncidentStore';

export type IncidentRow = {
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

export type IncidentEventRow = {
  id: string | number;
  incident_id: string;
  type: string;
  message: string;
  data: string | null;
  author: string;
  created_at: DbTime;
};

/** The columns a change to an incident may write, by field. */
export const INCIDENT_COLUMNS = {
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

export const INCIDENT_TIME_FIELDS = new Set<keyof IncidentFields>([
  'detectedAt',
  'startedAt',
  'mitigatedAt',
  'resolvedAt',
]);

export function rowToIncident(row: IncidentRow): Incident {
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

export function rowToIncidentEvent(row: IncidentEventRow): IncidentEvent {
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
