import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { ConflictError } from '@backstage/errors';
import { RECORD_LIMITS } from '@opsdeck/plugin-ops-common';
import { RecordingOpsClient } from '../testUtils/RecordingOpsClient';
import { RecordedDrill } from './recordedDrill';

describe('RecordedDrill', () => {
  const request = {
    entityRef: 'component:default/orders-api',
    kind: 'failover' as const,
    target: 'orders-db',
    startedAt: '2026-12-02T10:00:00.000Z',
    objectives: { rtoSeconds: 60, rpoSeconds: 0 },
  };

  async function start(opsClient = new RecordingOpsClient()) {
    const checkpoints = new Map<string, string>();
    const drill = await RecordedDrill.start({
      opsClient,
      credentials: mockCredentials.user(),
      logger: mockServices.logger.mock(),
      request,
      refusing: 'Refusing to fail orders-db over',
      checkpoint: async ({ key, fn }) => {
        if (!checkpoints.has(key)) {
          checkpoints.set(key, await fn());
        }
        return checkpoints.get(key) as any;
      },
      checkpointKey: 'failover-orders-db-drill',
    });
    return { drill, opsClient };
  }

  it('creates the record exclusively, and records the steps as they run', async () => {
    const { drill, opsClient } = await start();
    expect(drill.id).toBe(opsClient.drillId);
    expect(opsClient.created).toEqual([{ ...request, exclusive: true }]);
    await drill.keptAlive(() =>
      drill.steps.run('Promote', async () => ({ value: 1, output: 'done' })),
    );
    expect(
      opsClient.calls.flatMap(call =>
        call.method === 'upsertDrillStep'
          ? [[call.request.name, call.request.status]]
          : [],
      ),
    ).toEqual([
      ['Promote', 'running'],
      ['Promote', 'succeeded'],
    ]);
    expect(drill.holdsTarget).toBe(true);
  });

  it('refuses with a ConflictError when another drill holds the target', async () => {
    const opsClient = new RecordingOpsClient();
    opsClient.createDrill = async () => {
      throw new ConflictError('drill 42 of orders-db is running');
    };
    await expect(start(opsClient)).rejects.toThrow(
      new ConflictError(
        'Refusing to fail orders-db over: drill 42 of orders-db is running. Nothing was changed.',
      ),
    );
  });

  it('finishes within the record limits: whole seconds, failed items first, values and report clipped', async () => {
    const { drill, opsClient } = await start();
    const passed = Array.from(
      { length: RECORD_LIMITS.verificationItems },
      (_, i) => ({
        name: `row count of t${i}`,
        passed: true,
        expected: '1',
        actual: '1',
      }),
    );
    const failed = {
      name: 'x'.repeat(RECORD_LIMITS.titleLength + 5),
      passed: false,
      expected: 'e'.repeat(RECORD_LIMITS.verificationValueLength + 5),
      actual: '0',
      failure: 'only in the log',
    };
    const recorded = await drill.finish({
      status: 'failed',
      finishedAt: new Date('2026-12-02T10:01:00.000Z'),
      rtoSeconds: 1.2,
      rpoSeconds: RECORD_LIMITS.maxSeconds + 10,
      verification: [...passed, failed],
      report: 'r'.repeat(RECORD_LIMITS.reportLength + 1),
    });
    expect(recorded).toEqual({
      rtoSeconds: 2,
      rpoSeconds: RECORD_LIMITS.maxSeconds,
    });
    const update = opsClient.lastUpdate();
    expect(update.rtoSeconds).toBe(2);
    expect(update.verification).toHaveLength(RECORD_LIMITS.verificationItems);
    expect(update.verification![0]).toEqual({
      name: 'x'.repeat(RECORD_LIMITS.titleLength),
      passed: false,
      expected: 'e'.repeat(RECORD_LIMITS.verificationValueLength),
      actual: '0',
    });
    expect(update.report).toHaveLength(RECORD_LIMITS.reportLength);
  });
});
