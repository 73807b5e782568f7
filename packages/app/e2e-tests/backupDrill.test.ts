import { test, expect } from '@playwright/test';
import {
  openOperationsTab,
  runBackupDrillFromCard,
  signInAsGuest,
} from './navigation';

// The backup-restore drill (SOP-01) run for real from the browser: the Drills
// card's Run drill button opens the template with payments-api and its target
// payments-db filled in; the scaffolder task restores the newest backup of
// the demo database (scripts/demo/postgres.sh) into a scratch instance,
// verifies it against the replica and records the drill, which the card then
// lists. The guest may run it: its team owns payments-api.

test.setTimeout(5 * 60_000);

test('a backup drill runs from the Drills card and its record is listed there', async ({
  page,
}) => {
  const startedAt = Date.now();
  await signInAsGuest(page);
  await openOperationsTab(page, 'payments-api');

  await runBackupDrillFromCard(page, {
    service: 'payments-api',
    target: 'payments-db',
  });

  // The drill is on the card, newest first, passed, with its report.
  const drills = page.getByRole('table', { name: 'Drills of payments-api' });
  const newest = drills.getByRole('row').nth(1);
  await expect(newest).toContainText('Backup restore');
  await expect(newest).toContainText('payments-db');
  await expect(newest.locator('[data-status]').first()).toHaveAttribute(
    'data-status',
    'passed',
  );
  const recordedAt = Date.parse(
    (await newest.locator('time').getAttribute('datetime')) ?? '',
  );
  expect(recordedAt).toBeGreaterThanOrEqual(startedAt - 1000);

  await newest.getByRole('button', { name: 'Report' }).click();
  const dialog = page.getByRole('dialog', {
    name: 'Backup restore drill of payments-db',
  });
  // Verdict first, in words, where the dialog opens (no scrolling); then RTO
  // and RPO as the card writes them.
  const verdict = dialog.getByRole('heading', {
    level: 2,
    name: 'PASSED: backup-restore drill of payments-db',
  });
  await expect(verdict).toBeInViewport();
  await expect(dialog).toContainText(
    /RTO (\d+(\.\d)?s|\d+m( \d+s)?) \/ \d+[smhd]( \d+[smh])? ✓ · RPO /,
  );
  // One table, of the restored tables.
  await expect(dialog.getByRole('table')).toHaveCount(1);
  await expect(dialog.getByRole('table')).toContainText('public.payments');
  // The steps name the backup by its file name and the cleanup's proof.
  await expect(
    dialog.getByRole('listitem').filter({ hasText: /^Restore/ }),
  ).toContainText(/pg_restore -j 4 of payments-db-\d{8}T\d{6}Z\.dump/);
  await expect(
    dialog.getByRole('listitem').filter({ hasText: /^Clean up/ }),
  ).toContainText('Nothing left');
  // No server path anywhere in the report: no /tmp, no absolute path.
  const text = await dialog.innerText();
  expect(text).not.toContain('/tmp');
  expect(text).not.toMatch(/(^|[\s"'(`:=])\/[\w.-]+\//m);
  // The report scrolls inside the dialog; the page does not scroll sideways.
  const overflow = await dialog.evaluate(element => {
    const content = element.querySelector('.MuiDialogContent-root')!;
    return content.scrollWidth - content.clientWidth;
  });
  expect(overflow).toBeLessThanOrEqual(0);
});
