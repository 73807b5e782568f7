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
  await signInAsGuest(page);
  await openOperationsTab(page, 'payments-api');

  await expect(page.getByText('Grafana panels', { exact: true })).toBeVisible();
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
