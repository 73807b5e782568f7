import path from 'node:path';
import { test, expect, type Page } from '@playwright/test';
import { openOperationsTab, signInAsGuest } from './navigation';

// What the tab looked like, for a failed run; the README's pictures are
// taken by docs/screenshots/take.spec.ts.
const SCREENSHOT = path.resolve(__dirname, '../../../.run/operations-tab.png');

function readinessItem(page: Page, title: string) {
  return page.getByRole('listitem').filter({ hasText: title });
}

test('payments-api has every operational readiness item in place', async ({
  page,
}) => {
  await signInAsGuest(page);
  await openOperationsTab(page, 'payments-api');

  await expect(page.getByText('7 of 7 in place')).toBeVisible();
  for (const title of [
    'SLOs defined',
    'Runbooks linked',
    'On-call schedule',
    'Dashboards',
    'Rollback plan (Kubernetes deployment)',
    'Database targets with drills',
    // Its SEV1/SEV2 incidents' post-mortems are published, none overdue.
    'Learning from incidents',
  ]) {
    await expect(
      readinessItem(page, title).getByRole('img', { name: 'present' }),
      `"${title}" is present`,
    ).toBeVisible();
  }
  // Live: the SLOs are evaluated on the demo Prometheus (scripts/demo/prometheus.sh).
  await expect(readinessItem(page, 'SLOs defined')).toContainText(
    "3 SLOs defined and evaluating on Prometheus 'default'",
  );

  await page.screenshot({ path: SCREENSHOT, fullPage: true });
});

test('search-api shows what is missing and links to how to add it', async ({
  page,
}) => {
  await signInAsGuest(page);
  await openOperationsTab(page, 'search-api');

  // In place: the rollback plan, and the learning from incidents (no
  // post-mortem or action item overdue).
  await expect(page.getByText('2 of 7 in place')).toBeVisible();
  for (const title of [
    'Rollback plan (Kubernetes deployment)',
    'Learning from incidents',
  ]) {
    await expect(
      readinessItem(page, title).getByRole('img', { name: 'present' }),
      `"${title}" is present`,
    ).toBeVisible();
  }
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

test('no table cell of the Operations tab breaks a word in the middle', async ({
  page,
}) => {
  await signInAsGuest(page);
  await openOperationsTab(page, 'payments-api');
  // The narrow cards' tables, loaded.
  await expect(
    page
      .getByRole('table', { name: 'Drills of payments-api' })
      .getByRole('row')
      .nth(1),
  ).toBeVisible();
  await expect(
    page
      .getByRole('table', { name: 'Recorded deployments' })
      .getByRole('row')
      .nth(1),
  ).toBeVisible();

  // A word drawn on two lines has client rectangles at two heights. Words
  // are runs of letters and digits: a line may end after a hyphen, a slash
  // or a dot (payments-/api), as typography allows, and inside <code>.
  const broken = await page.evaluate(() => {
    const found: string[] = [];
    const cells = document.querySelectorAll('main table th, main table td');
    for (const cell of Array.from(cells)) {
      const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        if (node.parentElement?.closest('code')) {
          continue;
        }
        const text = node.textContent ?? '';
        for (const match of text.matchAll(/[\p{L}\p{N}]+/gu)) {
          const range = document.createRange();
          range.setStart(node, match.index!);
          range.setEnd(node, match.index! + match[0].length);
          const lines = new Set(
            Array.from(range.getClientRects())
              .filter(rect => rect.width > 0)
              .map(rect => Math.round(rect.top)),
          );
          if (lines.size > 1) {
            found.push(match[0]);
          }
        }
      }
    }
    return found;
  });
  expect(broken).toEqual([]);
});
