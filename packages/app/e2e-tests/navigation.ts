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

/**
 * Runs the backup drill from the Drills card of the Operations tab on screen:
 * the Run drill button opens the template with the service's only target
 * chosen, the task runs for real, and its output leads back to the tab.
 */
export async function runBackupDrillFromCard(
  page: Page,
  drill: { service: string; target: string },
) {
  const run = page.getByRole('button', { name: 'Run drill', exact: true });
  // A link styled as a button; it appears once the permission check allows.
  await expect(run).toHaveAttribute(
    'href',
    /\/create\/templates\/default\/ops-backup-drill\?formData=/,
  );
  await run.click();

  // The template form, filled in from the card.
  await expect(page).toHaveURL(
    /\/create\/templates\/default\/ops-backup-drill/,
  );
  await expect(
    page.getByRole('heading', { name: /Backup and recovery drill/ }).first(),
  ).toBeVisible();
  await expectOnlyTargetChosen(page, drill.target);
  await pressFormButton(page, /^(Next|Review)$/);
  await pressFormButton(page, 'Create');

  // The task runs for real; when it succeeds, its output links to the tab.
  await expect(page).toHaveURL(/\/create\/tasks\//);
  const toOperations = page.getByText('Drill on the Operations tab');
  await expect(toOperations).toBeVisible({ timeout: 4 * 60_000 });
  await toOperations.click();
  await expect(page).toHaveURL(
    new RegExp(`/catalog/default/component/${drill.service}/operations$`),
  );
}

/**
 * Checks the template form's target picker: it offers the one database target
 * the service lists, chosen already.
 */
export async function expectOnlyTargetChosen(page: Page, target: string) {
  const picker = page.getByRole('combobox', { name: /Database target/ });
  await expect(picker).toHaveValue(target);
  await expect(picker.locator('option')).toHaveText([
    'Choose a target',
    target,
  ]);
}

/**
 * Presses a button of a scaffolder form (Next, Review, Create). Notification
 * toasts (bottom right, 15 s each, one after the other as the e2e tests'
 * incidents change) can cover it for longer than a click waits: a click that
 * does not land within 5 s is made from the keyboard instead, on the same
 * button, as a person who cannot reach it with the mouse would.
 */
export async function pressFormButton(page: Page, name: string | RegExp) {
  const button = page.getByRole('button', {
    name,
    exact: typeof name === 'string',
  });
  try {
    await button.click({ timeout: 5_000 });
  } catch {
    await button.press('Enter');
  }
}
