const DAY_MS = 86_400_000;

/**
 * Days between two drills of a database target when its config names none:
 * the operations manuals drill backups once per quarter.
 *
 * @public
 */
export const DEFAULT_DRILL_INTERVAL_DAYS = 91;

/**
 * When the next drill of a target is due: `everyDays` after the start of the
 * last one, or now when there was none.
 *
 * @public
 */
export function nextDrillDueAt(options: {
  lastStartedAt?: string;
  everyDays: number;
  now: Date;
}): Date {
  const { lastStartedAt, everyDays, now } = options;
  if (lastStartedAt === undefined) {
    return now;
  }
  return new Date(Date.parse(lastStartedAt) + everyDays * DAY_MS);
}

/**
 * Whether a drill of the target is due: none was started, or the last one
 * started `everyDays` or more before `now`.
 *
 * @public
 */
export function isDrillDue(options: {
  lastStartedAt?: string;
  everyDays: number;
  now: Date;
}): boolean {
  return nextDrillDueAt(options).getTime() <= options.now.getTime();
}

/**
 * Whole days from `from` to `now`, rounded down; never negative.
 *
 * @public
 */
export function wholeDaysSince(from: string, now: Date): number {
  return Math.max(0, Math.floor((now.getTime() - Date.parse(from)) / DAY_MS));
}

/**
 * Where OpsDeck's database targets are configured: `ops.databases.<name>`.
 *
 * @public
 */
export const DATABASES_CONFIG_KEY = 'ops.databases';

/**
 * The key, under a database target, of the days between two backup-restore
 * drills. The backend's readiness check and the scaffolder's scheduled drills
 * both read it, through {@link parseDrillIntervalDays}.
 *
 * @public
 */
export const DRILL_INTERVAL_KEY = 'drillSchedule.everyDays';

/** Ten years: anything longer is a typo, not a schedule. */
const MAX_DRILL_INTERVAL_DAYS = 3660;

/**
 * The drill interval of a target from its configured value: quarterly when
 * absent, a whole number of days from 1 to 3660 otherwise. `key` names the
 * full config key in the error.
 *
 * @public
 */
export function parseDrillIntervalDays(
  value: number | undefined,
  key: string,
): number {
  if (value === undefined) {
    return DEFAULT_DRILL_INTERVAL_DAYS;
  }
  if (
    !Number.isInteger(value) ||
    value < 1 ||
    value > MAX_DRILL_INTERVAL_DAYS
  ) {
    throw new Error(
      `Invalid configuration ${key}: must be a whole number of days from 1 to ${MAX_DRILL_INTERVAL_DAYS}`,
    );
  }
  return value;
}
