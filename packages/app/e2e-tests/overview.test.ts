import { test, expect, type Locator, type Page } from '@playwright/test';
import {
  declareIncident,
  incidentsTable,
  timelineItem,
} from './incidentActions';
import { openEntityTab, openOperationsTab, signInAsGuest } from './navigation';
import { expectedPrimary } from './paymentsApiSchedule';

// What an on-call engineer sees first: the top of the Operations tab, the
// OpsDeck card of the Overview tab, and long incident titles kept inside
// their boxes.

// Each test signs in and walks catalog -> entity -> tab; the dev server
// compiles a tab's code on its first visit (lazy compilation), and the
// machine is shared: 90 s is too tight for the first of them.
test.describe.configure({ timeout: 180_000 });

/** What a card shows while it loads: Backstage's Progress, MUI's spinner. */
const LOADING_INDICATOR =
  '[data-testid="progress"], [role="progressbar"]:not([aria-valuenow])';

/** A card's title on the page, by its exact text. */
function cardTitle(page: Page, title: string) {
  return page
    .getByRole('main')
    .locator('.MuiCardHeader-title')
    .filter({ hasText: new RegExp(`^${title}$`) });
}

/** The open incidents as the Incidents card lists them, newest first. */
async function openIncidentsListed(page: Page, service: string) {
  const table = incidentsTable(page, service);
  await expect(table.getByRole('row').nth(1)).toBeVisible();
  const rows = await table.getByRole('row').evaluateAll(elements =>
    elements.map(row => {
      const cells = Array.from(row.querySelectorAll('td'));
      return {
        severity: (cells[0]?.textContent ?? '').trim(),
        // The title is the cell's link; its age is written under it.
        title: (cells[1]?.querySelector('a')?.textContent ?? '').trim(),
      };
    }),
  );
  const open: { severity: string; title: string }[] = [];
  // Past the header, until the card's "Recently resolved" divider.
  for (const row of rows.slice(1)) {
    if (!row.title) break;
    open.push(row);
  }
  return open;
}

/** Whether `inner` is drawn inside `outer` (to the pixel) and cut short. */
async function fitsAndTruncates(inner: Locator, outer: Locator) {
  const [innerBox, outerBox] = [
    await inner.boundingBox(),
    await outer.boundingBox(),
  ];
  const truncated = await inner.evaluate(
    element => element.scrollWidth > element.clientWidth,
  );
  return {
    inside:
      innerBox !== null &&
      outerBox !== null &&
      innerBox.x >= outerBox.x - 1 &&
      innerBox.x + innerBox.width <= outerBox.x + outerBox.width + 1,
    truncated,
  };
}

test("payments-api's Overview says who is on call and what is open", async ({
  page,
}) => {
  await signInAsGuest(page);
  // The most severe open incident as the Operations tab lists them (the
  // severities sort as SEV1 first; among equals the oldest, listed last).
  await openOperationsTab(page, 'payments-api');
  const open = await openIncidentsListed(page, 'payments-api');
  expect(open.map(i => i.title)).toContain('Elevated 5xx on refunds');
  const worst = open.reduce((a, b) => (b.severity <= a.severity ? b : a));

  await openEntityTab(page, 'Overview');

  const onCall = page.getByRole('region', { name: 'On call now' });
  await expect(onCall).toHaveText(
    new RegExp(`Primary: (${expectedPrimary(Date.now()).join('|')})$`),
  );

  const incidents = page.getByRole('region', { name: 'Open incidents' });
  await expect(incidents).toContainText(
    `${open.length} open${open.length > 1 ? ', the most severe' : ''}`,
  );
  await expect(incidents).toContainText(worst.severity);
  const link = incidents.getByRole('link', { name: worst.title });
  await expect(link).toBeVisible();

  await expect(page.getByRole('region', { name: 'SLOs' })).toContainText(
    /\d of 3 meet their objective/,
  );
  // The seeded drills, or one the drill and failover tests ran.
  await expect(page.getByRole('region', { name: 'Last drill' })).toHaveText(
    /(passed|failed|running|aborted)(Backup restore|Failover) of payments-db.+(ago|just now)$/,
  );

  await link.click();
  await expect(page).toHaveURL(/\/ops\/incidents\/[^/]+$/);
  await expect(page.getByRole('heading', { name: worst.title })).toBeVisible();
});

test('a 200-character title stays inside the message and the timeline, whole on hover', async ({
  page,
}) => {
  const words = `E2E ${Date.now()} checkout latency above its objective in every region while the fraud check retries`;
  const title = words.repeat(4).slice(0, 200);
  expect(title).toHaveLength(200);

  await signInAsGuest(page);
  await openOperationsTab(page, 'payments-api');
  await declareIncident(page, title);

  // The message after declaring, in the Incidents card.
  const declared = page
    .getByRole('alert')
    .filter({ hasText: 'Declared' })
    .locator('[title^="Declared"]');
  await expect(declared).toBeVisible();
  expect(await declared.getAttribute('title')).toContain(`“${title}”`);
  const card = page
    .getByRole('main')
    .locator('.MuiCard-root')
    .filter({ has: incidentsTable(page, 'payments-api') });
  expect(await fitsAndTruncates(declared, card)).toEqual({
    inside: true,
    truncated: true,
  });

  // The timeline of its page.
  await incidentsTable(page, 'payments-api')
    .getByRole('link', { name: title })
    .click();
  const timeline = page.getByRole('list', { name: 'Timeline' });
  const entry = timelineItem(timeline, page, 'Declared').locator(
    '[title^="Declared"]',
  );
  await entry.hover();
  expect(await entry.getAttribute('title')).toBe(`Declared SEV4: ${title}`);
  expect(await fitsAndTruncates(entry, timeline)).toEqual({
    inside: true,
    truncated: true,
  });

  // Resolved again, so no other test sees it open.
  const status = page.getByRole('combobox', { name: 'Status' });
  await expect(status).toBeEnabled();
  await status.selectOption('resolved');
  await expect(status).toHaveValue('resolved');
});

