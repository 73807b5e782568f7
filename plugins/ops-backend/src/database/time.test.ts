import {
  checkTimeOrder,
  parseInstant,
  parsePastInstant,
  toDbTime,
} from './time';

describe('parseInstant', () => {
  it.each([
    ['2026-11-20T10:00:00Z', Date.UTC(2026, 10, 20, 10)],
    ['2026-11-20t10:00:00z', Date.UTC(2026, 10, 20, 10)],
    ['2026-11-20T12:00:00+02:00', Date.UTC(2026, 10, 20, 10)],
    ['2026-11-20T10:00:00.123456789Z', Date.UTC(2026, 10, 20, 10, 0, 0, 123)],
    ['2028-02-29T00:00:00Z', Date.UTC(2028, 1, 29)],
  ])('reads %s as an instant', (value, expected) => {
    expect(parseInstant(value, 'at')).toBe(expected);
  });

  it.each([
    '2027-02-30T00:00:00Z',
    '2027-02-29T00:00:00Z',
    '2026-04-31T00:00:00Z',
    '2026-13-01T00:00:00Z',
    '2026-11-20T24:00:00Z',
    '2026-11-20T10:60:00Z',
    '2026-12-31T23:59:60Z',
    '2026-11-20T10:00:00+24:00',
    '2026-11-20T10:00:00',
    '2026-11-20',
    '2026-11-20 10:00:00Z',
    'yesterday',
  ])('refuses %s, naming the field', value => {
    expect(() => parseInstant(value, 'startedAt')).toThrow(
      `Invalid startedAt '${value}': expected an RFC 3339 time`,
    );
    expect(() => toDbTime(value, 'startedAt')).toThrow('Invalid startedAt');
  });

  it('refuses a time that must be past when it is more than a day ahead', () => {
    const soon = new Date(Date.now() + 3_600_000).toISOString();
    expect(parsePastInstant(soon, 'startedAt')).toBe(Date.parse(soon));
    const later = new Date(Date.now() + 2 * 86_400_000).toISOString();
    expect(() => parsePastInstant(later, 'startedAt')).toThrow(
      /Invalid startedAt .*in the future/,
    );
  });

  it('orders a start and an end as instants, offsets included', () => {
    const start = { field: 'startedAt', value: '2026-11-20T10:00:00Z' };
    // later as text, earlier as an instant
    expect(() =>
      checkTimeOrder(start, {
        field: 'finishedAt',
        value: '2026-11-20T11:00:00+02:00',
      }),
    ).toThrow("Invalid finishedAt '2026-11-20T11:00:00+02:00'");
    // earlier as text, later as an instant
    expect(() =>
      checkTimeOrder(start, {
        field: 'finishedAt',
        value: '2026-11-20T09:00:00-02:00',
      }),
    ).not.toThrow();
    expect(() =>
      checkTimeOrder(start, { field: 'finishedAt', value: undefined }),
    ).not.toThrow();
  });
});
