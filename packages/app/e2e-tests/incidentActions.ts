import { expect, type Locator, type Page } from '@playwright/test';

// What a responder does with incidents, shared by the end-to-end tests.

/** Declares an incident from the Incidents card, with the least severity. */
export async function declareIncident(page: Page, title: string) {
  const declare = page.getByRole('button', {
    name: 'Declare incident',
    exact: true,
  });
  // Disabled until the permission check says the guest may.
  await expect(declare).toBeEnabled();
  await declare.click();

  const dialog = page.getByRole('dialog', { name: 'Declare incident' });
  await dialog.getByRole('textbox', { name: /Title/ }).fill(title);
  const severity = dialog.getByRole('combobox', { name: /Severity/ });
  // The levels are listed most severe first, after a disabled placeholder.
  const options = severity.locator('option');
  await expect(options.nth(1)).toBeAttached();
  await severity.selectOption({ index: (await options.count()) - 1 });
  await dialog
    .getByRole('textbox', { name: /Summary/ })
    .fill('Declared by the end-to-end tests; nothing is wrong.');
  await dialog.getByRole('button', { name: 'Declare', exact: true }).click();
  await expect(dialog).toBeHidden();
}

/** The Incidents card's table of a service. */
export function incidentsTable(page: Page, service: string) {
  return page.getByRole('table', { name: `Incidents of ${service}` });
}

/** The timeline's entries of one kind, by their icon's name. */
export function timelineItem(timeline: Locator, page: Page, icon: string) {
  return timeline
    .getByRole('listitem')
    .filter({ has: page.getByRole('img', { name: icon, exact: true }) });
}

/**
 * Whether a native select is wide enough to show each of its labels whole, as
 * the browser lays it out: the widest label in the select's font against the
 * room left of the arrow (1 px for rounding).
 */
export function showsLabelsWhole(select: Locator) {
  return select.evaluate((el: HTMLSelectElement) => {
    const style = getComputedStyle(el);
    const context = document.createElement('canvas').getContext('2d')!;
    context.font = style.font;
    const widest = Math.max(
      ...Array.from(
        el.options,
        option => context.measureText(option.text).width,
      ),
    );
    const room =
      el.clientWidth -
      parseFloat(style.paddingLeft) -
      parseFloat(style.paddingRight);
    return widest <= room + 1;
  });
}
