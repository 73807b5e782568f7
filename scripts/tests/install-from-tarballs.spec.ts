import { expect, test, type Page } from '@playwright/test';

// The new app, made by create-app and wired only as the README says, shows
// OpsDeck's Operations tab on the annotated component.
const [kind, namespace, name] = (
  process.env.OPSDECK_INSTALL_ENTITY_REF ?? ''
).split(/[:/]/);

/** Loads a page; the created app asks to sign in on each load: as a guest. */
async function load(page: Page, path: string) {
  await page.goto(path);
  const enter = page.getByRole('button', { name: 'Enter' });
  const main = page.getByRole('main');
  await expect(enter.or(main).first()).toBeVisible({ timeout: 60_000 });
  if (await enter.isVisible()) {
    await enter.click();
  }
}

test('the installed app shows the Operations tab of an annotated component', async ({
  page,
}) => {
  const title = page.getByRole('heading', { name, exact: true }).first();
  // The catalog ingests the example entities shortly after the start.
  await expect(async () => {
    await load(page, `/catalog/${namespace}/${kind}/${name}`);
    await expect(title).toBeVisible({ timeout: 15_000 });
  }).toPass({ timeout: 120_000 });

  const operations = page
    .getByRole('main')
    .getByRole('tab', { name: 'Operations', exact: true })
    .or(page.getByRole('main').getByRole('link', { name: 'Operations' }));
  await operations.first().click();
  await expect(page).toHaveURL(/\/operations$/);
  await expect(
    page.getByText('Operational readiness', { exact: true }),
  ).toBeVisible();
  // The readiness card read the component's annotations through the backend.
  await expect(page.getByText('Runbooks').first()).toBeVisible();
});
