import {
  ChangeFailureRateBucket,
  DeploymentFrequencyBucket,
  DeploymentStatus,
  DoraMetrics,
  DoraTrendPoint,
  DurationBucket,
} from './types';

// DORA's four keys as Google's Four Keys project computes them
// (dora-team/fourkeys, the dashboard query): medians are PERCENTILE_CONT,
// weeks start on Sunday (BigQuery's WEEK), lead times of zero or less are
// ignored as automated pushes, and the buckets use the same thresholds.

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

/**
 * What the DORA math needs of a deployment. Times are ISO 8601 strings or
 * milliseconds since the epoch (as a database hands them over: no string to
 * format and parse again for each of a window's thousands of rows).
 *
 * @public
 */
export interface DoraDeployment {
  id: string;
  entityRef: string;
  environment: string;
  status: DeploymentStatus;
  commitTime?: string | number;
  startedAt: string | number;
  finishedAt?: string | number;
}

/**
 * What the DORA math needs of an incident.
 *
 * @public
 */
export interface DoraIncident {
  detectedAt: string | number;
  startedAt?: string | number;
  resolvedAt?: string | number;
  /** The deployment that caused it, when known. */
  deploymentId?: string;
}

/**
 * The median as SQL's PERCENTILE_CONT(0.5): the middle value, or the mean of
 * the two middle values. Undefined for no values.
 *
 * @public
 */
export function median(values: number[]): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = (sorted.length - 1) / 2;
  const low = sorted[Math.floor(middle)];
  const high = sorted[Math.ceil(middle)];
  return low + (high - low) * (middle - Math.floor(middle));
}

/** An ISO 8601 time or milliseconds since the epoch, in ms. */
function timeOf(value: string | number): number {
  return typeof value === 'number' ? value : Date.parse(value);
}

/** Midnight UTC of the day `time` falls on, in ms. */
function dayOf(time: number): number {
  return Math.floor(time / DAY) * DAY;
}

/**
 * Sunday midnight UTC that starts the week of `time`, in ms.
 *
 * @public
 */
export function weekStartOf(time: number): number {
  const day = dayOf(time);
  return day - new Date(day).getUTCDay() * DAY;
}

/** First day of the month of `time`, as `YYYY-MM`. */
function monthOf(time: number): string {
  return new Date(time).toISOString().slice(0, 7);
}

/**
 * The time a deployment reached its environment.
 *
 * @public
 */
export function deployedAt(deployment: {
  startedAt: string | number;
  finishedAt?: string | number;
}): number {
  return timeOf(deployment.finishedAt ?? deployment.startedAt);
}

/**
 * Four Keys' deployment frequency bucket for the days on which a deployment
 * happened, over the window `[from, to]` (whole UTC days).
 *
 * Per week: the number of distinct days with a deployment, and whether the
 * week had one; per month: the number of weeks with one. Daily when the
 * median week has at least 3 deployment days, weekly when the median week
 * has a deployment, monthly when the median month (counted per week) has a
 * week with one, otherwise yearly.
 *
 * @public
 */
export function deploymentFrequencyBucket(
  deploymentTimes: number[],
  window: { from: number; to: number },
): DeploymentFrequencyBucket {
  const deployDays = new Set(deploymentTimes.map(dayOf));
  const weeks = new Map<number, { daysDeployed: number }>();
  for (let day = dayOf(window.from); day <= dayOf(window.to); day += DAY) {
    const week = weekStartOf(day);
    const entry = weeks.get(week) ?? { daysDeployed: 0 };
    if (deployDays.has(day)) entry.daysDeployed += 1;
    weeks.set(week, entry);
  }
  const rows = [...weeks.entries()].map(([week, { daysDeployed }]) => ({
    month: monthOf(week),
    daysDeployed,
    weekDeployed: daysDeployed > 0 ? 1 : 0,
  }));
  const weeksDeployedPerMonth = new Map<string, number>();
  for (const row of rows) {
    weeksDeployedPerMonth.set(
      row.month,
      (weeksDeployedPerMonth.get(row.month) ?? 0) + row.weekDeployed,
    );
  }
  if ((median(rows.map(r => r.daysDeployed)) ?? 0) >= 3) return 'daily';
  if ((median(rows.map(r => r.weekDeployed)) ?? 0) >= 1) return 'weekly';
  if ((median(rows.map(r => weeksDeployedPerMonth.get(r.month)!)) ?? 0) >= 1)
    return 'monthly';
  return 'yearly';
}

/**
 * Four Keys' bucket of a median lead time or time to restore.
 *
 * @public
 */
export function durationBucket(
  minutes: number,
  kind: 'lead-time' | 'time-to-restore',
): DurationBucket {
  const hours = minutes / 60;
  if (hours < 24) return 'one-day';
  if (hours < 168) return 'one-week';
  // Four Keys' dashboard uses four weeks for restore and 730 h for changes
  if (hours < (kind === 'time-to-restore' ? 672 : 730)) return 'one-month';
  if (hours < 730 * 6) return 'six-months';
  return 'one-year';
}

/**
 * Four Keys' change failure rate bucket.
 *
 * @public
 */
export function changeFailureRateBucket(rate: number): ChangeFailureRateBucket {
  if (rate <= 0.15) return '0-15%';
  if (rate < 0.46) return '16-45%';
  return '46-60%';
}

/**
 * The ids of deployments that failed in production: the next deployment of
 * the same entity to the same environment rolled it back, or an incident
 * names it as its cause.
 *
 * @public
 */
