import { expect, test, type Page } from '@playwright/test';
import {
  openOperationsTab,
  signInAsGuest,
} from '../../packages/app/e2e-tests/navigation';

// Screenshots for the README, of what a user sees once the cards have data:
// no loading indicator left on the page (an indeterminate progress bar has no
// value; the SLO budget bars do).

const images = `${__dirname}/../images`;

async function settled(page: Page) {
  // The readiness card has its figures once the tab's requests came back.
  await expect(page.getByText(/\d+ of \d+ in place/)).toBeVisible({
    timeout: 60_000,
  });
  // Backstage's Progress shows up only after 250 ms: no loading bar twice,
  // 1.5 s apart.
  const loading = page.locator('[role="progressbar"]:not([aria-valuenow])');
  await expect(async () => {
    await expect(loading).toHaveCount(0);
    await page.waitForTimeout(1500);
    await expect(loading).toHaveCount(0);
  }).toPass({ timeout: 90_000 });
}

for (const service of ['payments-api', 'orders-api']) {
  test(`the Operations tab of ${service}`, async ({ page }) => {
    await signInAsGuest(page);
    await openOperationsTab(page, service);
    await settled(page);
    await page.screenshot({
      path: `${images}/operations-${service}.png`,
      fullPage: true,
    });
  });
}

test('a drill report', async ({ page }) => {
  // A real drill of the demo's payments-db, run from the Drills card, so the
  // picture is of today's report (the seeded example records are older).
  test.setTimeout(5 * 60_000);
  await signInAsGuest(page);
  await openOperationsTab(page, 'payments-api');
  await page.getByRole('button', { name: 'Run drill', exact: true }).click();
  await page.getByRole('button', { name: /^(Next|Review)$/ }).click();
  await page.getByRole('button', { name: 'Create', exact: true }).click();
  const toOperations = page.getByText('Drill on the Operations tab');
  await expect(toOperations).toBeVisible({ timeout: 4 * 60_000 });
  await toOperations.click();
  await settled(page);
  const drills = page.getByRole('table', { name: 'Drills of payments-api' });
  await drills
    .getByRole('row')
    .nth(1)
    .getByRole('button', { name: 'Report' })
    .click();
  const dialog = page.getByRole('dialog');
  await expect(dialog.getByText(/PASSED|FAILED/).first()).toBeVisible();
  await dialog.screenshot({ path: `${images}/drill-report.png` });
});
