import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { test, expect, type Locator, type Page } from '@playwright/test';
import {
  expectOnlyTargetChosen,
  openOperationsTab,
  pressFormButton,
  runBackupDrillFromCard,
  signInAsGuest,
} from './navigation';

// orders-db, the Patroni cluster of the demo (scripts/demo/orders-db.sh: two
// members, a pgBackRest repository, PgBouncer in front), drilled and switched
// over for real from the browser. First the backup drill restores the newest
// backup from the pgBackRest repository while the demo's writer keeps taking
// orders; then the failover template asks Patroni to switch over to the
// replica and repoints PgBouncer. Both are then on orders-api's Drills card.
// Afterwards orders-db is recreated, so the next test (or run) finds it as a
// fresh start leaves it.

const ROOT = path.resolve(__dirname, '../../..');
// scripts/e2e.sh keeps the demo systems' state in OPSDECK_DEMO_DIR (.run/e2e/demo).
const STATE = path.join(
  process.env.OPSDECK_DEMO_DIR ?? path.join(ROOT, '.run/demo'),
  'orders-db',
);
const DEMO = path.join(ROOT, 'scripts/demo/orders-db.sh');
// The demo's fixed addresses (scripts/demo/orders-db.sh, app-config.yaml).
const MEMBERS: Record<string, { pgPort: number; api: string }> = {
  'orders-1': { pgPort: 5465, api: 'http://127.0.0.1:8018' },
  'orders-2': { pgPort: 5466, api: 'http://127.0.0.1:8019' },
};
const PGBOUNCER_PORT = 6442;

test.setTimeout(9 * 60_000);

test.afterAll(() => {
  execFileSync(DEMO, ['reset'], { stdio: 'inherit' });
  execFileSync(DEMO, ['start'], { stdio: 'inherit' });
});

interface PatroniMember {
  name: string;
  role: string;
  state: string;
}

/** Patroni's own view (GET /cluster), independent of OpsDeck. */
async function patroniMembers(): Promise<PatroniMember[]> {
  const response = await fetch(`${MEMBERS['orders-1'].api}/cluster`);
  expect(response.ok).toBe(true);
  return ((await response.json()) as { members: PatroniMember[] }).members;
}

async function patroniLeader(): Promise<string | undefined> {
  return (await patroniMembers()).find(
    m => m.role === 'leader' && m.state === 'running',
  )?.name;
}

/** Orders placed so far, counted through PgBouncer as orders-api sees them. */
function ordersThroughPgBouncer(): number {
  const bin = process.env.OPSDECK_PG_BIN ?? '/usr/lib/postgresql/15/bin';
  const out = execFileSync(
    path.join(bin, 'psql'),
    [
      '-h',
      '127.0.0.1',
      '-p',
      String(PGBOUNCER_PORT),
      '-U',
      'orders_app',
      '-d',
      'orders',
      '-XAtc',
      'SELECT count(*) FROM orders',
    ],
    { env: { ...process.env, PGPASSWORD: 'orders-demo-only' } },
  );
  return Number(out.toString().trim());
}

function drillsOfOrdersApi(page: Page) {
  return page.getByRole('table', { name: 'Drills of orders-api' });
}

/**
 * Checks that the drill of `row` targets orders-db, passed and was recorded
 * by this test; opens its report (verdict first, one table, then the checks
 * and the steps as lists).
 */
async function openPassedDrillReport(
  page: Page,
  row: Locator,
  kind: string,
  startedAt: number,
): Promise<Locator> {
  await expect(row).toContainText(kind);
  await expect(row).toContainText('orders-db');
  await expect(row.locator('[data-status]').first()).toHaveAttribute(
    'data-status',
    'passed',
  );
  expect(
    Date.parse((await row.locator('time').getAttribute('datetime')) ?? ''),
  ).toBeGreaterThanOrEqual(startedAt - 1000);
  await row.getByRole('button', { name: 'Report' }).click();
  const report = page.getByRole('dialog', {
    name: `${kind} drill of orders-db`,
  });
  await expect(
    report.getByRole('heading', { name: /^PASSED: / }),
  ).toBeVisible();
  return report;
}

