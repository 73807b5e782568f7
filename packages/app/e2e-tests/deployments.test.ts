import { test, expect } from '@playwright/test';
import { openOperationsTab, signInAsGuest } from './navigation';

// The Deployments card of payments-api lists the revisions of its Deployment
// in the demo cluster (scripts/demo/kubernetes.sh), and its "Roll back to this
// revision" button opens the rollback template prefilled; its dry run shows
// the difference of the pod template and changes nothing.

const IMAGE = 'registry.example.com/opsdeck/payments-api';

test('the Deployments card lists revisions and opens a prefilled rollback whose dry run shows the diff', async ({
  page,
}) => {
  test.setTimeout(180_000);
  await signInAsGuest(page);
  await openOperationsTab(page, 'payments-api');

  const revisions = page.getByRole('table', {
    name: 'Revisions of payments-api in production',
  });
  await expect(revisions).toBeVisible({ timeout: 30_000 });
  const rows = revisions.getByRole('row');
  await expect(rows.filter({ hasText: `${IMAGE}:1.4.2` })).toContainText(
    'current',
  );
  await expect(rows.filter({ hasText: `${IMAGE}:1.4.1` })).toContainText(
    'release 1.4.1',
  );
  await expect(rows.filter({ hasText: `${IMAGE}:1.4.0` })).toBeVisible();

  const previous = rows.filter({ hasText: `${IMAGE}:1.4.1` });
  await previous
    .getByRole('button', { name: 'Roll back to this revision' })
    .click();

  await expect(page).toHaveURL(
    /\/create\/templates\/default\/ops-rollback\?formData=/,
  );
  // the revision picker lists the history; the button chose revision 2
  const revision = page.getByRole('combobox', {
    name: /Revision to roll back to/,
  });
  await expect(revision).toHaveValue('2');
  await expect(
    revision.getByRole('option', { name: /revision 2: .*1\.4\.1/ }),
  ).toBeAttached();
  await expect(
    page.getByRole('radio', {
      name: 'DRY RUN: print what would change, nothing will change',
    }),
  ).toBeChecked();
  await page
    .getByRole('textbox', { name: /Reason/ })
    .fill('E2E: checking what a rollback of 1.4.2 would change');

  await page.getByRole('button', { name: 'Review' }).click();
  await expect(
    page.getByText('DRY RUN: print what would change, nothing will change'),
  ).toBeVisible();
  await page.getByRole('button', { name: 'Create' }).click();

  // The task runs the dry run: the difference, and nothing changed.
  await expect(page.getByText('dry-run', { exact: false }).first()).toBeVisible(
    {
      timeout: 60_000,
    },
  );
  await expect(
    page.getByText(`- spec.containers[app].image: "${IMAGE}:1.4.2"`).first(),
  ).toBeVisible();
  await expect(
    page.getByText(`+ spec.containers[app].image: "${IMAGE}:1.4.1"`).first(),
  ).toBeVisible();
});
