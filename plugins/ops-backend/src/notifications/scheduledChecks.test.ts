import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { sloEntity } from '../__testUtils__/sloTestBackend';
import {
  openMetricsOf,
  startTestPrometheus,
  TestPrometheus,
} from '../__testUtils__/testPrometheus';
import {
  startNotificationsBackend,
  startPostgres,
  team,
  user,
} from './__testUtils__/notificationsTestBackend';

/*
 * Acceptance 1 (scheduled checks): two ops backends share one PostgreSQL
 * database, as replicas do, each with the real notifications backend. Both
 * run the error budget and the overdue drill task at once, twice: each
 * owner receives one notification per SLO window, not one per replica or
 * per run.
 *
 * ledger-api has two SLOs over 7 days on a real Prometheus backfilled with
 * eight days of one sample a minute, ending an hour or two before now (so
 * the last 1 to 2 hours of the window have no data): availability objective
 * 99 %, 2 of 100 requests failing each minute: burn rate 2 over the covered
 * part (at least 166 of 168 hours), so more than the whole budget is spent;
 * timeouts, objective 99 %, 8 of 1000: burn rate 0.8, so 20 to 21 % of the
 * budget left, below the 25 % threshold; latency, objective 99 %, 1 of 1000
 * slow: a tenth of the budget spent at most, above the threshold. Its database target ledger-db has never had a drill.
 */
jest.setTimeout(180_000);

const MINUTE = 60;
const END = Math.floor(Date.now() / 1000 / 3600) * 3600 - 3600;
const START = END - 8 * 86400;

const openMetrics = openMetricsOf(
  [
    {
      name: 'ledger_requests',
      type: 'counter',
      series: [
        {
          metric: 'ledger_requests_total',
          labels: { code: '200' },
          valueAt: i => i * 98,
        },
        {
          metric: 'ledger_requests_total',
          labels: { code: '500' },
          valueAt: i => i * 2,
        },
        {
          metric: 'ledger_slow_requests_total',
          labels: {},
          valueAt: i => i,
        },
        {
          metric: 'ledger_timeouts_total',
          labels: {},
          valueAt: i => i * 8,
        },
        {
          metric: 'ledger_all_requests_total',
          labels: {},
          valueAt: i => i * 1000,
        },
      ],
    },
  ],
  { start: START, end: END, stepSeconds: MINUTE },
);

function slo(name: string, bad: string, total: string) {
  return `apiVersion: openslo/v1
kind: SLO
metadata:
  name: ${name}
spec:
  service: ledger
  indicator:
    metadata:
      name: ${name}-sli
    spec:
      ratioMetric:
        counter: true
        bad:
          metricSource:
            type: Prometheus
            spec:
              query: sum(${bad})
        total:
          metricSource:
            type: Prometheus
            spec:
              query: sum(${total})
  timeWindow:
    - duration: 7d
      isRolling: true
  budgetingMethod: Occurrences
  objectives:
    - target: 0.99
`;
}

let dir = '';
let prometheus: TestPrometheus | undefined;
let pg: Awaited<ReturnType<typeof startPostgres>> | undefined;
const backends: Array<Awaited<ReturnType<typeof startNotificationsBackend>>> =
  [];

beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'opsdeck-notify-slos-'));
  await fs.writeFile(
    path.join(dir, 'slos.yaml'),
    [
      slo(
        'ledger-availability',
        'ledger_requests_total{code="500"}',
        'ledger_requests_total',
      ),
      slo(
        'ledger-timeouts',
        'ledger_timeouts_total',
        'ledger_all_requests_total',
      ),
      slo(
        'ledger-latency',
        'ledger_slow_requests_total',
        'ledger_all_requests_total',
      ),
    ].join('---\n'),
  );
  prometheus = await startTestPrometheus({ openMetrics });
  pg = await startPostgres(5860);
  const ledger = sloEntity({
    name: 'ledger-api',
    catalogFile: path.join(dir, 'catalog-info.yaml'),
    openslo: './slos.yaml',
    owner: 'team-ledger',
    annotations: { 'opsdeck.dev/databases': 'ledger-db' },
  });
  ledger.metadata.title = 'Ledger API';
  ledger.relations = [
    { type: 'ownedBy', targetRef: 'group:default/team-ledger' },
  ];
  const entities = [
    ledger,
    team('team-ledger', ['alice', 'bob']),
    user('alice'),
    user('bob'),
  ];
  for (let i = 0; i < 2; i++) {
    backends.push(
      await startNotificationsBackend({
        connection: pg.connection,
        prefix: 'notify_checks_',
        entities,
        ops: {
          prometheus: { servers: { default: { baseUrl: prometheus.baseUrl } } },
          databases: {
            'ledger-db': {
              entities: ['component:default/ledger-api'],
              drillSchedule: { everyDays: 30 },
            },
          },
        },
      }),
    );
  }
});

