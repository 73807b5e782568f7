// The post-mortem records: one document per incident, reviewed and published,
// with the action items that come out of it. These are the shapes of the HTTP
// API (see ../schema/postmortems.ts); times are ISO 8601 strings in UTC, due
// dates of action items are calendar days (YYYY-MM-DD).

/** @public */
export const POSTMORTEM_STATUSES = ['draft', 'in-review', 'published'] as const;

/** @public */
export type PostmortemStatus = (typeof POSTMORTEM_STATUSES)[number];

/**
 * The status changes a post-mortem allows: it goes to review and is published
 * from there; a review may send it back to draft. A published post-mortem is
 * final (a later finding is a new action item, not a rewrite of history).
 *
 * @public
 */
export const POSTMORTEM_TRANSITIONS: Readonly<
  Record<PostmortemStatus, readonly PostmortemStatus[]>
> = {
  draft: ['in-review'],
  'in-review': ['draft', 'published'],
  published: [],
};

/** @public */
export const ACTION_ITEM_STATUSES = ['open', 'done'] as const;

/** @public */
export type ActionItemStatus = (typeof ACTION_ITEM_STATUSES)[number];

/**
 * The size limits of post-mortems and action items.
 *
 * @public
 */
export const POSTMORTEM_LIMITS = {
  /** The markdown body of a post-mortem (as a drill report). */
  bodyLength: 200_000,
  /** Authors and reviewers of one post-mortem, each. */
  people: 20,
  /** Action items of one post-mortem. */
  actionItems: 100,
} as const;

/**
 * The incident statuses a post-mortem can be started from: the impact has
 * ended, or at least stopped growing.
 *
 * @public
 */
export const POSTMORTEM_INCIDENT_STATUSES = ['mitigated', 'resolved'] as const;

/**
 * A post-mortem of one incident.
 *
 * @public
 */
export interface Postmortem {
  id: string;
  incidentId: string;
  /** The incident's entity (the service). */
  entityRef: string;
  /** The incident's severity when the post-mortem was started. */
  severity: string;
  status: PostmortemStatus;
  title: string;
  /** Markdown; starts as the draft written from the incident's facts. */
  body: string;
  /** Incremented by every change; a change must name the version it read. */
  version: number;
  /** User entity refs. */
  authors: string[];
  reviewers: string[];
  /** When it must be published (SEV1/SEV2 only: ops.postmortems.dueBusinessDays). */
  dueAt?: string;
  /** Past `dueAt` and not published. */
  overdue: boolean;
  createdBy: string;
  createdAt: string;
  updatedBy: string;
  updatedAt: string;
  publishedBy?: string;
  publishedAt?: string;
}

/**
 * A change to a post-mortem's text; `version` is the version the change was
 * based on: a stale one is refused with 409.
 *
 * @public
 */
export interface UpdatePostmortemRequest {
  version: number;
  body: string;
  title?: string;
  authors?: string[];
  reviewers?: string[];
}

/** @public */
export interface ChangePostmortemStatusRequest {
  status: PostmortemStatus;
  version: number;
}

/** @public */
export interface PostmortemFilter {
  entityRef?: string;
  status?: PostmortemStatus;
  /** Only the overdue ones (true) or only the others (false). */
  overdue?: boolean;
}

/**
 * Something to do that came out of a post-mortem.
 *
 * @public
 */
export interface ActionItem {
  id: string;
  postmortemId: string;
  incidentId: string;
  entityRef: string;
  title: string;
  /** A user or group entity ref of the catalog. */
  ownerRef: string;
  /** YYYY-MM-DD. */
  dueDate: string;
  status: ActionItemStatus;
  link?: string;
  /** Open and its due date has passed. */
  overdue: boolean;
  version: number;
  createdBy: string;
  createdAt: string;
  updatedBy: string;
  updatedAt: string;
  completedAt?: string;
}

/** @public */
export interface CreateActionItemRequest {
  title: string;
  ownerRef: string;
  dueDate: string;
  link?: string;
}

/** @public */
export interface UpdateActionItemRequest {
  version: number;
  status?: ActionItemStatus;
  title?: string;
  ownerRef?: string;
  dueDate?: string;
  link?: string;
}

/**
 * Action items across post-mortems, the overdue ones first, then by due date.
 *
 * @public
 */
export interface ActionItemFilter {
  entityRef?: string;
  postmortemId?: string;
  status?: ActionItemStatus;
}
