import { test, expect, type Page } from '@playwright/test';
import { openOperationsTab, signInAsGuest } from './navigation';

// The Grafana panels card of payments-api (opsdeck.dev/grafana-panels:
// payments-overview:2,4?var-service=payments-api) against the demo's fake
// Grafana (scripts/demo/grafana.sh, started by scripts/e2e.sh), whose embed
// page names the dashboard, panel, time range and variables it was asked for.

function panelFrame(page: Page, panelId: number) {
  return page.frameLocator(
    `iframe[title="payments-overview · panel ${panelId}"]`,
  );
}

function field(page: Page, panelId: number, name: string) {
  return panelFrame(page, panelId).locator(`[data-field="${name}"]`);
}

test('the Operations tab embeds the Grafana panels with one time range', async ({
  page,
}) => {
  // What the fake Grafana was asked for: the embed pages of the panels.
  const embeds: string[] = [];
  page.on('request', request => {
    if (request.url().includes('/d-solo/')) embeds.push(request.url());
  });
  await signInAsGuest(page);
  await openOperationsTab(page, 'payments-api');

  // The card is the tab's last, screens below the first: its panels are not
  // loaded until the user scrolls towards them.
  const card = page.getByText('Grafana panels', { exact: true });
  await expect(card).toBeVisible();
  await expect(card).not.toBeInViewport();
  await page.waitForLoadState('networkidle');
  expect(embeds).toEqual([]);
  await expect(page.locator('iframe')).toHaveCount(0);

  await card.scrollIntoViewIfNeeded();
  for (const panelId of [2, 4]) {
    await expect(
      page.getByText(`payments-overview · panel ${panelId}`, { exact: true }),
    ).toBeVisible();
    await expect(field(page, panelId, 'Dashboard')).toHaveText(
      'payments-overview',
    );
    await expect(field(page, panelId, 'Panel')).toHaveText(String(panelId));
    await expect(field(page, panelId, 'From')).toHaveText('now-1h');
    await expect(field(page, panelId, 'To')).toHaveText('now');
    await expect(field(page, panelId, 'Variable service')).toHaveText(
      'payments-api',
    );
  }

  expect(embeds).toHaveLength(2);
  await page
    .getByRole('group', { name: 'Time range' })
    .getByRole('button', { name: 'Last 24 hours' })
    .click();
  for (const panelId of [2, 4]) {
    await expect(field(page, panelId, 'From')).toHaveText('now-24h');
    await expect(field(page, panelId, 'Panel')).toHaveText(String(panelId));
  }
});

test('the backend lets the app frame the demo Grafana and nothing else', async ({
  request,
}) => {
  // The app's pages get their Content-Security-Policy from the backend
  // (backend.csp); every response of it carries the same header.
  const res = await request.get(
    'http://localhost:7007/.backstage/health/v1/readiness',
  );
  const csp = res.headers()['content-security-policy'] ?? '';
  const frameSrc = csp
    .split(';')
    .map(d => d.trim())
    .find(d => d.startsWith('frame-src '));
  expect(frameSrc).toBe("frame-src 'self' http://127.0.0.1:3100");
});
