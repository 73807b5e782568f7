import { test, expect } from '@playwright/test';
import {
  pressFormButton,
  openOperationsTab,
  signInAsGuest,
} from './navigation';

// The demo cluster (scripts/demo/kubernetes.sh) replays the production
// deployments the example CI recorded (examples/ops-records.yaml), so the
// cards agree: the Deployments card lists the revisions and links each CI
// deployment to the one it produced, DORA counts what is recorded and says
// so, and Backstage's own Kubernetes tab shows the pods of the Deployments.
// A revision's "Roll back to this revision" opens the rollback template
// prefilled; its dry run shows the difference and changes nothing.

const IMAGE = 'registry.example.com/opsdeck/payments-api';
const K8S = 'http://127.0.0.1:6449';
const K8S_TOKEN = 'opsdeck-demo-k8s-token';

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
  await expect(rows.filter({ hasText: `${IMAGE}:1.4.4` })).toContainText(
    'current',
  );
  await expect(rows.filter({ hasText: `${IMAGE}:1.4.3` })).toContainText(
    'CI 2026.11.4 (47aa1e0)',
  );
  await expect(rows.filter({ hasText: `${IMAGE}:1.3.0` })).toBeVisible();

  const previous = rows.filter({ hasText: `${IMAGE}:1.4.3` });
  await previous
    .getByRole('button', { name: 'Roll back to this revision' })
    .click();

  await expect(page).toHaveURL(
    /\/create\/templates\/default\/ops-rollback\?formData=/,
  );
  // the revision picker lists the history; the button chose revision 7
  const revision = page.getByRole('combobox', {
    name: /Revision to roll back to/,
  });
  await expect(revision).toHaveValue('7');
  await expect(
    revision.getByRole('option', { name: /revision 7: .*1\.4\.3/ }),
  ).toBeAttached();
  await expect(
    page.getByRole('radio', {
      name: 'DRY RUN: print what would change, nothing will change',
    }),
  ).toBeChecked();
  await page
    .getByRole('textbox', { name: /Reason/ })
    .fill('E2E: checking what a rollback of 1.4.4 would change');

  await pressFormButton(page, 'Review');
  await expect(
    page.getByText('DRY RUN: print what would change, nothing will change'),
  ).toBeVisible();
  await pressFormButton(page, 'Create');

  // The task runs the dry run: the difference, and nothing changed.
  await expect(page.getByText('dry-run', { exact: false }).first()).toBeVisible(
    {
      timeout: 60_000,
    },
  );
  await expect(
    page.getByText(`- spec.containers[app].image: "${IMAGE}:1.4.4"`).first(),
  ).toBeVisible();
  await expect(
    page.getByText(`+ spec.containers[app].image: "${IMAGE}:1.4.3"`).first(),
  ).toBeVisible();
});

test('orders-api: DORA counts the deployments the Deployments card lists, each linked to its revision and made by the CI', async ({
  page,
}) => {
  test.setTimeout(180_000);
  await signInAsGuest(page);
  await openOperationsTab(page, 'orders-api');

  const recorded = page.getByRole('table', { name: 'Recorded deployments' });
  // the example records are written shortly after the backend starts
  await expect(async () => {
    if (!(await recorded.isVisible())) await page.reload();
    await expect(recorded).toBeVisible({ timeout: 10_000 });
  }).toPass({ timeout: 90_000 });
  const release = recorded.getByRole('row').filter({ hasText: '2026.11.9' });
  await expect(release).toContainText('demo-ci');
  await expect(release).not.toContainText('plugin:ops');
  await release.getByRole('link', { name: 'orders-api revision 2' }).click();
  await expect(page).toHaveURL(/#revision-production-orders-orders-api-2$/);
  await expect(
    page.locator('#revision-production-orders-orders-api-2'),
  ).toContainText('registry.example.com/opsdeck/orders-api:2.1.0');
  await expect(
    page.locator('#revision-production-orders-orders-api-2'),
  ).toContainText('2026.11.9 (succeeded)');

  await expect(
    page.getByRole('group', { name: 'Deployment frequency' }),
  ).toContainText(/2 successful production deployments recorded in \d+ days/);
});

test("Backstage's Kubernetes tab shows the demo cluster's pods of orders-api, with no error", async ({
  page,
  request,
}) => {
  test.setTimeout(120_000);
  // the pods as the cluster lists them, read independently of the UI
  const listed = await request.get(
    `${K8S}/api/v1/namespaces/orders/pods?labelSelector=backstage.io%2Fkubernetes-id%3Dorders-api`,
    { headers: { Authorization: `Bearer ${K8S_TOKEN}` } },
  );
  expect(listed.ok()).toBe(true);
  const names: string[] = (await listed.json()).items.map(
    (pod: { metadata: { name: string } }) => pod.metadata.name,
  );
  expect(names).toHaveLength(2);

  await signInAsGuest(page);
  await openOperationsTab(page, 'orders-api');
  const main = page.getByRole('main');
  await main
    .getByRole('tab', { name: 'Kubernetes', exact: true })
    .or(main.getByRole('link', { name: 'Kubernetes', exact: true }))
    .first()
    .click();
  await expect(page).toHaveURL(/\/kubernetes$/);

  // the cluster's summary, then its Deployment's: each an accordion
  const cluster = main
    .getByRole('button')
    .filter({ hasText: 'No pods with errors' })
    .first();
  await expect(cluster).toContainText('2 pods', { timeout: 30_000 });
  await expect(
    page.getByText('There was a problem retrieving Kubernetes objects'),
  ).toHaveCount(0);
  await cluster.click();
  await main
    .getByRole('button')
    .filter({ hasText: 'orders-api' })
    .filter({ hasText: '2 pods' })
    .first()
    .click();
  for (const name of names) {
    await expect(main.getByText(name, { exact: true })).toBeVisible();
  }
});
