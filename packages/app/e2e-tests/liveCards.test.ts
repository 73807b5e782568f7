import { test, expect, type Browser, type Page } from '@playwright/test';
import {
  declareIncident,
  incidentsTable,
  timelineItem,
} from './incidentActions';
import {
  openOperationsTab,
  runBackupDrillFromCard,
  signInAsGuest,
} from './navigation';

// Live cards: two people on the Operations tab of payments-api. What one does
// (declare an incident, run a backup drill) shows on the other's page at
// once, through Backstage's signals, without a reload. The cards poll only
// every 10 s without signals, so seeing the incident within 2 s is the
// signal's doing.

test.setTimeout(6 * 60_000);

const CHANNEL = 'opsdeck:entity:component:default/payments-api';

/**
 * Opens the Operations tab of payments-api and waits until the page's
 * signals connection has subscribed to the service's channel (the client
 * connects, and reconnects, on its own time).
 */
async function openLiveOperationsTab(page: Page) {
  let subscribed = false;
  page.on('websocket', socket => {
    socket.on('framesent', frame => {
      const payload = String(frame.payload);
      if (payload.includes('"subscribe"') && payload.includes(CHANNEL)) {
        subscribed = true;
      }
    });
  });
  await signInAsGuest(page);
  await openOperationsTab(page, 'payments-api');
  await expect.poll(() => subscribed, { timeout: 30_000 }).toBe(true);
  await markPage(page);
}

/** Gone if the page is loaded again: proves the card changed in place. */
async function markPage(page: Page) {
  await page.evaluate(() => {
    (window as { liveCardsMarker?: boolean }).liveCardsMarker = true;
  });
}

/** A second person on the Operations tab of payments-api. */
async function responderPage(browser: Browser) {
  const responder = await (await browser.newContext()).newPage();
  await signInAsGuest(responder);
  await openOperationsTab(responder, 'payments-api');
  return responder;
}

async function expectNotReloaded(page: Page) {
  expect(
    await page.evaluate(
      () => (window as { liveCardsMarker?: boolean }).liveCardsMarker,
    ),
  ).toBe(true);
}

test('incidents and a running drill show on another open page without a reload', async ({
  browser,
}) => {
  const responder = await (await browser.newContext()).newPage();
  const watcher = await (await browser.newContext()).newPage();
  await openLiveOperationsTab(responder);
  await openLiveOperationsTab(watcher);

  // An incident declared by the responder is on the watcher's card in 2 s.
  const title = `E2E live incident ${Date.now()}`;
  await declareIncident(responder, title);
  await expect(
    incidentsTable(watcher, 'payments-api')
      .getByRole('row')
      .filter({ hasText: title }),
  ).toBeVisible({ timeout: 2_000 });
  await expectNotReloaded(watcher);

  // A backup drill run by the responder: the watcher's Drills card shows its
  // steps as they start and finish.
  const startedAt = Date.now();
  const run = runBackupDrillFromCard(responder, {
    service: 'payments-api',
    target: 'payments-db',
  });
  const drills = watcher.getByRole('table', { name: 'Drills of payments-api' });
  const steps = drills.getByRole('list', {
    name: 'Steps of the running backup restore of payments-db',
  });
  await expect(steps).toBeVisible({ timeout: 60_000 });
  // A step running, then more steps as the drill goes on, each finished one
  // marked succeeded.
  await expect(steps.locator('[data-status="running"]')).toBeVisible();
  const seen = new Set<string>();
  await expect(async () => {
    for (const item of await steps.getByRole('listitem').allInnerTexts()) {
      seen.add(item);
    }
    expect(
      [...seen].filter(item => item.includes('succeeded')).length,
    ).toBeGreaterThanOrEqual(2);
  }).toPass({ timeout: 4 * 60_000, intervals: [250] });
  await run;

  // Finished: the watcher's newest drill passed, steps no longer listed.
  const newest = drills.getByRole('row').nth(1);
  await expect(newest.locator('[data-status]').first()).toHaveAttribute(
    'data-status',
    'passed',
  );
  await expect(steps).toBeHidden();
  const recordedAt = Date.parse(
    (await newest.locator('time').getAttribute('datetime')) ?? '',
  );
  expect(recordedAt).toBeGreaterThanOrEqual(startedAt - 1000);
  await expectNotReloaded(watcher);
});

