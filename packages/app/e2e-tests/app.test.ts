import path from 'node:path';
import { test, expect, type Page } from '@playwright/test';

// The README's picture of the Operations tab is refreshed only on request
// (UPDATE_SCREENSHOTS=1), so a test run leaves the work tree clean.
const SCREENSHOT = process.env.UPDATE_SCREENSHOTS
  ? path.resolve(__dirname, '../../../docs/images/operations-tab.png')
  : path.resolve(__dirname, '../../../.run/operations-tab.png');

async function signInAsGuest(page: Page) {
  await page.goto('/');
  await page.getByRole('button', { name: 'Enter' }).click();
  await expect(
    page
      .getByRole('navigation', { name: 'sidebar nav' })
      .getByRole('link', { name: 'Catalog', exact: true }),
  ).toBeVisible();
}

/** Opens an example service from the catalog list, as a user would. */
async function openServiceFromCatalog(page: Page, name: string) {
  await page
    .getByRole('navigation', { name: 'sidebar nav' })
    .getByRole('link', { name: 'Catalog', exact: true })
    .click();
  const link = page
    .getByRole('row')
    .locator(`a[href$="/catalog/default/component/${name}"]`)
    .first();
  // The catalog ingests the example entities shortly after the backend
  // starts: reload until the service is listed.
  await expect(async () => {
    if (!(await link.isVisible())) {
      await page.reload();
    }
    await expect(link).toBeVisible({ timeout: 10_000 });
  }).toPass({ timeout: 90_000 });
  await link.click();
}

async function openOperationsTab(page: Page) {
  const main = page.getByRole('main');
  await main
    .getByRole('tab', { name: 'Operations', exact: true })
    .or(main.getByRole('link', { name: 'Operations', exact: true }))
    .first()
    .click();
  await expect(page).toHaveURL(/\/operations$/);
  await expect(
    page.getByText('Operational readiness', { exact: true }),
  ).toBeVisible();
}

function readinessItem(page: Page, title: string) {
  return page.getByRole('listitem').filter({ hasText: title });
}

test('payments-api has every operational readiness item in place', async ({
  page,
}) => {
  await signInAsGuest(page);
  await openServiceFromCatalog(page, 'payments-api');
  await openOperationsTab(page);

  await expect(page.getByText('6 of 6 in place')).toBeVisible();
  for (const title of [
    'SLOs defined',
    'Runbooks linked',
    'On-call schedule',
    'Dashboards',
    'Rollback plan (Kubernetes deployment)',
    'Database targets with drills',
  ]) {
    await expect(
      readinessItem(page, title).getByRole('img', { name: 'present' }),
      `"${title}" is present`,
    ).toBeVisible();
  }
  await expect(readinessItem(page, 'SLOs defined')).toContainText(
    'OpenSLO documents at ./slos.yaml',
  );

  await page.screenshot({ path: SCREENSHOT, fullPage: true });
});

test('search-api shows what is missing and links to how to add it', async ({
  page,
}) => {
  await signInAsGuest(page);
  await openServiceFromCatalog(page, 'search-api');
  await openOperationsTab(page);

  await expect(page.getByText('1 of 6 in place')).toBeVisible();
  await expect(
    readinessItem(page, 'Rollback plan (Kubernetes deployment)').getByRole(
      'img',
      { name: 'present' },
    ),
  ).toBeVisible();
  const slos = readinessItem(page, 'SLOs defined');
  await expect(slos.getByRole('img', { name: 'missing' })).toBeVisible();
  await expect(slos).toContainText('Add opsdeck.dev/openslo');

  await slos.getByText('How to add it').click();
  await expect(page).toHaveURL(/\/ops\/annotations#openslo$/);
  await expect(
    page.getByRole('heading', { name: 'OpsDeck annotations' }),
  ).toBeVisible();
  await expect(
    page.locator('#openslo').getByText('opsdeck.dev/openslo: ./slos.yaml'),
  ).toBeVisible();
});
