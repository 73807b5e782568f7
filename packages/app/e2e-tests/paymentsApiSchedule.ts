// examples/payments-api/oncall-schedule.yaml: weekly, Monday 09:00 Berlin,
// week 0 from Monday 2026-01-05, primary in this order.
const PRIMARY = ['Amara Okafor', 'Jonas Weber', 'Guest'];
export const WEEK_MS = 7 * 24 * 3600 * 1000;

/**
 * Who the schedule has as primary now, worked out independently of the
 * backend: weeks since 2026-01-05 08:00 UTC (09:00 CET). Berlin is UTC+1 or
 * +2, so near a Monday handoff either neighbour may be right.
 */
export function expectedPrimary(now: number): string[] {
  const weeks = (now - Date.parse('2026-01-05T08:00:00Z')) / WEEK_MS;
  const index = Math.floor(weeks);
  const person = (k: number) => PRIMARY[((k % 3) + 3) % 3];
  const hoursIntoWeek = (weeks - index) * 7 * 24;
  if (hoursIntoWeek < 1) return [person(index - 1), person(index)];
  if (hoursIntoWeek > 7 * 24 - 1) return [person(index), person(index + 1)];
  return [person(index)];
}