export function changeFailures(
  deployments: DoraDeployment[],
  incidents: DoraIncident[],
): Set<string> {
  const failed = new Set<string>();
  for (const incident of incidents) {
    if (incident.deploymentId) failed.add(incident.deploymentId);
  }
  const streams = new Map<string, DoraDeployment[]>();
  for (const deployment of deployments) {
    if (deployment.status === 'failed') continue; // never reached production
    const key = `${deployment.entityRef}\u0000${deployment.environment}`;
    // push, not a copy per deployment: a team's window is thousands of them
    const stream = streams.get(key);
    if (stream) stream.push(deployment);
    else streams.set(key, [deployment]);
  }
  for (const stream of streams.values()) {
    // each time parsed once, not in every comparison
    const ordered = stream
      .map(deployment => ({ deployment, at: deployedAt(deployment) }))
      .sort((a, b) => a.at - b.at)
      .map(({ deployment }) => deployment);
    ordered.forEach((deployment, index) => {
      const next = ordered[index + 1];
      if (next?.status === 'rolled-back' && deployment.status !== 'rolled-back')
        failed.add(deployment.id);
    });
  }
  return failed;
}

function leadTimeMinutes(deployment: DoraDeployment): number | undefined {
  if (!deployment.commitTime) return undefined;
  const minutes = Math.floor(
    (deployedAt(deployment) - timeOf(deployment.commitTime)) / MINUTE,
  );
  // Four Keys ignores changes deployed with no delay (automated pushes)
  return minutes > 0 ? minutes : undefined;
}

function restoreMinutes(incident: DoraIncident): number {
  return (
    (timeOf(incident.resolvedAt!) -
      timeOf(incident.startedAt ?? incident.detectedAt)) /
    MINUTE
  );
}

function defined<T>(value: T | undefined): value is T {
  return value !== undefined;
}

/**
 * The four keys of a set of services over `[from, to]`.
 *
 * A deployment counts when it succeeded in one of `environments` (default
 * `production`) within the window; rollbacks themselves are not changes, and
 * failed deploys never reached production. Pass the deployments after the
 * window too, so a rollback just after it still marks its deployment as
 * failed. Time to restore covers incidents resolved in the window.
 *
 * @public
 */
export function computeDoraMetrics(input: {
  deployments: DoraDeployment[];
  incidents: DoraIncident[];
  from: string;
  to: string;
  environments?: string[];
}): DoraMetrics {
  const environments = input.environments ?? ['production'];
  const from = Date.parse(input.from);
  const to = Date.parse(input.to);
  const inWindow = (time: number) => time >= from && time <= to;

  const production = input.deployments.filter(d =>
    environments.includes(d.environment),
  );
  const failures = changeFailures(production, input.incidents);
  // Times parsed once: a team's window is thousands of deployments, and the
  // trend looks at each of them once, in its week.
  const changes = production
    .filter(d => d.status === 'succeeded')
    .map(d => ({
      at: deployedAt(d),
      leadTime: leadTimeMinutes(d),
      failed: failures.has(d.id),
    }))
    .filter(c => inWindow(c.at));
  const restored = input.incidents
    .filter(i => i.resolvedAt !== undefined)
    .map(i => ({ at: timeOf(i.resolvedAt!), minutes: restoreMinutes(i) }))
    .filter(r => inWindow(r.at));

  const days = Math.round((dayOf(to) - dayOf(from)) / DAY) + 1;
  const leadTimes = changes.map(c => c.leadTime).filter(defined);
  const leadTime = median(leadTimes);
  const failureCount = changes.filter(c => c.failed).length;
  const rate = changes.length ? failureCount / changes.length : undefined;
  const restoreTimes = restored.map(r => r.minutes);
  const timeToRestore = median(restoreTimes);

  // Weeks from the Sunday of `from`; everything counted lies in [from, to].
  const firstWeek = weekStartOf(from);
  const weekOf = (time: number) => Math.floor((time - firstWeek) / (7 * DAY));
  const weeks: Array<{
    changes: typeof changes;
    restoreTimes: number[];
  }> = [];
  for (let week = firstWeek; week <= to; week += 7 * DAY) {
    weeks.push({ changes: [], restoreTimes: [] });
  }
  for (const change of changes) weeks[weekOf(change.at)].changes.push(change);
  for (const r of restored) weeks[weekOf(r.at)].restoreTimes.push(r.minutes);
  const trend: DoraTrendPoint[] = weeks.map((week, index) => {
    const weekFailures = week.changes.filter(c => c.failed).length;
    return {
      weekStart: new Date(firstWeek + index * 7 * DAY).toISOString(),
      deployments: week.changes.length,
      changeFailures: weekFailures,
      changeFailureRate: week.changes.length
        ? weekFailures / week.changes.length
        : undefined,
      medianLeadTimeMinutes: median(
        week.changes.map(c => c.leadTime).filter(defined),
      ),
      medianTimeToRestoreMinutes: median(week.restoreTimes),
    };
  });

  return {
    window: {
      from: new Date(from).toISOString(),
      to: new Date(to).toISOString(),
    },
    environments,
    deploymentFrequency: {
      deployments: changes.length,
      days,
      perDay: changes.length / days,
      bucket: deploymentFrequencyBucket(
        changes.map(c => c.at),
        { from, to },
      ),
    },
    leadTimeForChanges: {
      samples: leadTimes.length,
      medianMinutes: leadTime,
      bucket:
        leadTime === undefined
          ? undefined
          : durationBucket(leadTime, 'lead-time'),
    },
    changeFailureRate: {
      deployments: changes.length,
      failures: failureCount,
      rate,
      bucket: rate === undefined ? undefined : changeFailureRateBucket(rate),
    },
    timeToRestore: {
      samples: restoreTimes.length,
      medianMinutes: timeToRestore,
      bucket:
        timeToRestore === undefined
          ? undefined
          : durationBucket(timeToRestore, 'time-to-restore'),
    },
    trend,
  };
}