test('a change whose signal was lost shows once the browser is back online', async ({
  browser,
}) => {
  const responder = await responderPage(browser);

  // The watcher's signals connection loses every message from the backend,
  // as one does while it is down or not yet subscribed.
  const watcherContext = await browser.newContext();
  const watcher = await watcherContext.newPage();
  await watcher.routeWebSocket(/\/api\/signals/, socket => {
    socket.connectToServer().onMessage(() => {});
  });
  await signInAsGuest(watcher);
  await openOperationsTab(watcher, 'payments-api');
  await markPage(watcher);

  // The watcher's network drops; meanwhile an incident is declared and its
  // signal never reaches the watcher's card.
  await watcherContext.setOffline(true);
  const title = `E2E lost signal ${Date.now()}`;
  await declareIncident(responder, title);
  const row = incidentsTable(watcher, 'payments-api')
    .getByRole('row')
    .filter({ hasText: title });
  await expect(row).toBeHidden();

  // Back online, the card reads its incidents again (it would otherwise only
  // in 30 s, on its safety net's timer).
  await watcherContext.setOffline(false);
  await expect(row).toBeVisible({ timeout: 5_000 });
  await expectNotReloaded(watcher);
});

test('a note being typed stays open when the incident page cannot read a change made elsewhere', async ({
  browser,
}) => {
  const responder = await responderPage(browser);
  const title = `E2E note kept ${Date.now()}`;
  await declareIncident(responder, title);
  await incidentsTable(responder, 'payments-api')
    .getByRole('row')
    .filter({ hasText: title })
    .getByRole('link', { name: title })
    .click();
  await expect(responder).toHaveURL(/\/ops\/incidents\/[^/]+$/);
  const incidentPath = new URL(responder.url()).pathname;
  const id = incidentPath.split('/').pop();

  // The watcher starts a note on the same incident.
  const watcher = await (await browser.newContext()).newPage();
  await signInAsGuest(watcher);
  await watcher.goto(incidentPath);
  await expect(watcher.getByRole('heading', { name: title })).toBeVisible();
  await watcher.getByRole('button', { name: 'Add note', exact: true }).click();
  const dialog = watcher.getByRole('dialog', { name: /^Add note/ });
  const note = `Checked the pool (${Date.now()})`;
  await dialog.getByRole('textbox', { name: /Note/ }).fill(note);

  // The responder changes the status; the watcher's page reads the incident
  // again and meets a backend that is restarting.
  let failedReads = 0;
  await watcher.route(
    url => url.pathname.endsWith(`/api/ops/incidents/${id}`),
    route => {
      failedReads += 1;
      return route.fulfill({
        status: 503,
        json: {
          error: {
            name: 'ServiceUnavailableError',
            message: 'The backend is restarting',
          },
          response: { statusCode: 503 },
        },
      });
    },
    { times: 1 },
  );
  await responder
    .getByRole('combobox', { name: 'Status' })
    .selectOption('investigating');
  await expect.poll(() => failedReads).toBe(1);

  // A second change, which the watcher's page reads: the note is still open,
  // with its text. (Behind the open dialog the page is aria-hidden.)
  await responder.getByRole('button', { name: 'Response started' }).click();
  await expect(
    watcher
      .getByRole('table', { name: 'Incident details', includeHidden: true })
      .getByRole('row', { name: /^Response started/, includeHidden: true }),
  ).not.toContainText('not yet');
  await expect(dialog.getByRole('textbox', { name: /Note/ })).toHaveValue(note);

  // The note is added.
  await dialog.getByRole('button', { name: 'Add note', exact: true }).click();
  await expect(dialog).toBeHidden();
  const timeline = watcher.getByRole('list', { name: 'Timeline' });
  await expect(timelineItem(timeline, watcher, 'Note')).toContainText(note);
});
