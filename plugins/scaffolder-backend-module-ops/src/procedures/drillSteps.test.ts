import { DrillSteps } from './drillSteps';
import { StepRecord } from './report';

describe('DrillSteps', () => {
  function recorder() {
    const writes: StepRecord[] = [];
    return {
      writes,
      steps: new DrillSteps(async step => void writes.push(step)),
    };
  }

  it('records a step as running, then succeeded with its timing and one-line output', async () => {
    const { writes, steps } = recorder();
    const value = await steps.run('Restore', async () => ({
      value: 42,
      output: 'restored\n  in 2 s',
    }));
    expect(value).toBe(42);
    expect(writes.map(step => [step.name, step.status, step.output])).toEqual([
      ['Restore', 'running', undefined],
      ['Restore', 'succeeded', 'restored in 2 s'],
    ]);
    expect(writes[1].finishedAt!.getTime()).toBeGreaterThanOrEqual(
      writes[1].startedAt.getTime(),
    );
    expect(steps.records).toEqual([writes[1]]);
  });

  it('records a throwing step as failed with the error and rethrows', async () => {
    const { writes, steps } = recorder();
    await expect(
      steps.run('Restore', async () => {
        throw new Error('pg_restore exited with code 1');
      }),
    ).rejects.toThrow('pg_restore exited with code 1');
    expect(writes[1]).toEqual(
      expect.objectContaining({
        status: 'failed',
        output: 'pg_restore exited with code 1',
      }),
    );
  });

  it('records a step that reports a failure without throwing, and skipped steps', async () => {
    const { steps } = recorder();
    await steps.run('Verify', async () => ({
      value: undefined,
      output: '1 failed',
      failed: true,
    }));
    await steps.skip('Report', 'Not run');
    expect(steps.records.map(step => [step.name, step.status])).toEqual([
      ['Verify', 'failed'],
      ['Report', 'skipped'],
    ]);
  });

  it('keeps outputs within the record limit', async () => {
    const { writes, steps } = recorder();
    await steps.complete({
      name: 'Clean up',
      status: 'succeeded',
      startedAt: new Date(),
      output: 'x'.repeat(20_000),
    });
    expect(writes[0].output).toHaveLength(10_000);
  });
});
