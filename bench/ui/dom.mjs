/*
 * When a tab is "done", read from the DOM in the page (these functions run in
 * the browser, through page.evaluate / page.waitForFunction: no closures).
 *
 * A tab is done when the card headers seen on it once everything has settled
 * (its calibration) are all on screen and no indeterminate progress indicator
 * is left in the page's main area. Indeterminate only: an MUI LinearProgress
 * with a value (an SLO's error budget bar) is data, not a loading indicator;
 * Backstage's <Progress /> and MUI's spinners carry no aria-valuenow.
 */

/** Card headers: MUI CardHeader titles (InfoCard) and BUI card headers. */
export const HEADER_SELECTOR = [
  '.MuiCardHeader-title',
  ...['h1', 'h2', 'h3', 'h4'].map(h => `[class*="CardHeader"] ${h}`),
].join(', ');

/** The card headers in <main>, in document order. */
export function cardHeaders(selector) {
  const main = document.querySelector('main');
  if (!main) return [];
  const titles = main.querySelectorAll(selector);
  const seen = [];
  for (const el of titles) {
    const text = (el.textContent ?? '').trim();
    if (text && !seen.includes(text)) seen.push(text);
  }
  return seen;
}

/**
 * Loading indicators in <main>: an indeterminate progress bar or spinner, and
 * Backstage's <Progress /> in its first 250 ms, when it renders a hidden box
 * (data-testid="progress") before showing the bar: a card in that state has
 * not got its data either. Skeletons (BUI, MUI Lab) are placeholders too.
 */
export const BUSY_SELECTOR = [
  '[role="progressbar"]:not([aria-valuenow])',
  '[data-testid="progress"]',
  '[class*="Skeleton"]',
].join(', ');

/** Whether the tab is done; `expected` is the list of its card headers. */
export function tabDone({ expected, selector, busy }) {
  const main = document.querySelector('main');
  if (!main || main.querySelector(busy)) return false;
  const titles = main.querySelectorAll(selector);
  const present = new Set(
    Array.from(titles, el => (el.textContent ?? '').trim()),
  );
  return expected.every(title => present.has(title));
}

/**
 * Error panels left on screen: a card showing an error is not showing data.
 * Backstage's ErrorPanel/WarningPanel (ResponseErrorPanel) and error alerts;
 * not the cards' warning alerts, which are data ("nobody is on call").
 */
export function errorPanels() {
  const main = document.querySelector('main');
  if (!main) return [];
  return Array.from(
    main.querySelectorAll(
      '[class*="WarningPanel-panel"], [class*="ErrorPanel"], .MuiAlert-standardError',
    ),
    el => (el.textContent ?? '').trim().slice(0, 120),
  );
}

/**
 * The page's clock (these run in the page too). A click's time is its
 * pointerdown's event time, when the input reached the page, as the Event
 * Timing API starts an interaction; a load's is the document's time origin,
 * the navigation's start. `doneWhen` holds the first animation frame in which
 * the tab is done.
 */
export function clockInput() {
  window.__opsBenchInputAt = undefined;
  window.__opsBenchDoneAt = undefined;
  window.addEventListener(
    'pointerdown',
    event => {
      window.__opsBenchInputAt = event.timeStamp;
    },
    { capture: true, once: true },
  );
}

/** An expression for page.waitForFunction (polled on every animation frame). */
export function doneWhen(args) {
  return `(${tabDone})(${JSON.stringify(args)}) &&
    (window.__opsBenchDoneAt ??= performance.now()) >= 0`;
}

export function pageClock() {
  return {
    inputAt: window.__opsBenchInputAt,
    doneAt: window.__opsBenchDoneAt,
  };
}
