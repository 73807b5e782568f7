import { evaluateSlo } from './evaluation';

const slo = { objective: 0.999, windowSeconds: 30 * 86400 };

describe('evaluateSlo', () => {
  it('turns error ratios into SLI, budget, burn rates and alerts', () => {
    // 0.025 % errors over 30 d: a quarter of the budget spent, 32.4 of 43.2
    // minutes left; 2 % errors over the last hour and 5 minutes: 20x, a page.
    const status = evaluateSlo(slo, {
      '5m': 0.02,
      '30m': 0.004,
      '1h': 0.02,
      '2h': 0.01,
      '6h': 0.0035,
      '24h': 0.001,
      '3d': 0.0004,
      '30d': 0.00025,
    });
    expect(status.sli).toBeCloseTo(0.99975, 12);
    expect(status.errorBudget.remainingRatio).toBeCloseTo(0.75, 9);
    expect(status.errorBudget.remainingMinutes).toBeCloseTo(32.4, 9);
    expect(status.burnRates['5m']).toBeCloseTo(20, 9);
    expect(status.burnRates['1d']).toBeCloseTo(1, 9);
    expect(status.burnRates['30d']).toBeCloseTo(0.25, 9);
    expect(status.alerts.severity).toBe('page');
    expect(
      status.alerts.tiers.filter(t => t.firing).map(t => t.tier.id),
    ).toEqual(['page-quick']);
  });

  it('has no SLI and an untouched budget without data', () => {
    const status = evaluateSlo(slo, { '30d': Number.NaN });
    expect(status.sli).toBeUndefined();
    expect(status.errorBudget.remainingRatio).toBe(1);
    expect(status.burnRates['1h']).toBeUndefined();
    expect(status.alerts.severity).toBe('none');
  });
});
