/**
 * The escalation levels of the operations manuals, in the order they are
 * paged: primary, then secondary, then the engineering manager.
 *
 * @public
 */
export const ONCALL_LEVELS = [
  'primary',
  'secondary',
  'engineering-manager',
] as const;

/** @public */
export type OnCallLevel = (typeof ONCALL_LEVELS)[number];

/** @public */
export const WEEKDAYS = [
  'monday',
  'tuesday',
  'wednesday',
  'thursday',
  'friday',
  'saturday',
  'sunday',
] as const;

/** @public */
export type Weekday = (typeof WEEKDAYS)[number];

/**
 * When shifts change hands. Handoffs happen at a wall-clock time in a time
 * zone, so a weekly shift that spans a daylight-saving change is an hour
 * shorter or longer than 168 hours.
 *
 * @public
 */
export interface OnCallRotation {
  /** Shift length in `unit`s, at least 1. The manuals: 1 week. */
  length: number;
  unit: 'weeks' | 'days';
  /** Weekday of the handoff; required for weekly rotations. The manuals: monday. */
  handoffDay?: Weekday;
  /** Local time of the handoff, `HH:mm`. The manuals: 09:00. */
  handoffTime: string;
  /** IANA time zone of the handoff, e.g. `Europe/Berlin`. */
  timeZone: string;
  /**
   * Local date (`YYYY-MM-DD`) from which the rotation counts: the first
   * handoff on or after it starts the shift of the first participant.
   */
  start: string;
}

/**
 * One escalation level of a schedule and the people who take turns on it.
 *
 * @public
 */
export interface OnCallLayer {
  level: OnCallLevel;
  /** User entity refs, in rotation order. */
  participants: string[];
  /** The layer's own rotation, when it differs from the schedule's. */
  rotation?: OnCallRotation;
  /**
   * Shifts the turn order: with offset 1 the layer starts at the second
   * participant. Lets a secondary layer reuse the primary's list, a week behind.
   */
  offset?: number;
}

/**
 * An on-call schedule, defined as code (a YAML file next to the service, or
 * config `ops.oncall.schedules.<name>`).
 *
 * @public
 */
export interface OnCallSchedule {
  name: string;
  rotation: OnCallRotation;
  layers: OnCallLayer[];
}

/**
 * What the author of an override gives.
 *
 * @public
 */
export interface CreateOnCallOverrideRequest {
  /** The entity whose schedule is overridden. */
  entityRef: string;
  level: OnCallLevel;
  /** User entity ref of who is on call instead. */
  userRef: string;
  /** ISO 8601; the override holds from `start` (inclusive) to `end` (exclusive). */
  start: string;
  end: string;
  reason?: string;
}

/**
 * Someone takes over one level of a schedule for a while, e.g. a shift swap.
 * Stored with the OpsDeck records.
 *
 * @public
 */
export interface OnCallOverride extends CreateOnCallOverrideRequest {
  id: string;
  createdBy: string;
  createdAt: string;
}

/**
 * A stretch of time during which one person holds one level.
 *
 * @public
 */
export interface OnCallShift {
  userRef: string;
  /** ISO 8601 UTC. */
  start: string;
  /** ISO 8601 UTC; absent when nobody else takes over within the horizon looked at. */
  end?: string;
  /** The override that puts this person on call, when it is one. */
  overrideId?: string;
}

/**
 * A person's contact details, from their User entity or the provider.
 *
 * @public
 */
export interface OnCallContact {
  userRef: string;
  displayName?: string;
  email?: string;
  /** A link that opens a chat with the person (Slack, Teams, ...). */
  chatUrl?: string;
  phone?: string;
}

/**
 * Who holds one escalation level now, and who is next.
 *
 * @public
 */
export interface OnCallLevelStatus {
  level: string;
  /** Absent when nobody is on call at this level. */
  current?: OnCallShift & { contact?: OnCallContact };
  next?: OnCallShift & { contact?: OnCallContact };
}

/**
 * Whether an on-call provider answered.
 *
 * @public
 */
export const ONCALL_STATES = ['ok', 'unavailable'] as const;

/** @public */
export type OnCallState = (typeof ONCALL_STATES)[number];

/**
 * Who is on call for an entity, as answered by its on-call provider.
 *
 * @public
 */
export interface OnCallStatus {
  entityRef: string;
  /** The provider that answered: `schedule` (built in), `pagerduty`, ... */
  provider: string;
  /** The schedule name, or the provider's own id for it. */
  schedule?: string;
  /** When the answer was computed, ISO 8601. */
  at: string;
  /** `unavailable` when the provider could not be reached; levels are then empty. */
  state: OnCallState;
  /** Why the provider is unavailable, or what the schedule needs fixing. */
  messages: string[];
  levels: OnCallLevelStatus[];
  /** Link to the schedule in the provider's UI, when there is one. */
  url?: string;
}
