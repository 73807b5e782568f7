import {
  PAYMENTS,
  startPaymentsInboxes,
} from './__testUtils__/paymentsInboxes';

/*
 * Acceptance 1, drills: backup drills passed or failed, failovers started,
 * finished or failed, rollbacks finished or failed; each caused through the
 * ops HTTP API and read back from the inboxes (see paymentsInboxes).
 */
jest.setTimeout(120_000);

let payments: Awaited<ReturnType<typeof startPaymentsInboxes>>;
const post = (path: string, body: object) =>
  payments.asAlice('post', path).send(body);
const patch = (path: string, body: object) =>
  payments.asAlice('patch', path).send(body);
const expectDelivered = (...args: [string, string, number]) =>
  payments.expectDelivered(...args);

beforeAll(async () => {
  payments = await startPaymentsInboxes('notify_drills_', 5850);
});

afterAll(async () => {
  await payments?.stop();
});

describe('notifications of drills', () => {
  it('tells of drills, failovers and rollbacks as they end, and of a failover as it starts', async () => {
    let total = 0;
    const run = async (
      kind: string,
      status: 'passed' | 'failed',
      expected: {
        started?: string;
        ended: string;
        severity: string;
        topic: string;
      },
    ) => {
      const created = await post('/drills', {
        entityRef: PAYMENTS,
        kind,
        target: 'payments-db',
      });
      expect(created.status).toBe(201);
      const drillScope = `opsdeck:drill:${created.body.id}`;
      total++;
      // Only a failover's start is told, as a high one.
      const start =
        expected.started &&
        (await expectDelivered(drillScope, expected.started, total));
      expect(start && start.payload.severity).toBe(expected.started && 'high');
      const finished = await patch(`/drills/${created.body.id}`, {
        status,
        rtoSeconds: 600,
        rpoSeconds: 60,
      });
      expect(finished.status).toBe(200);
      const n = await expectDelivered(drillScope, expected.ended, total);
      expect(n.payload).toMatchObject({
        severity: expected.severity,
        topic: expected.topic,
        link: '/catalog/default/component/payments-api/operations',
      });
      return n;
    };

    const passed = await run('backup-restore', 'passed', {
      ended: 'BACKUP DRILL PASSED: Payments API payments-db',
      severity: 'normal',
      topic: 'opsdeck.drill',
    });
    expect(passed.payload.description).toBe(
      [
        'Service: Payments API',
        'Target: payments-db',
        'Status: Passed',
        'Triggered By: alice',
        'RTO: 10 minutes (objective 1 hour)',
        'RPO: 1 minute (objective 15 minutes)',
      ].join('\n'),
    );
    await run('backup-restore', 'failed', {
      ended: 'BACKUP DRILL FAILED: Payments API payments-db',
      severity: 'high',
      topic: 'opsdeck.drill',
    });
    await run('failover', 'passed', {
      started: 'FAILOVER STARTED: Payments API payments-db',
      ended: 'FAILOVER FINISHED: Payments API payments-db',
      severity: 'normal',
      topic: 'opsdeck.failover',
    });
    await run('failover', 'failed', {
      started: 'FAILOVER STARTED: Payments API payments-db',
      ended: 'FAILOVER FAILED: Payments API payments-db',
      severity: 'critical',
      topic: 'opsdeck.failover',
    });
    await run('rollback', 'passed', {
      ended: 'ROLLBACK FINISHED: Payments API payments-db',
      severity: 'normal',
      topic: 'opsdeck.rollback',
    });
    await run('rollback', 'failed', {
      ended: 'ROLLBACK FAILED: Payments API payments-db',
      severity: 'critical',
      topic: 'opsdeck.rollback',
    });
    // One send per event: 6 ends and 2 failover starts.
    expect(payments.env.sends).toHaveLength(6 + 2);
  });
});
