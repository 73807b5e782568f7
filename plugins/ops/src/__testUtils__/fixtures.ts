import { Entity } from '@backstage/catalog-model';
import {
  DEFAULT_RECOVERY_OBJECTIVES,
  DEFAULT_SEVERITY_LEVELS,
  DoraMetrics,
  Drill,
  Incident,
  IncidentEvent,
  OnCallStatus,
} from '@opsdeck/plugin-ops-common';

export const BACKEND = 'http://backend/api/ops';

export const paymentsApi: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'payments-api', namespace: 'default' },
  spec: { type: 'service', owner: 'team-payments', lifecycle: 'production' },
};

export const PAYMENTS_API_REF = 'component:default/payments-api';

export const severities = DEFAULT_SEVERITY_LEVELS;

/** An ISO time this many minutes before now. */
export function minutesAgo(minutes: number): string {
  return new Date(Date.now() - minutes * 60_000).toISOString();
}

export function anIncident(overrides: Partial<Incident> = {}): Incident {
  return {
    id: 'inc-1',
    entityRef: PAYMENTS_API_REF,
    title: 'Card payments fail',
    severity: 'SEV2',
    status: 'open',
    detectedAt: minutesAgo(120),
    labels: {},
    version: 1,
    createdBy: 'user:default/guest',
    createdAt: minutesAgo(120),
    updatedBy: 'user:default/guest',
    updatedAt: minutesAgo(120),
    ...overrides,
  };
}

export function anEvent(overrides: Partial<IncidentEvent> = {}): IncidentEvent {
  return {
    id: 'evt-1',
    incidentId: 'inc-1',
    type: 'created',
    message: 'Declared SEV2: Card payments fail',
    author: 'user:default/guest',
    createdAt: minutesAgo(120),
    ...overrides,
  };
}

export function aDrill(overrides: Partial<Drill> = {}): Drill {
  return {
    id: 'drill-1',
    entityRef: PAYMENTS_API_REF,
    kind: 'backup-restore',
    target: 'payments-db',
    status: 'passed',
    startedAt: minutesAgo(60 * 24),
    finishedAt: minutesAgo(60 * 24 - 5),
    rtoSeconds: 4 * 60 + 12,
    rpoSeconds: 22 * 60,
    objectives: DEFAULT_RECOVERY_OBJECTIVES,
    verification: [],
    triggeredBy: 'user:default/guest',
    steps: [],
    version: 1,
    createdAt: minutesAgo(60 * 24),
    updatedAt: minutesAgo(60 * 24 - 5),
    ...overrides,
  };
}

/** The JSON error body of the Backstage backend. */
export function errorBody(name: string, message: string, statusCode: number) {
  return { error: { name, message }, response: { statusCode } };
}

/** Amara Okafor on call (primary) under payments-api's schedule, Grace Kim above her. */
export const amaraOnCall: OnCallStatus = {
  entityRef: PAYMENTS_API_REF,
  provider: 'schedule',
  schedule: 'payments-primary',
  at: new Date().toISOString(),
  state: 'ok',
  messages: [],
  levels: [
    {
      level: 'engineering-manager',
      current: { userRef: 'user:default/grace.kim', start: minutesAgo(60) },
    },
    {
      level: 'primary',
      current: {
        userRef: 'user:default/amara.okafor',
        start: minutesAgo(60),
        contact: {
          userRef: 'user:default/amara.okafor',
          displayName: 'Amara Okafor',
        },
      },
    },
  ],
};

/** payments-api's DORA metrics over 90 days, with three weeks of trend. */
export const paymentsDora: DoraMetrics & { entityRefs: string[] } = {
  entityRefs: [PAYMENTS_API_REF],
  window: { from: '2026-08-26T00:00:00.000Z', to: '2026-11-24T00:00:00.000Z' },
  environments: ['production'],
  deploymentFrequency: {
    deployments: 45,
    days: 90,
    perDay: 0.5,
    bucket: 'weekly',
  },
  leadTimeForChanges: { samples: 40, medianMinutes: 150, bucket: 'one-day' },
  changeFailureRate: {
    deployments: 45,
    failures: 9,
    rate: 0.2,
    bucket: '16-45%',
  },
  timeToRestore: { samples: 4, medianMinutes: 47, bucket: 'one-day' },
  trend: [
    {
      weekStart: '2026-11-08T00:00:00.000Z',
      deployments: 4,
      changeFailures: 1,
      changeFailureRate: 0.25,
      medianLeadTimeMinutes: 100,
    },
    {
      weekStart: '2026-11-15T00:00:00.000Z',
      deployments: 0,
      changeFailures: 0,
    },
    {
      weekStart: '2026-11-22T00:00:00.000Z',
      deployments: 2,
      changeFailures: 0,
      changeFailureRate: 0,
      medianLeadTimeMinutes: 200,
      medianTimeToRestoreMinutes: 47,
    },
  ],
};