/** A step of a report's list of steps ("Restore (2.1s): ..."), by its exact name. */
function step(report: Locator, name: string) {
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return report
    .getByRole('listitem')
    .filter({ hasText: new RegExp(`^${escaped} \\(`) });
}

test('orders-db: a drill from its pgBackRest repository and a Patroni switchover, both on the Drills card', async ({
  page,
}) => {
  const startedAt = Date.now();
  const oldLeader = await patroniLeader();
  expect(oldLeader).toBeDefined();
  const candidate = Object.keys(MEMBERS).find(name => name !== oldLeader)!;
  const candidatePort = MEMBERS[candidate].pgPort;

  await signInAsGuest(page);
  await openOperationsTab(page, 'orders-api');

  // The backup drill, from the card's Run drill button.
  await runBackupDrillFromCard(page, {
    service: 'orders-api',
    target: 'orders-db',
  });

  const drillReport = await openPassedDrillReport(
    page,
    drillsOfOrdersApi(page).getByRole('row').nth(1),
    'Backup restore',
    startedAt,
  );
  // A physical restore from the repository, not a pg_dump archive.
  await expect(step(drillReport, 'Restore')).toContainText(
    /pgbackrest restore of \d{8}-\d{6}F to its end/,
  );
  // One table, per table of the copy, with the live writer's drift as
  // information; the target's SQL checks listed after it.
  await expect(drillReport.getByRole('table')).toContainText(
    'public.order_events',
  );
  await expect(drillReport).toContainText('product catalogue');
  await page.keyboard.press('Escape');

  // The switchover, from the failover template, for real: typed confirmation.
  const ordersBefore = ordersThroughPgBouncer();
  const formData = new URLSearchParams({
    formData: JSON.stringify({
      service: 'component:default/orders-api',
      mode: 'real',
    }),
  });
  await page.goto(`/create/templates/default/ops-db-failover?${formData}`);
  await expectOnlyTargetChosen(page, 'orders-db');
  await pressFormButton(page, 'Next');
  await page
    .getByRole('textbox', { name: /Type orders-db to confirm/ })
    .fill('orders-db');
  await pressFormButton(page, /^(Next|Review)$/);
  await expect(
    page.getByRole('row', { name: 'Confirmation orders-db' }),
  ).toBeVisible();
  await pressFormButton(page, 'Create');
  await expect(page).toHaveURL(/\/create\/tasks\//);
  await expect(
    page.getByText(
      new RegExp(`orders-db failed over to 127\\.0\\.0\\.1:${candidatePort}`),
    ),
  ).toBeVisible({ timeout: 3 * 60_000 });

  // Patroni says so, PgBouncer sends orders-api there, and the orders
  // service's writes kept landing through PgBouncer.
  expect(await patroniLeader()).toBe(candidate);
  expect(
    fs.readFileSync(path.join(STATE, 'pgbouncer/opsdeck-routes.ini'), 'utf8'),
  ).toContain(`orders = host=127.0.0.1 port=${candidatePort} dbname=orders`);
  await expect
    .poll(ordersThroughPgBouncer, { timeout: 30_000 })
    .toBeGreaterThan(ordersBefore);

  await openOperationsTab(page, 'orders-api');
  const report = await openPassedDrillReport(
    page,
    drillsOfOrdersApi(page)
      .getByRole('row')
      .filter({ hasText: 'Failover' })
      .first(),
    'Failover',
    startedAt,
  );
  // The report links Patroni's URL (its accessible name adds "Opens in a
  // new window"), so the address and the request body are checked apart.
  const switchover = step(report, 'Switch over (Patroni)');
  await expect(switchover).toContainText(
    `POST ${MEMBERS[oldLeader!].api}/switchover`,
  );
  await expect(switchover).toContainText(
    `{leader: ${oldLeader}, candidate: ${candidate}}`,
  );
  await expect(report).toContainText('old leader streams from the new one');
});
