import { ResponseError } from '@backstage/errors';
import { DateTime } from 'luxon';
import {
  errorMessage,
  formatAge,
  formatRelative,
  formatTimestamp,
  isConflict,
} from './format';

describe('errorMessage and isConflict', () => {
  async function responseError(status: number, name: string, message: string) {
    return ResponseError.fromResponse(
      new Response(
        JSON.stringify({
          error: { name, message },
          response: { statusCode: status },
        }),
        { status, headers: { 'Content-Type': 'application/json' } },
      ),
    );
  }

  it("uses the backend's message rather than the HTTP status", async () => {
    const error = await responseError(
      403,
      'NotAllowedError',
      'Only the owners may do that',
    );
    expect(errorMessage(error)).toBe('Only the owners may do that');
    expect(isConflict(error)).toBe(false);
  });

  it('recognises a stale version', async () => {
    expect(
      isConflict(await responseError(409, 'ConflictError', 'stale version')),
    ).toBe(true);
    expect(isConflict(new Error('409'))).toBe(false);
  });
});

describe('formatAge', () => {
  it('says how long ago', () => {
    const twoHoursAgo = new Date(Date.now() - 2 * 3600_000).toISOString();
    expect(formatAge(twoHoursAgo)).toBe('2 hours ago');
  });

  it('never says a time is in the future', () => {
    const aheadOfThisClock = new Date(Date.now() + 3_000).toISOString();
    expect(formatAge(aheadOfThisClock)).toBe('just now');
  });
});

describe('formatRelative and formatTimestamp, against luxon', () => {
  // What these functions replaced on the hot path: the same words as
  // luxon's toRelative and DATETIME_MED, computed by luxon itself.
  const now = DateTime.fromISO('2026-03-20T12:00:00Z').toMillis();
  const offsets = [
    { years: -2 },
    { days: -95 },
    { days: -31 },
    { days: -27, hours: -23 },
    { days: -3, hours: -5 },
    { hours: -25 },
    { minutes: -90 },
    { seconds: -59 },
    { seconds: -0.4 },
    { seconds: 30 },
    { hours: 3, minutes: 59 },
    { days: 2, hours: 1 },
    { days: 45 },
  ];

  it.each(offsets)('says %o as luxon does', offset => {
    const time = DateTime.fromMillis(now).plus(offset);
    const iso = time.toISO()!;
    expect(formatRelative(iso, now)).toBe(
      time.toRelative({ base: DateTime.fromMillis(now) }),
    );
  });

  it('says what luxon says for thousands of times around month ends and daylight saving changes', () => {
    // In the zone the tests run in; `TZ=America/New_York yarn test format`
    // checks the daylight saving days (23 and 25 hours long) as well.
    const bases = [
      '2026-03-08T12:00:00Z',
      '2026-03-29T01:30:00Z',
      '2026-11-01T06:00:00Z',
      '2026-01-31T23:00:00Z',
      '2028-02-29T12:00:00Z',
      '2026-12-31T23:59:59Z',
    ].map(iso => DateTime.fromISO(iso).toMillis());
    let seed = 42;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const differences: string[] = [];
    for (let i = 0; i < 3000; i++) {
      const base = bases[i % bases.length];
      // From a second to about four years, either way, log-uniform.
      const offset =
        (random() < 0.5 ? -1 : 1) * Math.round(1000 * 10 ** (random() * 8.1));
      const iso = DateTime.fromMillis(base + offset).toISO()!;
      const expected = DateTime.fromMillis(base + offset).toRelative({
        base: DateTime.fromMillis(base),
      });
      const actual = formatRelative(iso, base);
      if (actual !== expected) {
        differences.push(`${iso} from ${base}: ${actual} != ${expected}`);
      }
    }
    expect(differences).toEqual([]);
  });

  it('says "just now" for a time ahead of the clock, or within a second', () => {
    const inASecond = DateTime.fromMillis(now).plus({ seconds: 3 }).toISO()!;
    expect(formatAge(inASecond, now)).toBe('just now');
    expect(formatAge(new Date(now - 500).toISOString(), now)).toBe('just now');
    expect(formatAge(new Date(now - 2_000).toISOString(), now)).toBe(
      '2 seconds ago',
    );
  });

  it('gives the exact time as luxon DATETIME_MED does', () => {
    for (const iso of [
      '2026-12-05T04:40:00Z',
      '2026-07-01T23:05:00+02:00',
      '2027-01-01T00:00:00.000Z',
    ]) {
      expect(formatTimestamp(iso)).toBe(
        DateTime.fromISO(iso).toLocaleString(DateTime.DATETIME_MED),
      );
    }
  });

  it('returns what it cannot read as it is', () => {
    expect(formatTimestamp('not a time')).toBe('not a time');
    expect(formatRelative('not a time', now)).toBe('not a time');
    expect(formatAge('not a time', now)).toBe('not a time');
  });
});
