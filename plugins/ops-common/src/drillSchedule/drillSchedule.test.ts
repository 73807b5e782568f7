import {
  DEFAULT_DRILL_INTERVAL_DAYS,
  parseDrillIntervalDays,
  isDrillDue,
  nextDrillDueAt,
  wholeDaysSince,
} from './drillSchedule';

const now = new Date('2026-11-24T12:00:00.000Z');

describe('drill schedule', () => {
  it('is quarterly by default', () => {
    expect(DEFAULT_DRILL_INTERVAL_DAYS).toBe(91);
  });

  it('is due at once when the target was never drilled', () => {
    expect(nextDrillDueAt({ everyDays: 91, now })).toEqual(now);
    expect(isDrillDue({ everyDays: 91, now })).toBe(true);
  });

  it('is due everyDays after the start of the last drill', () => {
    // 2026-08-25T12:00Z + 91 days = 2026-11-24T12:00Z (Aug 6 + Sep 30 + Oct 31 + Nov 24 days).
    expect(
      nextDrillDueAt({
        lastStartedAt: '2026-08-25T12:00:00.000Z',
        everyDays: 91,
        now,
      }),
    ).toEqual(now);
    expect(
      isDrillDue({
        lastStartedAt: '2026-08-25T12:00:00.000Z',
        everyDays: 91,
        now,
      }),
    ).toBe(true);
    // One second later it has not been 91 days yet.
    expect(
      isDrillDue({
        lastStartedAt: '2026-08-25T12:00:01.000Z',
        everyDays: 91,
        now,
      }),
    ).toBe(false);
    expect(
      isDrillDue({
        lastStartedAt: '2026-11-17T12:00:00.000Z',
        everyDays: 7,
        now,
      }),
    ).toBe(true);
    expect(
      isDrillDue({
        lastStartedAt: '2026-11-18T12:00:00.000Z',
        everyDays: 7,
        now,
      }),
    ).toBe(false);
  });

  it('counts whole days, rounding down, never below zero', () => {
    expect(wholeDaysSince('2026-11-24T11:00:00.000Z', now)).toBe(0);
    expect(wholeDaysSince('2026-11-23T12:00:00.000Z', now)).toBe(1);
    expect(wholeDaysSince('2026-08-25T12:00:01.000Z', now)).toBe(90);
    expect(wholeDaysSince('2026-11-25T12:00:00.000Z', now)).toBe(0);
  });
});

describe('parseDrillIntervalDays', () => {
  const key = 'ops.databases.orders-db.drillSchedule.everyDays';

  it('is quarterly when the target names no interval', () => {
    expect(parseDrillIntervalDays(undefined, key)).toBe(91);
  });

  it('accepts whole days from 1 to 3660', () => {
    expect(parseDrillIntervalDays(1, key)).toBe(1);
    expect(parseDrillIntervalDays(3660, key)).toBe(3660);
  });

  it.each([0, -7, 1.5, 3661])('refuses %p naming the key', value => {
    expect(() => parseDrillIntervalDays(value, key)).toThrow(
      'Invalid configuration ops.databases.orders-db.drillSchedule.everyDays: must be a whole number of days from 1 to 3660',
    );
  });
});
