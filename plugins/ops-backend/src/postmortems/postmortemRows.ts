// The rows of ops_postmortems and ops_action_items and their mapping to the
// records: what changes together with the tables and their migration.

import {
  ActionItem,
  ActionItemStatus,
  Postmortem,
  PostmortemStatus,
} from '@opsdeck/plugin-ops-common';
import {
  DbTime,
  toIsoTime,
  toOptionalIsoTime,
  withoutAbsent,
} from '../database/time';

export type PostmortemRow = {
  id: string;
  incident_id: string;
  entity_ref: string;
  severity: string;
  status: string;
  title: string;
  body: string;
  version: number;
  authors: string;
  reviewers: string;
  due_at: DbTime | null;
  created_by: string;
  created_at: DbTime;
  updated_by: string;
  updated_at: DbTime;
  published_by: string | null;
  published_at: DbTime | null;
};

export type ActionItemRow = {
  id: string;
  postmortem_id: string;
  entity_ref: string;
  title: string;
  owner_ref: string;
  due_date: string;
  status: string;
  link: string | null;
  version: number;
  created_by: string;
  created_at: DbTime;
  updated_by: string;
  updated_at: DbTime;
  completed_at: DbTime | null;
};

/** Today in UTC as YYYY-MM-DD: an action item due before it is overdue. */
export function utcDay(now: Date): string {
  return now.toISOString().slice(0, 10);
}

export function rowToPostmortem(row: PostmortemRow, now: Date): Postmortem {
  const dueAt = toOptionalIsoTime(row.due_at);
  const status = row.status as PostmortemStatus;
  return withoutAbsent({
    id: row.id,
    incidentId: row.incident_id,
    entityRef: row.entity_ref,
    severity: row.severity,
    status,
    title: row.title,
    body: row.body,
    version: Number(row.version),
    authors: JSON.parse(row.authors) as string[],
    reviewers: JSON.parse(row.reviewers) as string[],
    dueAt,
    overdue:
      status !== 'published' &&
      dueAt !== undefined &&
      Date.parse(dueAt) < now.getTime(),
    createdBy: row.created_by,
    createdAt: toIsoTime(row.created_at),
    updatedBy: row.updated_by,
    updatedAt: toIsoTime(row.updated_at),
    publishedBy: row.published_by ?? undefined,
    publishedAt: toOptionalIsoTime(row.published_at),
  });
}

/** The action item; `incidentId` comes from its post-mortem (a join). */
export function rowToActionItem(
  row: ActionItemRow & { incident_id: string },
  now: Date,
): ActionItem {
  const status = row.status as ActionItemStatus;
  return withoutAbsent({
    id: row.id,
    postmortemId: row.postmortem_id,
    incidentId: row.incident_id,
    entityRef: row.entity_ref,
    title: row.title,
    ownerRef: row.owner_ref,
    dueDate: row.due_date,
    status,
    link: row.link ?? undefined,
    overdue: status === 'open' && row.due_date < utcDay(now),
    version: Number(row.version),
    createdBy: row.created_by,
    createdAt: toIsoTime(row.created_at),
    updatedBy: row.updated_by,
    updatedAt: toIsoTime(row.updated_at),
    completedAt: toOptionalIsoTime(row.completed_at),
  });
}
