#!/usr/bin/env node
/*
 * yarn bench:ui: how fast the Operations tab of payments-api is, as users
 * feel it, on the production build.
 *
 *   yarn bench:ui [--runs N] [--no-build] [--entity NAME]
 *
 *   1. builds the app (`yarn workspace app build`) unless packages/app/dist is
 *      newer than its sources, or --no-build;
 *   2. under flock /tmp/opsdeck-ports.lock (the fixed ports 7007 and the demo
 *      systems' are shared with make start and the e2e tests): a fresh demo
 *      (scripts/demo.sh, state in .run/bench-ui/demo) and the backend with
 *      NODE_ENV=production serving the built app on http://localhost:7007;
 *   3. in headless Chromium, signed in as the guest, N times each (default 10):
 *      - the Operations tab: a cold load (new context, empty HTTP cache), then
 *        a reload (warm cache);
 *      - the Overview tab, the yardstick, the same way;
 *      - the Overview tab, then a click on the Operations tab;
 *      each timed until every card header of the tab is on screen and no
 *      indeterminate progress indicator is left in <main> (bench/ui/dom.mjs),
 *      on the page's clock (from the navigation's start, or the click's
 *      pointerdown, to the first animation frame done) and on the bench's
 *      (from Playwright's call, which adds its steps before a click);
 *   4. prints p50/p90 per case (the page's clock; the verdicts use it), the
 *      bench's p50 beside it, the requests and JavaScript bytes per load,
 *      the /api/ requests of one load (to see waterfalls), and one verdict per
 *      target of issue 22. Exits 1 when a step failed, 3 when a target is missed.
 *
 * Logs in .run/bench-ui/. See bench/README.md, section `yarn bench:ui`.
 */

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import {
  calibrate,
  coldAndWarm,
  launchBrowser,
  navigation,
  signedInState,
} from './ui/measure.mjs';
import {
  machineLine,
  printCases,
  printVerdicts,
  printWaterfall,
} from './ui/report.mjs';
import {
  BASE,
  buildAppIfStale,
  log,
  startBackend,
  startDemo,
  stopBackend,
  stopDemo,
  waitForPortal,
  writeBenchConfig,
} from './ui/servers.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const RUN_DIR = path.join(ROOT, '.run/bench-ui');
const PORTS_LOCK = '/tmp/opsdeck-ports.lock';

