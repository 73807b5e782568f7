import { Entity } from '@backstage/catalog-model';

// A small catalog for the on-call and Alertmanager tests: payments-api,
// owned by team-payments (alice, carol, erin; bob left), on the schedule
// `payments` of config, with runbooks for two alerts.

function user(name: string): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'User',
    metadata: {
      name,
      namespace: 'default',
      links:
        name === 'alice'
          ? [{ url: 'https://chat.example.com/alice', type: 'chat' }]
          : [],
    },
    spec: {
      profile: {
        displayName: name.toUpperCase(),
        email: `${name}@example.com`,
      },
      memberOf: [],
    },
  };
}

export const oncallEntities: Entity[] = [
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name: 'payments-api',
      namespace: 'default',
      annotations: {
        'opsdeck.dev/oncall-schedule': 'payments',
        'opsdeck.dev/runbooks':
          'HighErrorRate: runbooks/high-error-rate, HighLatency: runbooks/high-latency',
      },
    },
    spec: { type: 'service', owner: 'team-payments', lifecycle: 'production' },
    relations: [{ type: 'ownedBy', targetRef: 'group:default/team-payments' }],
  },
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name: 'search-api', namespace: 'default' },
    spec: { type: 'service', owner: 'team-search', lifecycle: 'production' },
  },
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: { name: 'team-payments', namespace: 'default' },
    spec: { type: 'team', children: [] },
    relations: ['alice', 'carol', 'erin'].map(name => ({
      type: 'hasMember',
      targetRef: `user:default/${name}`,
    })),
  },
  ...['alice', 'bob', 'carol', 'dana', 'erin'].map(user),
];

export const oncallSchedules = {
  payments: {
    rotation: { timeZone: 'Europe/Berlin', start: '2026-01-05' },
    layers: [
      {
        level: 'primary',
        participants: [
          'user:default/alice',
          'user:default/bob',
          'user:default/carol',
        ],
      },
      { level: 'engineering-manager', participants: ['user:default/dana'] },
    ],
  },
};
