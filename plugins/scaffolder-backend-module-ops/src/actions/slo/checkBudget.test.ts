import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import {
  errorBudget,
  EvaluatedSlo,
  SloReport,
} from '@opsdeck/plugin-ops-common';
import { OpsService } from '@opsdeck/plugin-ops-node';
import { createSloCheckBudgetAction } from './checkBudget';

const DAY = 86400;

function slo(
  name: string,
  sli: number | undefined,
  error?: string,
): EvaluatedSlo {
  return {
    name,
    displayName: name,
    service: 'payments-api',
    objective: 0.999,
    window: '30d',
    windowSeconds: 30 * DAY,
    budgetingMethod: 'Occurrences',
    indicatorType: 'ratio',
    source: { format: 'openslo', file: 'slos.yaml', documentIndex: 0 },
    evaluatedAt: '2026-11-24T12:00:00.000Z',
    ...(error
      ? { error }
      : { sli, errorBudget: errorBudget(0.999, 30 * DAY, sli) }),
  };
}

function report(...slos: EvaluatedSlo[]): SloReport {
  return {
    entityRef: 'component:default/payments-api',
    prometheus: 'default',
    slos,
    definitionErrors: [],
  };
}

describe('ops:slo:check-budget', () => {
  const getSlos = jest.fn<
    ReturnType<OpsService['getSlos']>,
    Parameters<OpsService['getSlos']>
  >();
  const action = createSloCheckBudgetAction({ opsClient: { getSlos } });
  const run = (input: Record<string, unknown>) => {
    const ctx = createMockActionContext({
      input: { entityRef: 'component:default/payments-api', ...input },
    });
    return { ctx, done: action.handler(ctx as any) };
  };

  beforeEach(() => getSlos.mockReset());

  it('passes when every SLO has more budget left than the threshold', async () => {
    // SLI 0.9997 of 0.999: 30 % of the budget spent, 70 % left
    getSlos.mockResolvedValue(
      report(slo('availability', 0.9997), slo('latency', 0.9995)),
    );
    const { ctx, done } = run({ minRemainingPercent: 40 });
    await done;
    expect(getSlos).toHaveBeenCalledWith(
      { entityRef: 'component:default/payments-api' },
      { credentials: await ctx.getInitiatorCredentials() },
    );
    expect(ctx.output).toHaveBeenCalledWith(
      'lowestRemainingPercent',
      expect.closeTo(50, 9),
    );
    expect(ctx.output).toHaveBeenCalledWith('remainingPercent', {
      availability: expect.closeTo(70, 9),
      latency: expect.closeTo(50, 9),
    });
  });

  it('fails when an SLO is below the threshold, naming it', async () => {
    getSlos.mockResolvedValue(
      report(slo('availability', 0.9997), slo('latency', 0.9995)),
    );
    await expect(run({ minRemainingPercent: 60 }).done).rejects.toThrow(
      'Error budget of component:default/payments-api is below the threshold: latency has 50.0 % left (< 60 %)',
    );
  });

  it('fails on an exhausted budget by default', async () => {
    getSlos.mockResolvedValue(report(slo('availability', 0.998)));
    await expect(run({}).done).rejects.toThrow(
      'availability has -100.0 % left (< 0 %)',
    );
  });

  it('fails closed when Prometheus is unavailable, unless told otherwise', async () => {
    getSlos.mockResolvedValue(
      report(
        slo(
          'availability',
          undefined,
          "Prometheus 'default' is unavailable: connection refused",
        ),
      ),
    );
    await expect(run({}).done).rejects.toThrow(
      "Cannot check the error budget of component:default/payments-api: availability: Prometheus 'default' is unavailable",
    );
    await expect(run({ allowUnknown: true }).done).resolves.toBeUndefined();
  });

  it('checks only the named SLOs, and refuses unknown names', async () => {
    getSlos.mockResolvedValue(
      report(slo('availability', 0.9997), slo('latency', 0.998)),
    );
    await expect(run({ slos: ['availability'] }).done).resolves.toBeUndefined();
    await expect(run({ slos: ['availabilty'] }).done).rejects.toThrow(
      'Unknown SLO(s) availabilty of component:default/payments-api; it has availability, latency',
    );
  });
});
