import {
  ActionItem,
  ActionItemFilter,
  ActionItemStatus,
  Postmortem,
  PostmortemStatus,
} from '@opsdeck/plugin-ops-common';

/** What a new post-mortem is made of; the store adds id, version and stamps. */
export interface NewPostmortem {
  incidentId: string;
  entityRef: string;
  severity: string;
  title: string;
  body: string;
  authors: string[];
  dueAt?: string;
}

/** A change of a post-mortem; absent fields are kept. */
export interface PostmortemChanges {
  title?: string;
  body?: string;
  authors?: string[];
  reviewers?: string[];
  status?: PostmortemStatus;
  /** Stamped when it is published. */
  published?: { by: string; at: string };
}

export interface PostmortemQuery {
  entityRef?: string;
  status?: PostmortemStatus;
  /** Only those not published whose due time is before this instant. */
  overdueAt?: Date;
}

export interface NewActionItem {
  postmortemId: string;
  entityRef: string;
  title: string;
  ownerRef: string;
  dueDate: string;
  link?: string;
}

export interface ActionItemChanges {
  title?: string;
  ownerRef?: string;
  dueDate?: string;
  link?: string;
  status?: ActionItemStatus;
  /** With status: when it was done; null when it is reopened. */
  completedAt?: string | null;
}

/**
 * Post-mortems and action items. Every change names the version it was based
 * on: the store applies it only if the record still has that version (one
 * conditional UPDATE), and throws ConflictError otherwise.
 */
export interface PostmortemStore {
  createPostmortem(fields: NewPostmortem, actor: string): Promise<Postmortem>;
  getPostmortem(id: string): Promise<Postmortem | undefined>;
  getPostmortemOfIncident(incidentId: string): Promise<Postmortem | undefined>;
  /** At most `limit`, the newest first. */
  listPostmortems(query: PostmortemQuery, limit: number): Promise<Postmortem[]>;
  updatePostmortem(
    id: string,
    changes: PostmortemChanges,
    options: { expectedVersion: number; actor: string },
  ): Promise<Postmortem>;

  createActionItem(fields: NewActionItem, actor: string): Promise<ActionItem>;
  getActionItem(id: string): Promise<ActionItem | undefined>;
  /** At most `limit`: overdue first, then by due date. */
  listActionItems(
    filter: ActionItemFilter & { openDueBefore?: string },
    limit: number,
  ): Promise<ActionItem[]>;
  countActionItems(postmortemId: string): Promise<number>;
  updateActionItem(
    id: string,
    changes: ActionItemChanges,
    options: { expectedVersion: number; actor: string },
  ): Promise<ActionItem>;
}
