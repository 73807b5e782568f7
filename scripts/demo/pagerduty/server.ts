// The demo's PagerDuty: the fake PagerDuty REST API v2 of the PagerDuty
// module's tests (plugins/ops-backend-module-pagerduty/src/__testUtils__,
// what it covers: that module's README) with orders-api's service
// (pagerduty.com/service-id P7R2QXK in examples/orders-api) and its
// escalation policy: a weekly rotation of team-orders, handoff Monday 09:00
// UTC from 2026-01-05, the other person as secondary, the engineering
// manager always on call. The people are users of the demo catalog
// (examples/org.yaml), matched by email. Started by scripts/demo/pagerduty.sh.

import { startFakePagerDuty } from '../../../plugins/ops-backend-module-pagerduty/src/__testUtils__/fakePagerDuty';

const WEEK_MS = 7 * 24 * 3600_000;
/** Week 0 of the rotation; e2e-tests/oncall.test.ts counts from the same. */
const ROTATION_START = Date.parse('2026-01-05T09:00:00Z');

const team = [
  { id: 'PPRIYA1', name: 'Priya Raman', email: 'priya.raman@example.com' },
  { id: 'PTOMAS1', name: 'Tomás Silva', email: 'tomas.silva@example.com' },
];
const manager = {
  id: 'PGRACE1',
  name: 'Grace Kim',
  email: 'grace.kim@example.com',
};

/** The shifts from eight weeks ago to a year ahead of the start. */
function rotation(now: number) {
  const first = Math.floor((now - ROTATION_START) / WEEK_MS) - 8;
  const shifts = [];
  for (let week = first; week < first + 60; week++) {
    const start = new Date(ROTATION_START + week * WEEK_MS).toISOString();
    const end = new Date(ROTATION_START + (week + 1) * WEEK_MS).toISOString();
    const primary = team[((week % 2) + 2) % 2];
    const secondary = team[(((week + 1) % 2) + 2) % 2];
    shifts.push(
      { level: 1, user: primary, start, end },
      { level: 2, user: secondary, start, end },
    );
  }
  // An escalation rule naming a user: on call with no start or end.
  return [...shifts, { level: 3, user: manager, start: null, end: null }];
}

async function main() {
  const port = Number(process.env.OPSDECK_PAGERDUTY_PORT ?? 3200);
  const fake = await startFakePagerDuty({
    portRange: [port, port],
    token: process.env.OPSDECK_PAGERDUTY_TOKEN ?? 'pagerduty-demo-only',
    services: { P7R2QXK: { escalationPolicyId: 'PORDERS', name: 'Orders' } },
    oncalls: { PORDERS: rotation(Date.now()) },
  });
  console.log(`fake PagerDuty REST API on ${fake.url}`);
  const stop = () => fake.stop().then(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
