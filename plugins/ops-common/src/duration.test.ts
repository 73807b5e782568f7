import { formatDuration } from './duration';

describe('formatDuration', () => {
  it.each([
    [0, '0s'],
    [-3, '0s'],
    [0.04, '0s'],
    [2.44, '2.4s'],
    [8, '8s'],
    [9.96, '10s'],
    [45, '45s'],
    [4 * 60 + 12, '4m 12s'],
    [836, '13m 56s'],
    [22 * 60, '22m'],
    [60 * 60, '1h'],
    [60 * 60 + 5, '1h'],
    [2 * 60 * 60 + 5 * 60, '2h 5m'],
    [3 * 24 * 60 * 60 + 4 * 60 * 60 + 59, '3d 4h'],
  ])('formats %s seconds as %s', (seconds, text) => {
    expect(formatDuration(seconds)).toBe(text);
  });
});
