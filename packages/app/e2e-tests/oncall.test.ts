import { test, expect } from '@playwright/test';
import { openOperationsTab, signInAsGuest } from './navigation';
import { expectedPrimary, WEEK_MS } from './paymentsApiSchedule';

// On-call, Alertmanager and runbooks on payments-api. The demo Alertmanager
// (scripts/demo/alertmanager.sh, started by scripts/e2e.sh) notifies the
// backend with the demo token of app-config.yaml.

const ALERTMANAGER = 'http://127.0.0.1:9093';

/**
 * The opacity a reader sees: the product of the element's and its
 * ancestors' computed opacities, through shadow roots to their hosts.
 */
function effectiveOpacity(element: Element): number {
  let opacity = 1;
  let node: Element | null = element;
  while (node) {
    opacity *= Number(getComputedStyle(node).opacity);
    node =
      node.parentElement ??
      ((node.getRootNode() as ShadowRoot).host as Element | undefined) ??
      null;
  }
  return opacity;
}

async function postAlert(summary: string, endsAt: Date) {
  const response = await fetch(`${ALERTMANAGER}/api/v2/alerts`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify([
      {
        labels: {
          alertname: 'HighErrorRate',
          service: 'payments-api',
          severity: 'critical',
          // A label of this run's own: its alert is new to Alertmanager.
          e2e_run: summary,
        },
        annotations: { summary },
        startsAt: new Date(Date.now() - 60_000).toISOString(),
        endsAt: endsAt.toISOString(),
        generatorURL: 'http://127.0.0.1:9090/graph',
      },
    ]),
  });
  expect(response.status).toBe(200);
}

test('the on-call card shows who is on call now', async ({ page }) => {
  await signInAsGuest(page);
  await openOperationsTab(page, 'payments-api');

  const primary = page.getByTestId('oncall-primary');
  await expect(primary).toBeVisible();
  const candidates = expectedPrimary(Date.now());
  await expect(primary.getByRole('cell').nth(1)).toHaveText(
    new RegExp(`^(${candidates.join('|')})`),
  );
  await expect(primary).toContainText(/until in \d+ (day|hour|minute)s?/);
  await expect(page.getByTestId('oncall-engineering-manager')).toContainText(
    'Grace Kim',
  );
});

test('an alert posted to Alertmanager opens an incident whose runbook opens in TechDocs', async ({
  page,
}) => {
  test.setTimeout(240_000);
  const summary = `E2E error rate ${Date.now()}`;
  await postAlert(summary, new Date(Date.now() + 10 * 60_000));
  try {
    await signInAsGuest(page);
    await openOperationsTab(page, 'payments-api');

    // The Runbooks card links the alert to its TechDocs page.
    await expect(
      page.getByRole('link', { name: 'HighErrorRate', exact: true }),
    ).toHaveAttribute(
      'href',
      '/docs/default/component/payments-api/runbooks/high-error-rate/',
    );

    // Alertmanager waits group_wait (2 s) before notifying: reload until
    // the incident is listed.
    const incident = page.getByRole('link', {
      name: `HighErrorRate: ${summary}`,
    });
    await expect(async () => {
      if (!(await incident.isVisible())) {
        await page.reload();
      }
      await expect(incident).toBeVisible({ timeout: 5_000 });
    }).toPass({ timeout: 60_000 });
    await incident.click();

    const details = page.getByRole('table', { name: 'Incident details' });
    await expect(details).toContainText('HighErrorRate');
    await expect(details).toContainText('On call when it opened');
    const runbook = details.getByTestId('incident-runbook');
    await expect(runbook).toHaveAttribute(
      'href',
      '/docs/default/component/payments-api/runbooks/high-error-rate/',
    );

    // The runbook opens in TechDocs (built by Debian's mkdocs), and the
    // docs page's own search asks the search backend, which must answer.
    const searchStatuses: number[] = [];
    page.on('response', response => {
      if (response.url().includes('/api/search/query')) {
        searchStatuses.push(response.status());
      }
    });
    await runbook.click();
    await expect(page).toHaveURL(
      /\/docs\/default\/component\/payments-api\/runbooks\/high-error-rate\/?$/,
    );
    const heading = page.getByRole('heading', {
      name: 'High error rate',
      level: 1,
    });
    await expect(heading).toBeVisible({ timeout: 120_000 });
    // toBeVisible ignores opacity: the reader keeps the page at opacity 0
    // until a stylesheet of the site has loaded. The text is readable only
    // when every element up to the page (across the shadow root) is opaque.
    const text = page.getByText(/answered with a 5xx for 5 minutes/);
    for (const element of [heading, text]) {
      await expect
        .poll(() => element.evaluate(effectiveOpacity), { timeout: 30_000 })
        .toBe(1);
      const box = await element.boundingBox();
      expect(box?.width).toBeGreaterThan(0);
      expect(box?.height).toBeGreaterThan(0);
    }
    await expect.poll(() => searchStatuses.length).toBeGreaterThan(0);
    expect(searchStatuses.filter(status => status >= 500)).toEqual([]);
  } finally {
    // Resolve the alert, so the incident is mitigated and the next run opens its own.
    await postAlert(summary, new Date());
  }
});

