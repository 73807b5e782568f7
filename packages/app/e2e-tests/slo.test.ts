import { test, expect, type Page } from '@playwright/test';
import { openOperationsTab, signInAsGuest } from './navigation';

// The SLO card of payments-api against the demo stack (scripts/demo/prometheus.sh, started by
// scripts/e2e.sh): live values from the demo Prometheus, and a burn-rate badge that turns red
// when the demo service is told to fail half of payments-api's requests.

const DEMO_SERVICE = 'http://127.0.0.1:9470';

async function setDemoProfile(body: object | 'reset') {
  const res = await fetch(
    body === 'reset'
      ? `${DEMO_SERVICE}/profile/reset`
      : `${DEMO_SERVICE}/profile`,
    {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: body === 'reset' ? undefined : JSON.stringify(body),
    },
  );
  expect(res.status, await res.text()).toBe(200);
}

function availability(page: Page) {
  return page.getByTestId('slo-payments-api-availability');
}

test.afterAll(async () => {
  await setDemoProfile('reset');
});

test('the SLO card shows live values and a burning badge when errors go up', async ({
  page,
}) => {
  test.setTimeout(780_000);
  await setDemoProfile('reset');
  await signInAsGuest(page);
  await openOperationsTab(page, 'payments-api');

  const card = availability(page);
  await expect(card).toContainText(/objective 99\.9 % over (28d|4w)/);
  // The demo Prometheus needs two scrapes (5 s apart) before a rate exists;
  // the backend caches 15 s: reload until the SLI is a number.
  await expect(async () => {
    await page.reload();
    await expect(card.getByTestId('slo-sli')).toContainText(/SLI \d+\.\d+ %/, {
      timeout: 10_000,
    });
  }).toPass({ timeout: 120_000 });
  // The demo keeps its data between runs: the budget may already be spent
  // by an earlier run, and its errors leave the 5-minute window within 5
  // minutes of the reset above.
  await expect(card.getByTestId('slo-budget')).toContainText(
    /of the error budget left|Error budget overspent/,
  );
  await expect(async () => {
    await page.reload();
    await expect(card.getByTestId('burn-rate-5m')).toHaveAttribute(
      'data-state',
      'ok',
      { timeout: 10_000 },
    );
  }).toPass({ timeout: 360_000 });

  // Half of the requests fail from now on: the 5-minute burn rate passes
  // the page factor (13.44x for 28 days) within seconds of scraping.
  await setDemoProfile({ service: 'payments-api', errorRate: 0.5 });
  await expect(async () => {
    await page.reload();
    await expect(card.getByTestId('burn-rate-5m')).toHaveAttribute(
      'data-state',
      'burning',
      { timeout: 10_000 },
    );
  }).toPass({ timeout: 150_000 });
  // The page tier also needs 13.44x over the last hour, which takes a
  // little longer when the demo has been running for a while.
  await expect(async () => {
    await page.reload();
    await expect(card.getByTestId('slo-alert-state')).toHaveAttribute(
      'data-state',
      'page',
      { timeout: 10_000 },
    );
  }).toPass({ timeout: 120_000 });
});
