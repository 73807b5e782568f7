// What the bench prints at the end: one table row per database and rate, and
// a verdict line per acceptance point of issue 22 with the figures it judged.

import os from 'node:os';
import { OPTIONS } from './options.mjs';
import { fmt } from './openLoop.mjs';

/** The measured phases of one database's run, each with failed and timedOut. */
export const phasesOf = r => [
  r.creates,
  r.saturation.list,
  r.saturation.byName,
  r.saturation.catalogPage,
  ...r.openLoop.flatMap(o => [o.list, o.byName, o.catalogPage]),
];

function table(header, lines) {
  const widths = header.map((h, i) =>
    Math.max(h.length, ...lines.map(l => l[i].length)),
  );
  const row = cells =>
    cells
      .map((c, i) => c.padEnd(widths[i]))
      .join('  ')
      .trimEnd();
  console.log(row(header));
  for (const l of lines) console.log(row(l));
}

const judged = (ok, text) => `${ok ? 'PASS' : 'FAIL'}  ${text}`;

/** The acceptance points of issue 22 for one database, as lines. */
export function verdicts(r) {
  const lines = [];
  for (const o of r.openLoop) {
    // Percentiles leave out failed requests: with any, no latency target holds.
    const failed = o.list.failed + o.byName.failed + o.catalogPage.failed;
    const verdict = (ok, text) =>
      judged(
        ok && failed === 0,
        failed ? `${text} (${failed} requests failed)` : text,
      );
    const at = `${r.db} at ${o.rate} req/s:`;
    lines.push(
      verdict(
        o.list.p99 <= o.catalogPage.p99,
        `${at} list p99 ${fmt(o.list.p99)} <= catalog page p99 ${fmt(
          o.catalogPage.p99,
        )}`,
      ),
      verdict(
        o.list.p50 <= 1.2 * o.byName.p50,
        `${at} list p50 ${fmt(o.list.p50)} <= 1.2 x by-name p50 ${fmt(
          o.byName.p50,
        )} = ${fmt(1.2 * o.byName.p50)}`,
      ),
    );
    if (r.db === 'postgres') {
      lines.push(
        verdict(o.list.p99 < 50, `${at} list p99 ${fmt(o.list.p99)} < 50 ms`),
      );
    }
  }
  const s = r.saturation;
  lines.push(
    judged(
      s.list.perSecond >= 1.2 * s.catalogPage.perSecond,
      `${r.db} saturation: list ${s.list.perSecond.toFixed(
        0,
      )} req/s >= 1.2 x catalog page ${s.catalogPage.perSecond.toFixed(
        0,
      )} req/s = ${(1.2 * s.catalogPage.perSecond).toFixed(0)}`,
    ),
  );
  return lines;
}

export function printReport(rows) {
  console.log();
  console.log(
    `${OPTIONS.incidents} incidents, ${OPTIONS.services} services, ${OPTIONS.pageSize} incidents per list page; ` +
      `saturation over ${
        OPTIONS.connections
      } connections (autocannon), open loop at ${OPTIONS.rates.join(
        ', ',
      )} req/s (undici, evenly spread, latency from each request's due time); ` +
      `${OPTIONS.duration} s per phase; ${os.cpus().length} CPUs, load now ${os
        .loadavg()
        .map(l => l.toFixed(1))
        .join(' ')}`,
  );
  console.log('\nSaturation (closed loop):');
  table(
    [
      'database',
      'creates/s',
      'list req/s',
      'by-name req/s',
      'catalog page req/s',
      'cold list p50/p99',
      'cold by-name p50/p99',
    ],
    rows.map(r => [
      r.db,
      r.creates.perSecond === undefined
        ? `(${OPTIONS.seed})`
        : r.creates.perSecond.toFixed(0),
      r.saturation.list.perSecond.toFixed(0),
      r.saturation.byName.perSecond.toFixed(0),
      r.saturation.catalogPage.perSecond.toFixed(0),
      `${r.saturation.list.coldP50} / ${r.saturation.list.coldP99} ms`,
      `${r.saturation.byName.coldP50} / ${r.saturation.byName.coldP99} ms`,
    ]),
  );
  console.log('\nOpen loop (p50 / p99):');
  table(
    [
      'database',
      'rate',
      'list',
      'by-name',
      'catalog page',
      'load (1 min)',
      'failed',
    ],
    rows.flatMap(r =>
      r.openLoop.map(o => [
        r.db,
        `${o.rate}/s`,
        `${fmt(o.list.p50)} / ${fmt(o.list.p99)}`,
        `${fmt(o.byName.p50)} / ${fmt(o.byName.p99)}`,
        `${fmt(o.catalogPage.p50)} / ${fmt(o.catalogPage.p99)}`,
        o.load.toFixed(1),
        String(o.list.failed + o.byName.failed + o.catalogPage.failed),
      ]),
    ),
  );
  console.log('\nIssue 22, acceptance 1:');
  for (const r of rows) for (const line of verdicts(r)) console.log(line);
  for (const r of rows) console.log(`${r.db}: code ${r.code}`);
}
