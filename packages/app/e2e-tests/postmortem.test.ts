import { test, expect } from '@playwright/test';
import { declareIncident, incidentsTable } from './incidentActions';
import {
  openEntityTab,
  openOperationsTab,
  sidebar,
  signInAsGuest,
} from './navigation';

// The learning step of an incident on payments-api, which the guest user may
// operate: resolve it, start its post-mortem from the facts, add an action
// item owned by the team, publish; then find the action item where the team
// and the OpsDeck page look. Each run's incident and action item have unique
// titles, so runs against the same backend do not see each other's.

// The whole learning step in one story: longer than the default 90 s.
test.setTimeout(4 * 60_000);

test('a resolved incident gets a published post-mortem whose action item is tracked', async ({
  page,
}) => {
  const title = `E2E payment timeouts ${Date.now()}`;
  const actionItem = `Alert on connection pool saturation (${Date.now()})`;

  await signInAsGuest(page);
  await openOperationsTab(page, 'payments-api');
  await declareIncident(page, title);
  await incidentsTable(page, 'payments-api')
    .getByRole('link', { name: title })
    .click();
  await expect(page.getByRole('heading', { name: title })).toBeVisible();

  // Resolve it; only then can its post-mortem start.
  await expect(
    page.getByRole('button', { name: 'Start post-mortem' }),
  ).toBeHidden();
  const status = page.getByRole('combobox', { name: 'Status' });
  await expect(status).toBeEnabled();
  await status.selectOption('investigating');
  await expect(status).toHaveValue('investigating');
  await expect(status).toBeEnabled();
  await status.selectOption('resolved');
  await expect(status).toHaveValue('resolved');

  const start = page.getByRole('button', { name: 'Start post-mortem' });
  await expect(start).toBeEnabled();
  await start.click();

  // The draft, written from the incident's facts.
  await expect(page).toHaveURL(/\/ops\/postmortems\/[^/]+$/);
  const details = page.getByRole('table', { name: 'Post-mortem details' });
  await expect(details.getByRole('row', { name: /^Status/ })).toContainText(
    'Draft',
  );
  const draft = page.getByRole('main');
  await expect(page.getByRole('heading', { name: 'Impact' })).toBeVisible();
  await expect(draft).toContainText('Detection to resolution');
  await expect(page.getByRole('heading', { name: 'Timeline' })).toBeVisible();
  await expect(
    draft.getByRole('listitem').filter({ hasText: `Declared` }).first(),
  ).toContainText(title);

  // An action item owned by the team, from the catalog.
  const form = page.getByRole('form', { name: 'Add an action item' });
  await form.getByRole('textbox', { name: 'Action item' }).fill(actionItem);
  await form.getByRole('textbox', { name: 'Owner' }).fill('Payments');
  await page.getByRole('option', { name: 'Payments (team-payments)' }).click();
  await form.getByLabel('Due date').fill('2030-01-15');
  await form.getByRole('button', { name: 'Add action item' }).click();
  const items = page.getByRole('table', { name: 'Action items' });
  const itemRow = items.getByRole('row').filter({ hasText: actionItem });
  await expect(itemRow).toContainText('Payments');
  await expect(itemRow).toContainText('15 Jan 2030');
  await expect(itemRow).toContainText('Open');

  // A reviewer, from the catalog's users.
  await page.getByRole('button', { name: 'Authors and reviewers' }).click();
  const people = page.getByRole('dialog', { name: /^Authors and reviewers/ });
  await people.getByRole('textbox', { name: 'Reviewers' }).fill('Amara');
  await page
    .getByRole('option', { name: 'Amara Okafor (amara.okafor)' })
    .click();
  await people.getByRole('button', { name: 'Save' }).click();
  await expect(people).toBeHidden();
  await expect(details.getByRole('row', { name: /^Reviewers/ })).toContainText(
    'Amara Okafor',
  );

  // Review, then publish.
  await page.getByRole('button', { name: 'Submit for review' }).click();
  await expect(details.getByRole('row', { name: /^Status/ })).toContainText(
    'In review',
  );
  const publish = page.getByRole('button', { name: 'Publish' });
  await expect(publish).toBeEnabled();
  await publish.click();
  await expect(details.getByRole('row', { name: /^Status/ })).toContainText(
    'Published',
  );
  await expect(page.getByRole('button', { name: 'Edit' })).toBeDisabled();
  await expect(
    page.getByRole('button', { name: 'Authors and reviewers' }),
  ).toBeDisabled();

  // The incident links to it.
  await page.getByRole('link', { name: 'Back to the incident' }).click();
  await expect(page.getByRole('heading', { name: title })).toBeVisible();
  await page.getByRole('link', { name: 'Post-mortem', exact: true }).click();
  await expect(page).toHaveURL(/\/ops\/postmortems\/[^/]+$/);

  // The service's Operations tab shows the open action item.
  await page
    .getByRole('table', { name: 'Post-mortem details' })
    .getByRole('link', { name: 'Payments API' })
    .click();
  await openEntityTab(page, 'Operations');
  await expect(page).toHaveURL(/\/operations$/);
  await expect(
    page
      .getByRole('table', { name: 'Open action items' })
      .getByRole('row')
      .filter({ hasText: actionItem }),
  ).toBeVisible();

  // So does the OpsDeck page, across services.
  await sidebar(page)
    .getByRole('link', { name: 'Operations', exact: true })
    .click();
  await expect(page).toHaveURL(/\/ops$/);
  const acrossServices = page
    .getByRole('table', { name: 'Open action items' })
    .getByRole('row')
    .filter({ hasText: actionItem });
  await expect(acrossServices).toContainText('Payments API');
  await acrossServices.getByRole('link', { name: 'Post-mortem' }).click();
  await expect(page).toHaveURL(/\/ops\/postmortems\/[^/]+$/);
});