const { values: args } = parseArgs({
  options: {
    runs: { type: 'string', default: '10' },
    build: { type: 'boolean', default: true },
    'no-build': { type: 'boolean', default: false },
    entity: { type: 'string', default: 'payments-api' },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (args.help) {
  console.log('usage: yarn bench:ui [--runs N] [--no-build] [--entity NAME]');
  process.exit(0);
}
const RUNS = Number(args.runs);
if (!Number.isInteger(RUNS) || RUNS < 1) {
  console.error(`--runs must be a positive integer, not '${args.runs}'`);
  process.exit(2);
}
if (!/^[a-z0-9][a-z0-9-]*$/.test(args.entity)) {
  console.error(`--entity must be a component's name, not '${args.entity}'`);
  process.exit(2);
}

const ENTITY_PATH = `/catalog/default/component/${args.entity}`;
const TABS = {
  operations: { path: `${ENTITY_PATH}/operations`, tabName: 'Operations' },
  overview: { path: ENTITY_PATH, tabName: 'Overview' },
};

async function measure() {
  const browser = await launchBrowser();
  try {
    const storageState = await signedInState(browser, BASE);
    const options = { baseURL: BASE, storageState };
    for (const [name, tab] of Object.entries(TABS)) {
      const { headers, errors } = await calibrate(browser, {
        ...options,
        path: tab.path,
        evidence: path.join(RUN_DIR, `calibration-${name}`),
      });
      if (headers.length === 0)
        throw new Error(
          `no card header found on the ${name} tab (${tab.path}); see ${RUN_DIR}/calibration-${name}.png`,
        );
      tab.headers = headers;
      log(`${name} tab: ${headers.length} cards: ${headers.join(' | ')}`);
      for (const error of errors) log(`  ${name} tab shows an error: ${error}`);
    }
    const cases = {
      'operations cold': [],
      'operations warm': [],
      'operations nav': [],
      'overview cold': [],
      'overview warm': [],
    };
    for (let run = 1; run <= RUNS; run++) {
      // Interleaved, so that a noisy minute on the shared machine falls on
      // every case rather than on one.
      const ops = await coldAndWarm(browser, options, TABS.operations);
      cases['operations cold'].push(ops.cold);
      cases['operations warm'].push(ops.warm);
      const overview = await coldAndWarm(browser, options, TABS.overview);
      cases['overview cold'].push(overview.cold);
      cases['overview warm'].push(overview.warm);
      cases['operations nav'].push(
        await navigation(browser, options, TABS.overview, TABS.operations),
      );
      log(
        `run ${run}/${RUNS}: operations cold ${Math.round(
          ops.cold.pageMs,
        )} ms, warm ${Math.round(ops.warm.pageMs)} ms, nav ${Math.round(
          cases['operations nav'].at(-1).pageMs,
        )} ms; overview cold ${Math.round(
          overview.cold.pageMs,
        )} ms, warm ${Math.round(overview.warm.pageMs)} ms`,
      );
    }
    return cases;
  } finally {
    await browser.close();
  }
}

function report(cases) {
  console.log(
    `\nyarn bench:ui, ${new Date().toISOString()}, ${
      args.entity
    }, ${RUNS} runs`,
  );
  console.log(`machine: ${machineLine()}\n`);
  printCases(cases);
  const byTime = list => [...list].sort((a, b) => a.pageMs - b.pageMs);
  const median = list => byTime(list)[Math.ceil(list.length / 2) - 1];
  printWaterfall(
    '/api/ requests of the median cold load of the Operations tab',
    median(cases['operations cold']),
  );
  printWaterfall(
    '/api/ requests of the median warm reload',
    median(cases['operations warm']),
  );
  printWaterfall(
    '/api/ requests of the median in-app navigation',
    median(cases['operations nav']),
  );
  return printVerdicts(cases);
}

/** Steps 2 to 4, holding the ports lock (run through flock by main()). */
async function locked() {
  const demoDir = path.join(RUN_DIR, 'demo');
  const demoLog = path.join(RUN_DIR, 'demo.log');
  fs.writeFileSync(demoLog, '');
  let backend;
  let demoStarted = false;
  const stop = async () => {
    if (backend) await stopBackend(backend);
    if (demoStarted) stopDemo(ROOT, demoDir, demoLog);
  };
  process.once('SIGINT', () => stop().then(() => process.exit(130)));
  process.once('SIGTERM', () => stop().then(() => process.exit(143)));
  try {
    startDemo(ROOT, demoDir, demoLog);
    demoStarted = true;
    backend = startBackend(ROOT, {
      demoDir,
      configFile: writeBenchConfig(RUN_DIR),
      logFile: path.join(RUN_DIR, 'backend.log'),
    });
    await waitForPortal(backend, `component/default/${args.entity}`);
    log(`the portal answers on ${BASE}; measuring (${machineLine()})`);
    const cases = await measure();
    await stop();
    backend = undefined;
    demoStarted = false;
    return report(cases) ? 0 : 3;
  } finally {
    await stop();
  }
}

async function main() {
  fs.mkdirSync(RUN_DIR, { recursive: true });
  if (process.env.OPSDECK_BENCH_UI_LOCKED === '1') return locked();
  if (args.build && !args['no-build'])
    buildAppIfStale(ROOT, { logFile: path.join(RUN_DIR, 'build.log') });
  if (!fs.existsSync(path.join(ROOT, 'packages/app/dist/index.html')))
    throw new Error(
      'packages/app/dist/index.html is missing: run without --no-build',
    );
  log(`waiting for ${PORTS_LOCK} (fixed ports 7007 and the demo's)`);
  const result = spawnSync(
    'flock',
    [
      PORTS_LOCK,
      process.execPath,
      fileURLToPath(import.meta.url),
      ...process.argv.slice(2),
    ],
    { stdio: 'inherit', env: { ...process.env, OPSDECK_BENCH_UI_LOCKED: '1' } },
  );
  return result.status ?? 1;
}

main().then(
  code => process.exit(code),
  error => {
    console.error(`[bench:ui] ${error.message}`);
    process.exit(1);
  },
);
