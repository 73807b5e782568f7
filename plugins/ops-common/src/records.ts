// The records OpsDeck keeps: incidents with their timelines, and drills with
// their steps. These are the shapes of the HTTP API (see ./schema, the
// OpenAPI document); times are ISO 8601 strings in UTC.

/** @public */
export const INCIDENT_STATUSES = [
  'open',
  'investigating',
  'mitigated',
  'resolved',
] as const;

/** @public */
export type IncidentStatus = (typeof INCIDENT_STATUSES)[number];

/**
 * A severity level and its targets.
 *
 * @public
 */
export interface SeverityLevel {
  /** For example `SEV1`. */
  id: string;
  title: string;
  description: string;
  respondWithinMinutes: number;
  resolveWithinMinutes: number;
}

/**
 * The severity levels of the operations manuals: SEV1 respond in 15 minutes
 * and resolve in 1 hour, SEV2 1 h / 4 h, SEV3 4 h / 24 h, SEV4 24 h / 1 week.
 * Configurable with `ops.incidents.severities`.
 *
 * @public
 */
export const DEFAULT_SEVERITY_LEVELS: SeverityLevel[] = [
  {
    id: 'SEV1',
    title: 'Critical',
    description: 'Complete service outage, data loss or security breach',
    respondWithinMinutes: 15,
    resolveWithinMinutes: 60,
  },
  {
    id: 'SEV2',
    title: 'High',
    description: 'Major feature unavailable, partial degradation',
    respondWithinMinutes: 60,
    resolveWithinMinutes: 4 * 60,
  },
  {
    id: 'SEV3',
    title: 'Medium',
    description: 'Minor functionality issues, non-critical alerts',
    respondWithinMinutes: 4 * 60,
    resolveWithinMinutes: 24 * 60,
  },
  {
    id: 'SEV4',
    title: 'Low',
    description: 'Informational, cosmetic, minor degradation',
    respondWithinMinutes: 24 * 60,
    resolveWithinMinutes: 7 * 24 * 60,
  },
];

/** @public */
export interface Incident {
  id: string;
  entityRef: string;
  title: string;
  /** One of the configured severity level ids. */
  severity: string;
  status: IncidentStatus;
  /** User entity ref of the incident commander. */
  commander?: string;
  summary?: string;
  detectedAt: string;
  startedAt?: string;
  mitigatedAt?: string;
  resolvedAt?: string;
  rootCause?: string;
  postmortemUrl?: string;
  /** The deployment that caused it, when known. */
  deploymentId?: string;
  labels: Record<string, string>;
  /** Incremented by every change; a change must name the version it read. */
  version: number;
  createdBy: string;
  createdAt: string;
  updatedBy: string;
  updatedAt: string;
}

/** @public */
export const INCIDENT_EVENT_TYPES = [
  'created',
  'status-changed',
  'updated',
  'note',
  'action',
] as const;

/** @public */
export type IncidentEventType = (typeof INCIDENT_EVENT_TYPES)[number];

/**
 * An entry of an incident's timeline; the timeline is append-only.
 *
 * @public
 */
export interface IncidentEvent {
  id: string;
  incidentId: string;
  type: IncidentEventType;
  message: string;
  /** Structured details, e.g. `{ from: 'open', to: 'mitigated' }`. */
  data?: Record<string, unknown>;
  author: string;
  createdAt: string;
}

/** @public */
export interface CreateIncidentRequest {
  entityRef: string;
  title: string;
  severity: string;
  status?: IncidentStatus;
  commander?: string;
  summary?: string;
  detectedAt?: string;
  startedAt?: string;
  deploymentId?: string;
  labels?: Record<string, string>;
}

/**
 * A change to an incident. `version` is the version the change was based
 * on: a stale one is refused with 409. Moving `status` stamps the matching
 * time (`mitigatedAt`, `resolvedAt`) unless given.
 *
 * @public
 */
export interface UpdateIncidentRequest {
  version: number;
  title?: string;
  severity?: string;
  status?: IncidentStatus;
  commander?: string;
  summary?: string;
  startedAt?: string;
  mitigatedAt?: string;
  resolvedAt?: string;
  rootCause?: string;
  postmortemUrl?: string;
  deploymentId?: string;
  labels?: Record<string, string>;
}

/**
 * The timeline entries a person or a tool may append; the others are written
 * by the backend itself.
 *
 * @public
 */
export const APPENDABLE_INCIDENT_EVENT_TYPES = ['note', 'action'] as const;

/** @public */
export type AppendableIncidentEventType =
  (typeof APPENDABLE_INCIDENT_EVENT_TYPES)[number];

