/*
 * What `yarn bench:ui` prints: p50/p90 per case, the traffic per load, and
 * one verdict line per target of issue 22 (acceptance 2).
 */

import os from 'node:os';

function percentile(values, p) {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  // Nearest rank: with 10 loads p50 is the 5th, p90 the 9th.
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.max(0, rank - 1)];
}

const median = values => percentile(values, 50);
const ms = v => `${Math.round(v)} ms`.padStart(8);
const kb = v => `${(v / 1024).toFixed(0)} KiB`.padStart(9);

export function machineLine() {
  const [l1, l5, l15] = os.loadavg().map(v => v.toFixed(2));
  return `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'CPU'}, ${(
    os.totalmem() /
    2 ** 30
  ).toFixed(0)} GiB, load average ${l1} ${l5} ${l15}`;
}

/** One row per case: timing percentiles and the traffic of a median load. */
export function printCases(cases) {
  console.log(
    "p50, p90: the page's clock, from the navigation's start or the click's pointerdown to the first frame done;\n" +
      "bench p50: from Playwright's call (before a click it waits for the tab to be stable and moves the mouse).\n",
  );
  console.log(
    `${'case'.padEnd(22)} ${'p50'.padStart(8)} ${'p90'.padStart(
      8,
    )}  ${'bench p50'.padStart(
      9,
    )}  requests (network, /api/)  JS files  JS over network  errors`,
  );
  for (const [name, loads] of Object.entries(cases)) {
    const times = loads.map(l => l.pageMs);
    const errors = loads.reduce((n, l) => n + l.errors.length, 0);
    console.log(
      `${name.padEnd(22)} ${ms(median(times))} ${ms(
        percentile(times, 90),
      )}  ${ms(median(loads.map(l => l.ms))).padStart(9)}  ${String(
        median(loads.map(l => l.requests)),
      ).padStart(8)} (${median(loads.map(l => l.network))}, ${median(
        loads.map(l => l.api),
      )})`.padEnd(80) +
        `${String(median(loads.map(l => l.jsFiles))).padStart(8)}  ${kb(
          median(loads.map(l => l.jsBytes)),
        ).padStart(15)}  ${errors}`,
    );
  }
}

/** The /api/ requests of one load, start and end relative to its start. */
export function printWaterfall(title, load) {
  console.log(
    `\n${title} (${Math.round(
      load.pageMs,
    )} ms to done in the page, ${Math.round(load.ms)} ms through Playwright):`,
  );
  const calls = [...load.apiCalls].sort((a, b) => a.start - b.start);
  for (const call of calls) {
    const end = call.end === undefined ? '   (open)' : ms(call.end);
    console.log(`  ${ms(call.start)} → ${end}  ${call.path}`);
  }
}

/** One line per target; returns whether all of them were met. */
export function printVerdicts(cases) {
  const p50 = name => median(cases[name].map(l => l.pageMs));
  const opsWarm = p50('operations warm');
  const overviewWarm = p50('overview warm');
  const targets = [
    ['cold load p50 < 2 s', p50('operations cold'), v => v < 2000],
    ['warm reload p50 < 0.8 s', opsWarm, v => v < 800],
    [
      `warm reload p50 ≤ 0.7 × Overview's (${Math.round(
        0.7 * overviewWarm,
      )} ms)`,
      opsWarm,
      v => v <= 0.7 * overviewWarm,
    ],
    ['in-app navigation p50 < 300 ms', p50('operations nav'), v => v < 300],
  ];
  let allMet = true;
  console.log('');
  for (const [target, value, met] of targets) {
    const ok = met(value);
    allMet &&= ok;
    console.log(
      `${ok ? 'MET   ' : 'MISSED'} Operations tab: ${target}: ${Math.round(
        value,
      )} ms`,
    );
  }
  return allMet;
}
