/*
 * The loads `yarn bench:ui` times in headless Chromium: cold load, warm
 * reload and in-app navigation, each until the tab is done (bench/ui/dom.mjs).
 */

import { chromium } from '@playwright/test';
import fs from 'node:fs';
import {
  BUSY_SELECTOR,
  cardHeaders,
  clockInput,
  doneWhen,
  errorPanels,
  HEADER_SELECTOR,
  pageClock,
  tabDone,
} from './dom.mjs';
import { recordTraffic } from './traffic.mjs';

// As playwright.config.ts: Debian's Chromium, the e2e tests' window size.
const VIEWPORT = { width: 1440, height: 900 };
const DONE_TIMEOUT = 60_000;

export function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
  });
}

/**
 * Signs in as the guest once (packages/app/e2e-tests/navigation.ts) and
 * returns the browser storage that keeps a returning user signed in: cold
 * loads start from it with an empty HTTP cache, as a user who comes back.
 */
export async function signedInState(browser, baseURL) {
  const context = await browser.newContext({ baseURL, viewport: VIEWPORT });
  const page = await context.newPage();
  await page.goto('/');
  await page.getByRole('button', { name: 'Enter' }).click();
  await page
    .getByRole('navigation', { name: 'sidebar nav' })
    .getByRole('link', { name: 'Catalog', exact: true })
    .waitFor({ timeout: DONE_TIMEOUT });
  const state = await context.storageState();
  await context.close();
  return state;
}

/**
 * Opens a tab and waits until it has settled: card headers on screen, nothing
 * loading, the network quiet, and the same headers 2 s later. Returns those
 * headers, what every measured load of the tab must show. Leaves a
 * screenshot, the HTML and the console's errors at `evidence`.* to see why
 * when a header is missing.
 */
export async function calibrate(
  browser,
  { baseURL, storageState, path, evidence },
) {
  const context = await browser.newContext({
    baseURL,
    storageState,
    viewport: VIEWPORT,
  });
  const consoleErrors = [];
  try {
    const page = await context.newPage();
    page.on(
      'console',
      m => m.type() === 'error' && consoleErrors.push(m.text()),
    );
    page.on('pageerror', e => consoleErrors.push(String(e)));
    await page.goto(path, { waitUntil: 'commit' });
    const settled = { selector: HEADER_SELECTOR, busy: BUSY_SELECTOR };
    let headers = [];
    const giveUpAt = Date.now() + DONE_TIMEOUT;
    for (;;) {
      await page
        .waitForFunction(
          ({ selector, busy }) => {
            const main = document.querySelector('main');
            return (
              main &&
              !main.querySelector(busy) &&
              main.querySelector(selector) !== null
            );
          },
          settled,
          { polling: 100, timeout: Math.max(1, giveUpAt - Date.now()) },
        )
        .catch(() => {});
      await page.waitForLoadState('networkidle');
      await page.waitForTimeout(2000);
      const now = await page.evaluate(cardHeaders, HEADER_SELECTOR);
      const quiet = await page.evaluate(tabDone, { ...settled, expected: now });
      if (
        (quiet && now.join('|') === headers.join('|')) ||
        Date.now() > giveUpAt
      )
        break;
      headers = now;
    }
    await page.screenshot({ path: `${evidence}.png`, fullPage: true });
    fs.writeFileSync(`${evidence}.html`, await page.content());
    return { headers, errors: await page.evaluate(errorPanels) };
  } finally {
    fs.writeFileSync(`${evidence}.console.log`, consoleErrors.join('\n'));
    await context.close();
  }
}

/**
 * Times `action` until the tab shows `expected`, with its traffic, on two
 * clocks:
 * - `pageMs`, the page's: from the navigation's start (a load) or the click's
 *   pointerdown (`startsAt: 'input'`) to the first animation frame in which
 *   the tab is done: what a user waits;
 * - `ms`, the bench's: from the call to `action` until Playwright has seen the
 *   tab done. For a click it adds Playwright's own steps before the click
 *   (waiting two animation frames for the tab to be stable, scrolling it into
 *   view, moving the mouse), which no user waits for.
 */
async function timed(page, traffic, expected, action, { startsAt } = {}) {
  traffic.take();
  if (startsAt === 'input') await page.evaluate(clockInput);
  const t0 = performance.now();
  await action();
  await page.waitForFunction(
    doneWhen({ expected, selector: HEADER_SELECTOR, busy: BUSY_SELECTOR }),
    undefined,
    { polling: 'raf', timeout: DONE_TIMEOUT },
  );
  const ms = performance.now() - t0;
  const { inputAt, doneAt } = await page.evaluate(pageClock);
  if (startsAt === 'input' && inputAt === undefined) {
    throw new Error('the click reached the page without a pointerdown');
  }
  const pageMs = doneAt - (startsAt === 'input' ? inputAt : 0);
  const errors = await page.evaluate(errorPanels);
  return { ms, pageMs, errors, ...traffic.take() };
}

async function newPage(browser, { baseURL, storageState }) {
  const context = await browser.newContext({
    baseURL,
    storageState,
    viewport: VIEWPORT,
  });
  const page = await context.newPage();
  const traffic = await recordTraffic(page);
  return { context, page, traffic };
}

/** One cold load (new context, empty cache) and one warm reload of a tab. */
export async function coldAndWarm(browser, options, tab) {
  const { context, page, traffic } = await newPage(browser, options);
  try {
    const cold = await timed(page, traffic, tab.headers, () =>
      page.goto(tab.path, { waitUntil: 'commit' }),
    );
    // What the first load started after "done" (lazy chunks, late requests)
    // must not be counted in the reload.
    await page.waitForLoadState('networkidle');
    const warm = await timed(page, traffic, tab.headers, () =>
      page.reload({ waitUntil: 'commit' }),
    );
    return { cold, warm };
  } finally {
    await traffic.stop();
    await context.close();
  }
}

/**
 * Opens `from` cold, then clicks the tab named `to.tabName` in the entity
 * page (navigation.ts's openEntityTab): the in-app navigation a user makes.
 */
export async function navigation(browser, options, from, to) {
  const { context, page, traffic } = await newPage(browser, options);
  try {
    await timed(page, traffic, from.headers, () =>
      page.goto(from.path, { waitUntil: 'commit' }),
    );
    await page.waitForLoadState('networkidle');
    const main = page.getByRole('main');
    const tab = main
      .getByRole('tab', { name: to.tabName, exact: true })
      .or(main.getByRole('link', { name: to.tabName, exact: true }))
      .first();
    await tab.waitFor();
    return await timed(page, traffic, to.headers, () => tab.click(), {
      startsAt: 'input',
    });
  } finally {
    await traffic.stop();
    await context.close();
  }
}
