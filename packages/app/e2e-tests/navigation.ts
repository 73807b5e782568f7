import { expect, type Page } from '@playwright/test';

// How a user gets around the portal, shared by the end-to-end tests.

export function sidebar(page: Page) {
  return page.getByRole('navigation', { name: 'sidebar nav' });
}

export async function signInAsGuest(page: Page) {
  await page.goto('/');
  await page.getByRole('button', { name: 'Enter' }).click();
  await expect(
    sidebar(page).getByRole('link', { name: 'Catalog', exact: true }),
  ).toBeVisible();
}

/** Opens an example service's Operations tab from the catalog list. */
export async function openOperationsTab(page: Page, name: string) {
  await sidebar(page)
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

  await openEntityTab(page, 'Operations');
  await expect(page).toHaveURL(/\/operations$/);
  await expect(
    page.getByText('Operational readiness', { exact: true }),
  ).toBeVisible();
}

/** Opens a tab of the entity page on screen (Overview, Operations, ...). */
export async function openEntityTab(page: Page, name: string) {
  const main = page.getByRole('main');
  await main
    .getByRole('tab', { name, exact: true })
    .or(main.getByRole('link', { name, exact: true }))
    .first()
    .click();
}
