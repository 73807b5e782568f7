/**
 * The outcome a deployment event reports.
 *
 * `rolled-back` marks the rollback itself (a deploy that put an earlier
 * revision back), so the deployment it replaced counts as a change failure.
 *
 * @public
 */
export const DEPLOYMENT_STATUSES = [
  'succeeded',
  'failed',
  'rolled-back',
] as const;

/** @public */
export type DeploymentStatus = (typeof DEPLOYMENT_STATUSES)[number];

/**
 * A deployment of an entity to an environment, posted by CI or recorded by
 * the rollback action.
 *
 * @public
 */
export interface Deployment {
  id: string;
  entityRef: string;
  environment: string;
  version: string;
  commitSha?: string;
  /** When the deployed commit was made: lead time starts here. */
  commitTime?: string;
  /** The container image deployed: the Kubernetes revision it produced runs it. */
  image?: string;
  startedAt: string;
  finishedAt?: string;
  status: DeploymentStatus;
  url?: string;
  /** Why it was made (a rollback's reason, a CI run's title). */
  description?: string;
  /** User or service that recorded it, e.g. who rolled back. */
  createdBy: string;
  createdAt: string;
}

/** @public */
export interface CreateDeploymentRequest {
  entityRef: string;
  environment: string;
  version: string;
  commitSha?: string;
  commitTime?: string;
  /** The container image deployed, e.g. `registry.example.com/shop/orders-api:2.1.0`. */
  image?: string;
  startedAt: string;
  finishedAt?: string;
  status: DeploymentStatus;
  url?: string;
  description?: string;
}

/** @public */
export interface DeploymentFilter {
  entityRef?: string;
  environment?: string;
  from?: string;
  to?: string;
  cursor?: string;
  limit?: number;
}

/**
 * Four Keys' deployment frequency bucket.
 *
 * @public
 */
export const DEPLOYMENT_FREQUENCY_BUCKETS = [
  'daily',
  'weekly',
  'monthly',
  'yearly',
] as const;

/** @public */
export type DeploymentFrequencyBucket =
  (typeof DEPLOYMENT_FREQUENCY_BUCKETS)[number];

/**
 * Four Keys' buckets for lead time and time to restore.
 *
 * @public
 */
export const DURATION_BUCKETS = [
  'one-day',
  'one-week',
  'one-month',
  'six-months',
  'one-year',
] as const;

/** @public */
export type DurationBucket = (typeof DURATION_BUCKETS)[number];

/**
 * Four Keys' change failure rate buckets.
 *
 * @public
 */
export const CHANGE_FAILURE_RATE_BUCKETS = [
  '0-15%',
  '16-45%',
  '46-60%',
] as const;

/** @public */
export type ChangeFailureRateBucket =
  (typeof CHANGE_FAILURE_RATE_BUCKETS)[number];

/**
 * One week of the DORA trend (weeks start on Sunday, as in Four Keys).
 *
 * @public
 */
export interface DoraTrendPoint {
  /** Sunday 00:00 UTC that starts the week. */
  weekStart: string;
  deployments: number;
  changeFailures: number;
  /** Undefined when the week had no deployment. */
  changeFailureRate?: number;
  medianLeadTimeMinutes?: number;
  medianTimeToRestoreMinutes?: number;
}

/**
 * The four keys over a window.
 *
 * @public
 */
export interface DoraMetrics {
  window: { from: string; to: string };
  environments: string[];
  deploymentFrequency: {
    deployments: number;
    days: number;
    /** Deployments per day over the window's days. */
    perDay: number;
    bucket: DeploymentFrequencyBucket;
  };
  leadTimeForChanges: {
    /** Deployments with a commit time after which they were deployed. */
    samples: number;
    medianMinutes?: number;
    bucket?: DurationBucket;
  };
  changeFailureRate: {
    deployments: number;
    failures: number;
    /** 0 to 1; undefined without deployments. */
    rate?: number;
    bucket?: ChangeFailureRateBucket;
  };
  timeToRestore: {
    /** Incidents resolved in the window. */
    samples: number;
    medianMinutes?: number;
    bucket?: DurationBucket;
  };
  trend: DoraTrendPoint[];
}
