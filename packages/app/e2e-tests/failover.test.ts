import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { test, expect } from '@playwright/test';
import {
  expectOnlyTargetChosen,
  openOperationsTab,
  pressFormButton,
  signInAsGuest,
} from './navigation';

// The primary-replica failover (SOP-02) run for real from the browser on the
// demo database (scripts/demo/postgres.sh: primary 127.0.0.1:5455, replica
// 5456): the template fences the primary, promotes the replica and points
// payments-api's connection file at it; the failover's drill record is then
// on the Drills card. The guest may run it: its team owns payments-api.
// Afterwards the demo is recreated, so the pair is primary and replica again.

const ROOT = path.resolve(__dirname, '../../..');
// scripts/e2e.sh keeps the demo systems' state in OPSDECK_DEMO_DIR (.run/e2e/demo).
const CONNECTION_FILE = path.join(
  process.env.OPSDECK_DEMO_DIR ?? path.join(ROOT, '.run/demo'),
  'postgres/payments-db.env',
);
const DEMO = path.join(ROOT, 'scripts/demo/postgres.sh');

test.setTimeout(5 * 60_000);

test.afterAll(() => {
  execFileSync(DEMO, ['reset'], { stdio: 'inherit' });
  execFileSync(DEMO, ['start'], { stdio: 'inherit' });
});

test('a failover runs from its template and its drill is listed on the Drills card', async ({
  page,
}) => {
  const startedAt = Date.now();
  expect(fs.readFileSync(CONNECTION_FILE, 'utf8')).toContain(
    '@127.0.0.1:5455/payments',
  );
  await signInAsGuest(page);

  // First the default, a dry run: the plan and the preflight, nothing done.
  // No target in the URL: the picker offers the targets payments-api lists
  // in opsdeck.dev/databases, and preselects payments-db, the only one.
  // The review step says in words which it is, not as a ✅ or ❌ that a
  // machine without an emoji font shows as two identical boxes.
  const openTemplate = async (mode: 'dry-run' | 'real') => {
    const formData = new URLSearchParams({
      formData: JSON.stringify({
        service: 'component:default/payments-api',
        mode,
      }),
    });
    await page.goto(`/create/templates/default/ops-db-failover?${formData}`);
    await expect(
      page.getByRole('heading', { name: /Database failover/ }).first(),
    ).toBeVisible();
    await expectOnlyTargetChosen(page, 'payments-db');
    await pressFormButton(page, 'Next');
  };
  const create = async () => {
    await pressFormButton(page, 'Create');
    await expect(page).toHaveURL(/\/create\/tasks\//);
  };

  await openTemplate('dry-run');
  await expect(
    page.getByRole('radio', {
      name: 'DRY RUN: check and plan only, nothing will change',
    }),
  ).toBeChecked();
  await expect(page.getByLabel(/to confirm/)).toHaveCount(0);
  await pressFormButton(page, /^(Next|Review)$/);
  await expect(
    page.getByText('DRY RUN: check and plan only, nothing will change'),
  ).toBeVisible();
  await create();
  await expect(
    page.getByText(/Dry run of the failover of payments-db/),
  ).toBeVisible({
    timeout: 60_000,
  });
  // In the task's output (its log, when shown, has the same line).
  await expect(
    page.getByRole('listitem').filter({
      hasText: /^would promote 127\.0\.0\.1:5456 with pg_promote\(\)$/,
    }),
  ).toBeVisible();
  expect(fs.readFileSync(CONNECTION_FILE, 'utf8')).toContain(
    '@127.0.0.1:5455/payments',
  );

  // Then for real: the form asks for the target's name, and refuses
  // anything else before the task starts.
  await openTemplate('real');
  const confirmation = page.getByRole('textbox', {
    name: /Type payments-db to confirm/,
  });
  await expect(confirmation).toBeVisible();
  await confirmation.fill('payments');
  await pressFormButton(page, /^(Next|Review)$/);
  await expect(
    page.getByText(
      'Type payments-db exactly to confirm; you typed "payments"',
      { exact: true },
    ),
  ).toBeVisible();
  await expect(page.getByRole('button', { name: 'Create' })).toHaveCount(0);
  await confirmation.fill('payments-db');
  await pressFormButton(page, /^(Next|Review)$/);
  await expect(
    page.getByText(
      'REAL FAILOVER: fence writers, promote a replica, repoint clients',
    ),
  ).toBeVisible();
  // The typed name is on the review too (the scaffolder titles a field of a
  // schema dependency by its key).
  await expect(
    page.getByRole('row', { name: 'Confirmation payments-db' }),
  ).toBeVisible();
  await create();
  await expect(
    page.getByText(/payments-db failed over to 127\.0\.0\.1:5456/),
  ).toBeVisible({ timeout: 3 * 60_000 });
  // The figures in the card's units, not raw seconds and bytes.
  await expect(
    page
      .getByText(
        /failed over to .*: write downtime (\d+(\.\d)?[hms] ?)+, data loss 0 B/,
      )
      .first(),
  ).toBeVisible();
  expect(fs.readFileSync(CONNECTION_FILE, 'utf8')).toContain(
    'DATABASE_URL=postgresql://payments_app@127.0.0.1:5456/payments',
  );

  await openOperationsTab(page, 'payments-api');
  const drills = page.getByRole('table', { name: 'Drills of payments-api' });
  const failover = drills
    .getByRole('row')
    .filter({ hasText: 'Failover' })
    .first();
  await expect(failover).toContainText('payments-db');
  await expect(failover.locator('[data-status]').first()).toHaveAttribute(
    'data-status',
    'passed',
  );
  const recordedAt = Date.parse(
    (await failover.locator('time').getAttribute('datetime')) ?? '',
  );
  expect(recordedAt).toBeGreaterThanOrEqual(startedAt - 1000);

  await failover.getByRole('button', { name: 'Report' }).click();
  const dialog = page.getByRole('dialog', {
    name: 'Failover drill of payments-db',
  });
  // Verdict first, then the steps as a list ("Promote (0.1s): pg_promote() ...").
  await expect(
    dialog.getByRole('heading', { name: 'PASSED: failover of payments-db' }),
  ).toBeVisible();
  const step = (name: string) =>
    dialog
      .getByRole('listitem')
      .filter({ hasText: new RegExp(`^${name} \\(`) });
  await expect(step('Promote')).toContainText('pg_promote()');
  await expect(step('Wait for replay')).toContainText(
    'everything the fenced primary wrote',
  );
  await expect(dialog).toContainText('old primary refuses writes');
});
