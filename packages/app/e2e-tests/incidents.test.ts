import { test, expect } from '@playwright/test';
import {
  declareIncident,
  incidentsTable,
  showsLabelsWhole,
  timelineItem,
} from './incidentActions';
import { openOperationsTab, sidebar, signInAsGuest } from './navigation';

// Incidents and drills on the Operations tab of payments-api, which the guest
// user may operate (examples/org.yaml makes the guest a member of its team).
// Every run declares incidents of its own, with a unique title, so runs
// against the same backend do not see each other's.

test('an incident is declared, worked on and resolved from the Operations tab', async ({
  page,
}) => {
  const title = `E2E checkout errors ${Date.now()}`;
  const note = `Rolled back to the previous release (${Date.now()})`;

  await signInAsGuest(page);
  await openOperationsTab(page, 'payments-api');
  await declareIncident(page, title);

  // It is listed among the open incidents of the service.
  const row = incidentsTable(page, 'payments-api')
    .getByRole('row')
    .filter({ hasText: title });
  await expect(row).toBeVisible();
  await expect(row.getByRole('combobox', { name: 'Status' })).toHaveValue(
    'open',
  );
  await expect(row).toContainText('opened');
  // Beside the on-call card, the row still has room for any status whole
  // (not "Inv" for Investigating) and its actions on screen, not behind a
  // sideways scroll.
  const rowStatus = row.getByRole('combobox', { name: 'Status' });
  await rowStatus.scrollIntoViewIfNeeded();
  expect(await showsLabelsWhole(rowStatus)).toBe(true);
  await expect(row.getByRole('button', { name: 'Add note' })).toBeInViewport({
    ratio: 1,
  });

  // Its page.
  await row.getByRole('link', { name: title }).click();
  await expect(page).toHaveURL(/\/ops\/incidents\/[^/]+$/);
  await expect(page.getByRole('heading', { name: title })).toBeVisible();
  const details = page.getByRole('table', { name: 'Incident details' });
  await expect(details.getByRole('row', { name: /^Service/ })).toContainText(
    'Payments API',
  );

  const timeline = page.getByRole('list', { name: 'Timeline' });
  await expect(timelineItem(timeline, page, 'Declared')).toContainText(title);

  // Each change waits for the previous one: the status control stays
  // disabled until the incident is reloaded at its new version.
  const status = page.getByRole('combobox', { name: 'Status' });
  await status.selectOption('investigating');
  await expect(
    timelineItem(timeline, page, 'Status changed').filter({
      hasText: 'investigating',
    }),
  ).toBeVisible();
  await expect(status).toBeEnabled();
  await expect(status).toHaveValue('investigating');

  // What the runbooks ask responders to keep on the incident: when the
  // response started (against the severity's target) and who commands it,
  // a person picked from the catalog.
  await page.getByRole('button', { name: 'Response started' }).click();
  await expect(
    timelineItem(timeline, page, 'Updated').filter({
      hasText: 'Response started',
    }),
  ).toBeVisible();
  await expect(
    details.getByRole('row', { name: /^Response started/ }),
  ).not.toContainText('not yet');
  await page
    .getByRole('button', { name: 'Commander, severity, root cause' })
    .click();
  const edit = page.getByRole('dialog', {
    name: /^Commander, severity and root cause/,
  });
  await edit.getByRole('textbox', { name: 'Commander' }).fill('Amara');
  await page
    .getByRole('option', { name: 'Amara Okafor (amara.okafor)' })
    .click();
  await edit.getByRole('button', { name: 'Save' }).click();
  await expect(edit).toBeHidden();
  await expect(
    timelineItem(timeline, page, 'Updated').filter({
      hasText: 'Commander none → user:default/amara.okafor',
    }),
  ).toBeVisible();
  await expect(details.getByRole('row', { name: /^Commander/ })).toContainText(
    /Amara Okafor|amara\.okafor/,
  );
  await expect(status).toBeEnabled();

  await status.selectOption('resolved');
  await expect(
    timelineItem(timeline, page, 'Status changed').filter({
      hasText: 'resolved',
    }),
  ).toBeVisible();
  await expect(status).toHaveValue('resolved');
  await expect(details.getByRole('row', { name: /^Resolved/ })).toContainText(
    'target',
  );

  await page.getByRole('button', { name: 'Add note', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: /^Add note/ });
  await dialog.getByRole('textbox', { name: /Note/ }).fill(note);
  await dialog.getByRole('button', { name: 'Add note', exact: true }).click();
  await expect(dialog).toBeHidden();
  await expect(timelineItem(timeline, page, 'Note')).toContainText(note);

  // The timeline tells it in order: declared, investigating, resolved, note.
  const entries = await timeline.getByRole('listitem').allTextContents();
  const positions = [
    entries.findIndex(text => text.includes(title)),
    entries.findIndex(text => /investigating/.test(text)),
    entries.findIndex(text => /resolved/.test(text)),
    entries.findIndex(text => text.includes(note)),
  ];
  expect(positions).not.toContain(-1);
  expect([...positions].sort((a, b) => a - b)).toEqual(positions);
});

