import {
  evaluateSloAlerts,
  sloAlertBurnRateFactor,
  sloAlertTiers,
  sloMeasurementWindows,
} from './alerting';
import { formatPromDuration, parsePromDuration } from './duration';

const DAY = 24 * 3600;

describe('multi-window multi-burn-rate alerts', () => {
  it('has the workbook factors for a 30-day SLO', () => {
    const tiers = sloAlertTiers(0.999, 30 * DAY);
    expect(
      tiers.map(t => [
        t.id,
        t.severity,
        t.longWindow,
        t.shortWindow,
        t.burnRateFactor,
      ]),
    ).toEqual([
      ['page-quick', 'page', '1h', '5m', 14.4],
      ['page-slow', 'page', '6h', '30m', 6],
      ['ticket-quick', 'ticket', '1d', '2h', 3],
      ['ticket-slow', 'ticket', '3d', '6h', 1],
    ]);
    // 14.4 * 0.001: an error ratio of 1.44 %
    expect(tiers[0].errorRatioThreshold).toBeCloseTo(0.0144, 12);
  });

  it('scales the factors to other SLO windows as Sloth does', () => {
    // 2 % of 28 d = 13.44 h of budget; to spend it in 1 h: 13.44x
    expect(sloAlertBurnRateFactor(28 * DAY, 2, 3600)).toBeCloseTo(13.44, 12);
    const tiers28 = sloAlertTiers(0.999, 28 * DAY);
    expect(tiers28.map(t => t.burnRateFactor)).toEqual([
      13.44, 5.6, 2.8, 0.933333333333,
    ]);
    // 7 d: 2 % of 168 h = 3.36 h in 1 h; 5 % = 8.4 h in 6 h = 1.4x
    const tiers7 = sloAlertTiers(0.99, 7 * DAY);
    expect(tiers7.map(t => t.burnRateFactor)).toEqual([
      3.36, 1.4, 0.7, 0.233333333333,
    ]);
  });

  it('fires a tier only when both its windows burn too fast', () => {
    const tiers = sloAlertTiers(0.999, 30 * DAY);
    const quiet = evaluateSloAlerts(tiers, {
      '5m': 0.5,
      '30m': 0.5,
      '1h': 0.5,
      '2h': 0.5,
      '6h': 0.5,
      '1d': 0.5,
      '3d': 0.5,
    });
    expect(quiet.severity).toBe('none');

    // a burst of 20x that ended 10 minutes ago: the 1 h window still shows
    // it, the 5 m window no longer does, so the page stops
    const over = evaluateSloAlerts(tiers, { '1h': 20, '5m': 0.2 });
    expect(over.severity).toBe('none');

    const burning = evaluateSloAlerts(tiers, { '1h': 20, '5m': 20 });
    expect(burning.severity).toBe('page');
    expect(burning.tiers.filter(t => t.firing).map(t => t.tier.id)).toEqual([
      'page-quick',
    ]);
  });

  it('is strict at the factor, like the generated `>` rules', () => {
    const tiers = sloAlertTiers(0.999, 30 * DAY);
    expect(evaluateSloAlerts(tiers, { '1h': 14.4, '5m': 14.4 }).severity).toBe(
      'none',
    );
    expect(
      evaluateSloAlerts(tiers, { '1h': 14.41, '5m': 14.41 }).severity,
    ).toBe('page');
  });

  it('raises a ticket for a slow steady burn', () => {
    const tiers = sloAlertTiers(0.999, 30 * DAY);
    // 1.5x everywhere: only ticket-slow (1x over 3d and 6h) fires
    const state = evaluateSloAlerts(tiers, {
      '5m': 1.5,
      '30m': 1.5,
      '1h': 1.5,
      '2h': 1.5,
      '6h': 1.5,
      '1d': 1.5,
      '3d': 1.5,
    });
    expect(state.severity).toBe('ticket');
    expect(state.tiers.filter(t => t.firing).map(t => t.tier.id)).toEqual([
      'ticket-slow',
    ]);
  });

  it('never fires on missing data and accepts any spelling of a window', () => {
    const tiers = sloAlertTiers(0.999, 30 * DAY);
    expect(evaluateSloAlerts(tiers, { '1h': 20 }).severity).toBe('none');
    expect(
      evaluateSloAlerts(tiers, { '1h': 20, '5m': Number.NaN }).severity,
    ).toBe('none');
    expect(evaluateSloAlerts(tiers, { '24h': 4, '120m': 4 }).severity).toBe(
      'ticket',
    );
  });

  it('lists the windows to measure', () => {
    expect(sloMeasurementWindows(30 * DAY)).toEqual([
      '5m',
      '30m',
      '1h',
      '2h',
      '6h',
      '1d',
      '3d',
      '30d',
    ]);
    expect(sloMeasurementWindows(28 * DAY).at(-1)).toBe('4w');
  });
});

describe('Prometheus durations', () => {
  it('parses and formats like Prometheus', () => {
    expect(parsePromDuration('5m')).toBe(300);
    expect(parsePromDuration('1h30m')).toBe(5400);
    expect(parsePromDuration('4w')).toBe(28 * DAY);
    expect(parsePromDuration('1.5h')).toBeUndefined();
    expect(parsePromDuration('0s')).toBeUndefined();
    expect(parsePromDuration('5m1h')).toBeUndefined();
    expect(formatPromDuration(30 * DAY)).toBe('30d');
    expect(formatPromDuration(28 * DAY)).toBe('4w');
    expect(formatPromDuration(7 * DAY)).toBe('1w');
    expect(formatPromDuration(DAY)).toBe('1d');
    expect(formatPromDuration(5400)).toBe('1h30m');
    expect(formatPromDuration(365 * DAY)).toBe('1y');
  });
});