/** @public */
export interface AppendIncidentEventRequest {
  type: AppendableIncidentEventType;
  message: string;
  data?: Record<string, unknown>;
}

/** @public */
export const DRILL_KINDS = [
  'backup-restore',
  'failover',
  'rollback',
  'other',
] as const;

/** @public */
export type DrillKind = (typeof DRILL_KINDS)[number];

/** @public */
export const DRILL_STATUSES = [
  'running',
  'passed',
  'failed',
  'aborted',
] as const;

/** @public */
export type DrillStatus = (typeof DRILL_STATUSES)[number];

/** @public */
export const DRILL_STEP_STATUSES = [
  'running',
  'succeeded',
  'failed',
  'skipped',
] as const;

/** @public */
export type DrillStepStatus = (typeof DRILL_STEP_STATUSES)[number];

/**
 * Recovery objectives, in seconds. Defaults from the manuals: RTO 1 h, RPO 15 min.
 *
 * @public
 */
export interface RecoveryObjectives {
  rtoSeconds: number;
  rpoSeconds: number;
}

/** @public */
export const DEFAULT_RECOVERY_OBJECTIVES: RecoveryObjectives = {
  rtoSeconds: 60 * 60,
  rpoSeconds: 15 * 60,
};

/**
 * One verification of a drill, such as a row count compared with the source.
 *
 * @public
 */
export interface DrillVerification {
  name: string;
  passed: boolean;
  expected?: string;
  actual?: string;
}

/** @public */
export interface DrillStep {
  name: string;
  status: DrillStepStatus;
  startedAt: string;
  finishedAt?: string;
  /** A short summary of what the step did or why it failed. */
  output?: string;
}

/** @public */
export interface Drill {
  id: string;
  entityRef: string;
  kind: DrillKind;
  /** What was drilled, e.g. a database target name. */
  target: string;
  status: DrillStatus;
  startedAt: string;
  finishedAt?: string;
  /** Measured recovery time. */
  rtoSeconds?: number;
  /** Measured data-loss exposure (age of the restored data). */
  rpoSeconds?: number;
  objectives: RecoveryObjectives;
  verification: DrillVerification[];
  /** Markdown. */
  report?: string;
  triggeredBy: string;
  /** The scaffolder task that ran it. */
  taskId?: string;
  /**
   * While running, the drill holds its target: no other exclusive drill of
   * the same target can start (see {@link CreateDrillRequest.exclusive}).
   */
  exclusive?: boolean;
  steps: DrillStep[];
  version: number;
  createdAt: string;
  updatedAt: string;
}

/** @public */
export interface CreateDrillRequest {
  entityRef: string;
  kind: DrillKind;
  target: string;
  startedAt?: string;
  objectives?: RecoveryObjectives;
  taskId?: string;
  /**
   * Hold the target while the drill runs: the request is refused with 409
   * when another exclusive drill of the same target is running, on any
   * backend instance. The hold ends when the drill finishes, or when it has
   * not been written for `ops.drills.abandonAfter` (default 5 minutes; the
   * drill is then recorded as aborted). Used by the backup drill and the
   * failover: one of them per database target at a time.
   */
  exclusive?: boolean;
}

/**
 * A change to a drill, usually its result. Without `version` the change is
 * applied to the latest version (drills have a single writer, the action
 * that runs them); with it, a stale version is refused with 409.
 *
 * @public
 */
export interface UpdateDrillRequest {
  version?: number;
  status?: DrillStatus;
  finishedAt?: string;
  rtoSeconds?: number;
  rpoSeconds?: number;
  verification?: DrillVerification[];
  report?: string;
}

/** @public */
export interface UpsertDrillStepRequest {
  status: DrillStepStatus;
  startedAt?: string;
  finishedAt?: string;
  output?: string;
}

/**
 * One page of a list, newest first. Pass `nextCursor` back as `cursor` for the
 * next page; it is absent on the last page.
 *
 * @public
 */
export interface RecordPage<T> {
  items: T[];
  nextCursor?: string;
}

/** @public */
export interface IncidentFilter {
  entityRef?: string;
  status?: IncidentStatus[];
  severity?: string[];
  /** Detected at or after. */
  from?: string;
  /** Detected before. */
  to?: string;
  cursor?: string;
  limit?: number;
}

/** @public */
export interface DrillFilter {
  entityRef?: string;
  kind?: DrillKind[];
  status?: DrillStatus[];
  /** Started at or after. */
  from?: string;
  /** Started before. */
  to?: string;
  cursor?: string;
  limit?: number;
}