afterAll(async () => {
  for (const b of backends) await b.backend.stop();
  await pg?.stop();
  await prometheus?.stop();
  if (dir) await fs.rm(dir, { recursive: true, force: true });
});

/** Runs the task on both replicas at once, twice over. */
async function runOnBothReplicasTwice(task: string) {
  for (let round = 0; round < 2; round++) {
    await Promise.all(backends.map(b => b.scheduler.triggerTask(task)));
  }
}

const sends = () => backends.flatMap(b => b.sends);

it('notifies an exhausted error budget once per SLO window across two replicas', async () => {
  await runOnBothReplicasTwice('ops-notifications-error-budgets');

  // The latency SLO has budget left: availability and timeouts, once each.
  expect(sends()).toHaveLength(2);
  for (const name of ['alice', 'bob']) {
    const inbox = await backends[0].inbox(name);
    const budgets = inbox.filter(
      x => x.payload.topic === 'opsdeck.error-budget',
    );
    expect(budgets).toHaveLength(2);
    const low = budgets.find(x => x.payload.title.includes('timeouts'))!;
    expect(low.payload).toMatchObject({
      title: 'ERROR BUDGET LOW: Ledger API ledger-timeouts',
      severity: 'normal',
    });
    expect(low.payload.description).toMatch(
      /^Service: Ledger API\nSLO: ledger-timeouts \(99% over 7 days\)\nRemaining: (20|21)(\.\d)?% of the budget \(\d+(\.\d)? minutes\)\nThreshold: 25%$/,
    );
    const n = budgets.find(x => x !== low)!;
    expect(n.payload).toMatchObject({
      title: 'ERROR BUDGET EXHAUSTED: Ledger API ledger-availability',
      severity: 'high',
      link: '/catalog/default/component/ledger-api/slos',
      scope:
        'opsdeck:error-budget:component:default/ledger-api:ledger-availability',
    });
    const lines = n.payload.description!.split('\n');
    expect(lines[0]).toBe('Service: Ledger API');
    expect(lines[1]).toBe('SLO: ledger-availability (99% over 7 days)');
    // Overspent: how far depends on the hour the test runs at (coverage).
    expect(lines[2]).toMatch(/^Remaining: -\d+(\.\d)?% of the budget \(-\d/);
    expect(lines[3]).toBe('Threshold: 25%');
  }
});

it('notifies an overdue drill once per drill interval across two replicas', async () => {
  const before = sends().length;
  await runOnBothReplicasTwice('ops-notifications-overdue-drills');

  expect(sends().length - before).toBe(1);
  for (const name of ['alice', 'bob']) {
    const inbox = await backends[1].inbox(name);
    const n = inbox.find(x => x.payload.title.includes('OVERDUE'));
    expect(n?.payload).toMatchObject({
      title: 'BACKUP DRILL OVERDUE: Ledger API',
      severity: 'normal',
      topic: 'opsdeck.drill',
      link: '/catalog/default/component/ledger-api/operations',
    });
    expect(n?.payload.description).toBe(
      [
        'Service: Ledger API',
        'Detail: Database targets: ledger-db; drill overdue: ledger-db (no backup-restore drill passed in the last 30 days). Run the backup-restore drill.',
      ].join('\n'),
    );
  }
});
