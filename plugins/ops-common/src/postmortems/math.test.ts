import { addBusinessDays, budgetSpentOverInterval } from './math';

describe('addBusinessDays', () => {
  it('skips Saturdays and Sundays', () => {
    // 2026-12-04 is a Friday
    const friday = new Date('2026-12-04T15:30:00Z');
    expect(addBusinessDays(friday, 1).toISOString()).toBe(
      '2026-12-07T15:30:00.000Z',
    );
    expect(addBusinessDays(friday, 5).toISOString()).toBe(
      '2026-12-11T15:30:00.000Z',
    );
    expect(
      addBusinessDays(new Date('2026-12-05T10:00:00Z'), 1).toISOString(),
    ).toBe('2026-12-07T10:00:00.000Z');
  });

  it('refuses a negative or fractional count', () => {
    expect(() => addBusinessDays(new Date(), -1)).toThrow(/business days -1/);
    expect(() => addBusinessDays(new Date(), 1.5)).toThrow(/business days 1.5/);
  });
});

describe('budgetSpentOverInterval', () => {
  it('is the burn rate times the share of the window', () => {
    // 1 % errors for 1 h against 99.9 % over 30 days: burn 10, 1/720 of the window
    expect(
      budgetSpentOverInterval({
        objective: 0.999,
        windowSeconds: 30 * 86400,
        errorRatio: 0.01,
        intervalSeconds: 3600,
      }),
    ).toBeCloseTo(10 / 720, 10);
  });
});