test('the Operations page lists open incidents across services', async ({
  page,
}) => {
  const title = `E2E slow refunds ${Date.now()}`;

  await signInAsGuest(page);
  await openOperationsTab(page, 'payments-api');
  await declareIncident(page, title);
  await expect(
    incidentsTable(page, 'payments-api').getByRole('link', { name: title }),
  ).toBeVisible();

  await sidebar(page)
    .getByRole('link', { name: 'Operations', exact: true })
    .click();
  await expect(page).toHaveURL(/\/ops$/);
  const row = page
    .getByRole('table', { name: 'Incidents', exact: true })
    .getByRole('row')
    .filter({ hasText: title });
  await expect(row).toContainText('Payments API');
  await expect(row).toContainText('Open');

  await row.getByRole('link', { name: title }).click();
  await expect(page.getByRole('heading', { name: title })).toBeVisible();
});

// Backstage's notifications sidebar item answers every change of the
// document's title with a state update (backstage/backstage#24866), and
// OpsDeck's pages set their title while they first render: /ops once stayed
// on its spinner for good on most loads. Each load here is a new tab, as when
// a person opens a link from a page or from Slack.
test('the OpsDeck pages render on every load while unread notifications are counted in the title', async ({
  page,
  context,
}) => {
  const title = `E2E title counter ${Date.now()}`;

  await signInAsGuest(page);
  await openOperationsTab(page, 'payments-api');
  // The team hears of it, the guest with it: one more unread notification.
  await declareIncident(page, title);
  const incident = incidentsTable(page, 'payments-api').getByRole('link', {
    name: title,
  });
  await expect(incident).toBeVisible();
  const incidentPath = await incident.getAttribute('href');
  expect(incidentPath).toMatch(/\/ops\/incidents\//);
  await page.reload();
  await expect(page.getByLabel('Unread notifications')).toBeVisible();
  await expect(page).toHaveTitle(/^\(\d+\) /);

  for (let load = 0; load < 4; load++) {
    const opsTab = await context.newPage();
    await opsTab.goto('/ops');
    await expect(
      opsTab.getByRole('table', { name: 'Incidents', exact: true }),
    ).toContainText(title, { timeout: 20_000 });
    // The page's own title, with the unread count in front of it.
    await expect(opsTab).toHaveTitle(/^\(\d+\) .*Operations/);
    await opsTab.close();

    const incidentTab = await context.newPage();
    await incidentTab.goto(incidentPath!);
    await expect(incidentTab.getByRole('heading', { name: title })).toBeVisible(
      { timeout: 20_000 },
    );
    await incidentTab.close();
  }
});

test('payments-api lists its recovery drills with their reports', async ({
  page,
}) => {
  await signInAsGuest(page);
  await openOperationsTab(page, 'payments-api');

  const drills = page.getByRole('table', { name: 'Drills of payments-api' });
  // The first row is the header; the backend seeds example drills.
  const firstDrill = drills.getByRole('row').nth(1);
  await expect(firstDrill).toBeVisible();
  await expect(firstDrill).toContainText('RTO');
  await expect(firstDrill).toContainText('RPO');

  await firstDrill.getByRole('button', { name: 'Report' }).click();
  const report = page.getByRole('dialog', { name: / drill of / });
  // The report opens with its verdict, the seeded examples' as the drills'.
  await expect(report.getByRole('heading', { level: 2 }).nth(1)).toContainText(
    /^(PASSED|FAILED): /,
  );
  await expect(report).toContainText(/RTO/);
  await report.getByRole('button', { name: 'Close' }).click();
  await expect(report).toBeHidden();
});
