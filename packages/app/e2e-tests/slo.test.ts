import { test, expect, type Page } from '@playwright/test';
import fs from 'node:fs/promises';
import path from 'node:path';
import { openOperationsTab, signInAsGuest } from './navigation';

// The SLO card of payments-api against the demo stack (scripts/demo/prometheus.sh, started by
// scripts/e2e.sh). The demo Prometheus keeps at most 2 days of a 28-day window, and a fresh one
// minutes: the card must say how much data its figures rest on and never show budget minutes
// extrapolated from it. "Paging" comes only from Prometheus' own alerts: none while no rule is
// loaded, whatever the burn rate; once OpsDeck's generated rules are loaded, a real firing alert.

const DEMO_SERVICE = 'http://127.0.0.1:9470';
const DEMO_PROMETHEUS = `http://127.0.0.1:${
  process.env.DEMO_PROMETHEUS_PORT ?? '9090'
}`;
const BACKEND = 'http://localhost:7007';
const PAYMENTS_API = 'component:default/payments-api';
/** The rule file this test puts into the demo Prometheus' rule directory, and removes. */
const RULE_FILE = 'opsdeck-e2e-payments-api.yml';

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

async function prometheus<T>(
  endpoint: string,
  params: Record<string, string> = {},
): Promise<T> {
  const res = await fetch(
    `${DEMO_PROMETHEUS}/api/v1/${endpoint}?${new URLSearchParams(params)}`,
  );
  const body = await res.json();
  expect(body.status, JSON.stringify(body)).toBe('success');
  return body.data as T;
}

/** Seconds of payments-api data the demo Prometheus holds (its retention is 2 days). */
async function coveredSeconds(): Promise<number> {
  const data = await prometheus<{ result: Array<{ value: [number, string] }> }>(
    'query',
    {
      query:
        'min(min_over_time(timestamp(http_requests_total{service="payments-api"})[2d:15s]))',
    },
  );
  expect(data.result, 'the demo Prometheus has payments-api data').toHaveLength(
    1,
  );
  return Date.now() / 1000 - Number(data.result[0].value[1]);
}

/** The directory of the demo Prometheus' `rule_files` glob, from its own config. */
async function ruleDirectory(): Promise<string> {
  const { yaml } = await prometheus<{ yaml: string }>('status/config');
  const glob = /rule_files:\s*\n\s*-\s*(\S+)/.exec(yaml)?.[1];
  expect(glob, 'the demo Prometheus reads a rule directory').toBeDefined();
  return path.dirname(glob!);
}

async function reloadPrometheus() {
  const res = await fetch(`${DEMO_PROMETHEUS}/-/reload`, { method: 'POST' });
  expect(res.status, await res.text()).toBe(200);
}

function availability(page: Page) {
  return page.getByTestId('slo-payments-api-availability');
}

/** Reloads the page until the card's element satisfies `check`. */
async function eventually(
  page: Page,
  check: () => Promise<void>,
  timeout: number,
) {
  await expect(async () => {
    await page.reload();
    await check();
  }).toPass({ timeout });
}

async function removeRules() {
  await fs.rm(path.join(await ruleDirectory(), RULE_FILE), { force: true });
  await reloadPrometheus();
}

// Also before: a run stopped midway must not leave its rules loaded.
test.beforeAll(removeRules);

test.afterAll(async () => {
  await setDemoProfile('reset');
  await removeRules();
});

test('an SLO with minutes of data says so and shows no budget minutes', async ({
  page,
}) => {
  test.setTimeout(240_000);
  await setDemoProfile('reset');
  await signInAsGuest(page);
  await openOperationsTab(page, 'payments-api');

  const card = availability(page);
  await expect(card).toContainText(/objective 99\.9 % over (28d|4w)/);
  // Two scrapes (5 s apart) make the first rate; the backend caches 15 s.
  await eventually(
    page,
    () =>
      expect(card.getByTestId('slo-sli')).toContainText(/SLI \d+\.\d+ %/, {
        timeout: 10_000,
      }),
    120_000,
  );

  const coverage = card.getByTestId('slo-coverage');
  await expect(coverage).toContainText(
    /^Based on \d+ (s|min|h|h \d+ min|d|d \d+ h) of data \(of (28d|4w)\)$/,
  );
  // The span is the one Prometheus holds, within the page's refresh.
  const text = (await coverage.textContent()) ?? '';
  const held = await coveredSeconds();
  const minutes = /Based on (\d+) min/.exec(text)?.[1];
  if (minutes !== undefined) {
    expect(Math.abs(Number(minutes) * 60 - held)).toBeLessThan(150);
  }

  // The budget is what that data spent, in per cent: no minutes of a
  // 40-minute budget, no "overspent by 2400 % (-161 h 17 min)".
  const budget = card.getByTestId('slo-budget');
  await expect(budget).toContainText(
    /of the error budget spent in the .+ of data|Error budget overspent by .+ in the .+ of data/,
  );
  await expect(budget).not.toContainText(/\d+ min of \d+ min|\(-?\d+ (h|min)/);

  // The 3-day burn rate rests on less than 3 days of data: marked.
  await expect(card.getByTestId('burn-rate-3d')).toHaveAttribute(
    'data-partial',
    'true',
  );
  await expect(card.getByTestId('burn-rate-legend')).toContainText(
    'the rate is over the data only',
  );
});

test('pages only when a Prometheus alert fires, never from burn rates', async ({
  page,
}) => {
  test.setTimeout(600_000);
  await setDemoProfile('reset');
  await signInAsGuest(page);
  await openOperationsTab(page, 'payments-api');
  const card = availability(page);

  // Half of the requests fail from now on: the 5-minute burn rate passes
  // the page factor (13.44x for 28 days) within seconds of scraping...
  await setDemoProfile({ service: 'payments-api', errorRate: 0.5 });
  await eventually(
    page,
    () =>
      expect(card.getByTestId('burn-rate-5m')).toHaveAttribute(
        'data-state',
        'burning',
        { timeout: 10_000 },
      ),
    150_000,
  );
  // ...and nothing pages: the demo Prometheus has no alerting rule.
  await expect(card.getByTestId('slo-alert-state')).toHaveText(
    'No alerting rules loaded',
  );

  // Load the rules OpsDeck generates for payments-api, as an operator
  // would: the page tier now fires in Prometheus, and the card says so.
  const refresh = await page.request.post(`${BACKEND}/api/auth/guest/refresh`, {
    headers: { 'x-requested-with': 'XMLHttpRequest' },
  });
  expect(refresh.status(), await refresh.text()).toBe(200);
  const { token } = (await refresh.json()).backstageIdentity;
  const rules = await page.request.get(
    `${BACKEND}/api/ops/slos/rules?entityRef=${encodeURIComponent(
      PAYMENTS_API,
    )}`,
    { headers: { authorization: `Bearer ${token}` } },
  );
  expect(rules.status(), await rules.text()).toBe(200);
  await fs.writeFile(
    path.join(await ruleDirectory(), RULE_FILE),
    await rules.text(),
  );
  await reloadPrometheus();

  await eventually(
    page,
    () =>
      expect(card.getByTestId('slo-alert-state')).toHaveAttribute(
        'data-state',
        'page',
        { timeout: 10_000 },
      ),
    240_000,
  );
  await expect(card.getByTestId('slo-alert-state')).toHaveText('Paging');
  await expect(card.getByTestId('slo-alert-state')).toHaveAttribute(
    'title',
    /Firing in Prometheus: SLOErrorBudgetBurn \(page/,
  );
});