test('an owner swaps a shift with an override and deletes it again', async ({
  page,
}) => {
  await signInAsGuest(page);
  await openOperationsTab(page, 'payments-api');

  await page.getByRole('button', { name: 'Override (shift swap)' }).click();
  const dialog = page.getByRole('dialog', { name: 'Override on-call' });
  // The submit button waits for the person who takes over.
  await expect(
    dialog.getByRole('button', { name: 'Add override' }),
  ).toBeDisabled();
  await dialog.getByLabel('Who takes over').fill('priya.raman');
  // A run of its own, so that a rerun never meets this run's override.
  const reason = `e2e swap ${Date.now()}`;
  await dialog.getByLabel('Reason').fill(reason);
  await dialog.getByRole('button', { name: 'Add override' }).click();
  await expect(dialog).toBeHidden();

  await expect(
    page.getByText(/^user:default\/priya\.raman is on call \(Primary\) from /),
  ).toBeVisible();
  const overrides = page.getByRole('list', { name: 'Overrides' });
  const item = overrides
    .getByRole('listitem')
    .filter({ hasText: 'user:default/priya.raman' })
    .filter({ hasText: reason });
  await expect(item).toContainText('Primary: user:default/priya.raman');

  await item
    .getByRole('button', {
      name: 'Delete the override of user:default/priya.raman',
    })
    .click();
  await expect(
    page.getByText('Deleted the override of user:default/priya.raman'),
  ).toBeVisible();
  await expect(item).toHaveCount(0);
});

// orders-api is on PagerDuty (pagerduty.com/service-id P7R2QXK): the demo's
// fake PagerDuty (scripts/demo/pagerduty.sh) rotates team-orders weekly from
// Monday 2026-01-05 09:00 UTC, Priya Raman first, the other as secondary.
const ORDERS_ROTATION = ['Priya Raman', 'Tomás Silva'];

/** Who PagerDuty has at a level now; both around a handoff. */
function expectedOrdersOnCall(now: number, level: 0 | 1): string[] {
  const weeks = (now - Date.parse('2026-01-05T09:00:00Z')) / WEEK_MS;
  const person = (k: number) => ORDERS_ROTATION[(k + level) % 2];
  const index = Math.floor(weeks);
  const hoursIntoWeek = (weeks - index) * 7 * 24;
  if (hoursIntoWeek < 0.1) return [person(index - 1), person(index)];
  if (hoursIntoWeek > 7 * 24 - 0.1) return [person(index), person(index + 1)];
  return [person(index)];
}

test("orders-api's on-call comes from PagerDuty, with the catalog's people", async ({
  page,
}) => {
  await signInAsGuest(page);
  await openOperationsTab(page, 'orders-api');

  await expect(page.getByText('PagerDuty: Orders policy')).toBeVisible();
  const now = Date.now();
  for (const [testId, level] of [
    ['oncall-primary', 0],
    ['oncall-secondary', 1],
  ] as const) {
    const cell = page.getByTestId(testId).getByRole('cell').nth(1);
    await expect(cell).toHaveText(
      new RegExp(`^(${expectedOrdersOnCall(now, level).join('|')})`),
    );
    // Matched to the catalog's User by email: the name links to it.
    await expect(cell.getByRole('link').first()).toHaveAttribute(
      'href',
      /\/catalog\/default\/user\/(priya\.raman|tomas\.silva)$/,
    );
  }
  await expect(page.getByTestId('oncall-engineering-manager')).toContainText(
    'Grace Kim',
  );
  await expect(page.getByTestId('oncall-unavailable')).toHaveCount(0);
});

test("orders-api's failed backup drill is re-run from the Drills card with its target filled in", async ({
  page,
}) => {
  await signInAsGuest(page);
  await openOperationsTab(page, 'orders-api');

  // examples/ops-records.yaml: the backup-restore drill of orders-db failed.
  const drills = page.getByRole('table', { name: 'Drills of orders-api' });
  const failed = drills
    .getByRole('row')
    .filter({ hasText: 'Backup restore' })
    .filter({ hasText: 'orders-db' });
  await expect(failed.locator('[data-status]').first()).toHaveAttribute(
    'data-status',
    'failed',
  );
  const rerun = failed.getByRole('button', { name: 'Re-run drill' });
  // A link styled as a button; it appears once the permission check allows.
  await expect(rerun).toHaveAttribute(
    'href',
    /\/create\/templates\/default\/ops-backup-drill\?formData=/,
  );
  await rerun.click();

  await expect(page).toHaveURL(
    /\/create\/templates\/default\/ops-backup-drill/,
  );
  await expect(
    page.getByRole('heading', { name: /Backup and recovery drill/ }).first(),
  ).toBeVisible();
  await expect(
    page.getByRole('combobox', { name: /Database target/ }),
  ).toHaveValue('orders-db');
  const formData = JSON.parse(
    new URL(page.url()).searchParams.get('formData') ?? '{}',
  );
  expect(formData).toMatchObject({
    service: 'component:default/orders-api',
    target: 'orders-db',
  });
});