test("the Operations tab's cards appear together, with their data", async ({
  page,
}) => {
  await signInAsGuest(page);
  await openOperationsTab(page, 'payments-api');
  const titles = await page
    .getByRole('main')
    .locator('.MuiCardHeader-title')
    .allTextContents();
  expect(titles).toContain('Deployments');
  await openEntityTab(page, 'Overview');
  await expect(cardTitle(page, 'Deployments')).toHaveCount(0);

  // What the page showed of the tab after each change of its DOM: the card
  // titles in <main>, and those of cards showing a loading indicator.
  await page.evaluate(loadingIndicator => {
    const seen: { titles: string[]; loading: string[] }[] = [];
    (window as any).__tabShown = seen;
    const titleOf = (card: Element) =>
      card.querySelector('.MuiCardHeader-title')?.textContent?.trim() ?? '';
    new MutationObserver(() => {
      const cards = Array.from(
        document.querySelectorAll('main .MuiCard-root'),
      ).filter(card => titleOf(card));
      if (cards.length === 0) return;
      seen.push({
        titles: cards.map(titleOf),
        loading: cards
          .filter(card => card.querySelector(loadingIndicator))
          .map(titleOf),
      });
    }).observe(document.body, { childList: true, subtree: true });
    // And how long the tab's reads took: the tab waits for them for at most
    // TAB_READS_WAIT_MS (300 ms, useTabReads), then shows the cards whose
    // read is slower with a loading indicator, as it should.
    const reads: { start: number; end: number }[] = [];
    (window as any).__tabReads = reads;
    new PerformanceObserver(list => {
      for (const entry of list.getEntries()) {
        if (new URL(entry.name).pathname.startsWith('/api/ops/'))
          reads.push({
            start: entry.startTime,
            end: (entry as PerformanceResourceTiming).responseEnd,
          });
      }
    }).observe({ type: 'resource' });
    (window as any).__beforeClick = performance.now();
  }, LOADING_INDICATOR);
  await openEntityTab(page, 'Operations');
  await expect(cardTitle(page, 'Deployments')).toBeVisible();

  const shown: { titles: string[]; loading: string[] }[] = await page.evaluate(
    () => (window as any).__tabShown,
  );
  // The first change that showed any of the Operations tab's cards showed
  // them all.
  const firstOps = shown.find(s => s.titles.includes('Deployments'));
  expect(firstOps?.titles).toEqual(titles);

  // No card ever showed a loading indicator: each appeared with its data,
  // and none moved the others down when its data came. Unless the machine
  // is so slow that the tab's first reads (those started with it, within
  // 50 ms of the first) came close to the 300 ms the tab waits for them:
  // their answers still have to be parsed and rendered.
  await expect(
    page.getByRole('main').locator(LOADING_INDICATOR),
    'every card shows its data',
  ).toHaveCount(0);
  const reads: { start: number; end: number }[] = await page.evaluate(() =>
    (window as any).__tabReads.filter(
      (read: { start: number }) => read.start >= (window as any).__beforeClick,
    ),
  );
  expect(reads.length, "the tab's reads were seen").toBeGreaterThan(0);
  const tabStart = Math.min(...reads.map(r => r.start));
  const firstWave = reads.filter(r => r.start < tabStart + 50);
  const slowest = Math.max(...firstWave.map(r => r.end)) - tabStart;
  const afterClick = shown.slice(shown.indexOf(firstOps!));
  if (slowest <= 250) {
    expect(afterClick.flatMap(s => s.loading)).toEqual([]);
  } else {
    test.info().annotations.push({
      type: 'not checked',
      description: `no loading indicator: the tab's reads took ${Math.round(
        slowest,
      )} ms, close to the 300 ms the tab waits for them`,
    });
  }
});

test.describe('on a 1280×800 screen', () => {
  test.use({ viewport: { width: 1280, height: 800 } });

  test('the Operations tab opens on the incidents and who is on call', async ({
    page,
  }) => {
    await signInAsGuest(page);
    await openOperationsTab(page, 'payments-api');

    for (const title of ['Incidents', 'On call']) {
      const heading = cardTitle(page, title);
      await expect(heading).toBeVisible();
      const box = await heading.boundingBox();
      expect(box, `${title} is drawn`).not.toBeNull();
      expect(box!.y, `${title} starts on screen`).toBeGreaterThanOrEqual(0);
      expect(
        box!.y + box!.height,
        `${title} is in the first 800 px, without scrolling`,
      ).toBeLessThanOrEqual(800);
    }
  });
});
