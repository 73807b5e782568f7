#!/usr/bin/env node
/*
 * yarn bench:slo: evaluates 3 SLOs of one service over 1,000 series and a
 * 30-day window on a real Prometheus (/usr/bin/prometheus), with OpsDeck's
 * own evaluator and client (bundled from the sources with esbuild), in three
 * set-ups:
 *
 *   raw            no recording rules: the evaluator queries the counters
 *   opsdeck-rules  the rule file OpsDeck generates (GET /api/ops/slos/rules)
 *   sloth-rules    Sloth-style rules (slo:sli_error:ratio_rate<window>{sloth_*})
 *
 * and prints, per set-up, the Prometheus queries per evaluation and the
 * latency of one evaluation (3 SLOs in parallel, no cache) at p50/p99, and
 * the SLIs and burn rates, which must be the same in every set-up.
 *
 *   yarn bench:slo [--iterations N]
 *
 * Data: 200 instances x (2 status codes + 3 histogram buckets) = 1,000
 * series, constant traffic, one sample a minute over the last 7 hours and
 * every 15 minutes before, 31 days back, backfilled with `promtool tsdb
 * create-blocks-from openmetrics`. The 5-minute base rules are backfilled
 * over the 30 days with `promtool tsdb create-blocks-from rules`, so the
 * SLO-window rules have their history. Everything runs on 127.0.0.1 on a free
 * port in 9150-9199, in a temporary directory removed at the end.
 */

import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { parseArgs, promisify } from 'node:util';

const run = promisify(execFile);
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const PROMETHEUS = process.env.PROMETHEUS_BIN ?? '/usr/bin/prometheus';
const PROMTOOL = process.env.PROMTOOL_BIN ?? '/usr/bin/promtool';
const { values: args } = parseArgs({
  options: { iterations: { type: 'string', default: '50' } },
});
const ITERATIONS = Number(args.iterations);

const log = (...a) => console.error('[bench:slo]', ...a);

async function bundle() {
  const esbuild = createRequire(import.meta.url)('esbuild');
  const outfile = path.join(ROOT, '.run', 'bench', 'slo-evaluate.cjs');
  await esbuild.build({
    entryPoints: [path.join(ROOT, 'bench', 'slo', 'evaluate.ts')],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node22',
    outfile,
    logLevel: 'error',
  });
  return createRequire(import.meta.url)(outfile);
}

async function freePort(from = 9150) {
  for (let port = from; port <= 9199; port++) {
    const free = await new Promise(resolve => {
      const s = net.createServer();
      s.once('error', () => resolve(false));
      s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
    });
    if (free) return port;
  }
  throw new Error('no free port in 9150-9199');
}

const MIN = 60;
const DAY = 86400;
const INSTANCES = 200;

/**
 * The 1,000 series: counters growing linearly from START (31 days before the
 * end of the backfill), so the backfilled history and the live exporter
 * (startExporter) are one series each.
 */
function seriesModel(end) {
  const start = end - 31 * DAY;
  const minutes = t => (t - start) / MIN;
  // Per instance and minute: 100 requests, 0.1 failed, 95 under 0.25 s, 99 under 0.5 s.
  const families = [
    [
      'http_requests',
      'counter',
      [
        ['http_requests_total', 'code="200"', m => m * 99.9],
        ['http_requests_total', 'code="500"', m => m * 0.1],
      ],
    ],
    [
      'http_request_duration_seconds',
      'histogram',
      [
        ['http_request_duration_seconds_bucket', 'le="0.25"', m => m * 95],
        ['http_request_duration_seconds_bucket', 'le="0.5"', m => m * 99],
        ['http_request_duration_seconds_bucket', 'le="+Inf"', m => m * 100],
      ],
    ],
  ];
  const labelsOf = (i, label) =>
    `job="bench",service="bench",instance="i${String(i).padStart(
      3,
      '0',
    )}",${label}`;
  return { families, minutes, labelsOf };
}

/**
 * Serves the same series live, for Prometheus to scrape (honor_labels), so
 * the 5-minute window still has data minutes after the backfill ended.
 */
async function startExporter(end, portFrom) {
  const { families, minutes, labelsOf } = seriesModel(end);
  const server = http.createServer((_req, res) => {
    const now = Date.now() / 1000;
    const lines = [];
    for (const [family, type, members] of families) {
      lines.push(`# TYPE ${family} ${type}`);
      for (const [metric, label, value] of members) {
        for (let i = 0; i < INSTANCES; i++) {
          lines.push(
            `${metric}{${labelsOf(i, label)}} ${value(minutes(now)).toFixed(
              4,
            )}`,
          );
        }
      }
    }
    res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
    res.end(`${lines.join('\n')}\n`);
  });
  const port = await freePort(portFrom);
  await new Promise(r => server.listen(port, '127.0.0.1', r));
  return { port, close: () => new Promise(r => server.close(r)) };
}

/**
 * Backfills the 1,000 series. promtool 2.42 re-reads its whole input for
 * every 2-hour block it writes, so 31 days in one file would be read 372
 * times: each 2-hour block gets its own file and promtool run instead.
 */
async function backfillSeries(dir, end) {
  const start = end - 31 * DAY;
  const dense = end - 7 * 3600;
  const times = [];
  for (let t = start; t < dense; t += 15 * MIN) times.push(t);
  for (let t = dense; t <= end; t += MIN) times.push(t);
  const { families, minutes, labelsOf } = seriesModel(end);
  const BLOCK = 7200;
  const byBlock = new Map();
  for (const t of times) {
    const block = Math.floor(t / BLOCK);
    if (!byBlock.has(block)) byBlock.set(block, []);
    byBlock.get(block).push(t);
  }
  const file = path.join(dir, 'chunk.om');
  let series = 0;
  for (const blockTimes of byBlock.values()) {
    const lines = [];
    series = 0;
    for (const [family, type, members] of families) {
      lines.push(`# TYPE ${family} ${type}`);
      for (const [metric, label, value] of members) {
        for (let i = 0; i < INSTANCES; i++) {
          series++;
          const labels = labelsOf(i, label);
          for (const t of blockTimes) {
            lines.push(
              `${metric}{${labels}} ${Number(
                value(minutes(t)).toFixed(4),
              )} ${t}`,
            );
          }
        }
      }
    }
    lines.push('# EOF', '');
    fs.writeFileSync(file, lines.join('\n'));
    await run(
      PROMTOOL,
      [
        'tsdb',
        'create-blocks-from',
        'openmetrics',
        '--quiet',
        file,
        path.join(dir, 'data'),
      ],
      { maxBuffer: 1 << 26 },
    );
  }
  fs.rmSync(file);
  return { series, samples: series * times.length };
}

const SLO_DOCUMENTS = `
apiVersion: openslo/v1
kind: SLO
metadata: { name: bench-availability }
spec:
  service: bench
  indicator:
    metadata: { name: bench-errors }
    spec:
      ratioMetric:
        counter: true
        bad: { metricSource: { type: Prometheus, spec: { query: 'sum(http_requests_total{service="bench",code=~"5.."})' } } }
        total: { metricSource: { type: Prometheus, spec: { query: 'sum(http_requests_total{service="bench"})' } } }
  timeWindow: [{ duration: 30d, isRolling: true }]
  budgetingMethod: Occurrences
  objectives: [{ target: 0.999 }]
---
apiVersion: openslo/v1
kind: SLO
metadata: { name: bench-latency-500ms }
spec:
  service: bench
  indicator:
    metadata: { name: bench-fast-500ms }
    spec:
      thresholdMetric: { metricSource: { type: Prometheus, spec: { query: 'http_request_duration_seconds_bucket{service="bench"}' } } }
  timeWindow: [{ duration: 30d, isRolling: true }]
  budgetingMethod: Occurrences
  objectives: [{ op: lte, value: 0.5, target: 0.98 }]
---
apiVersion: openslo/v1
kind: SLO
metadata: { name: bench-latency-250ms }
spec:
  service: bench
  indicator:
    metadata: { name: bench-fast-250ms }
    spec:
      thresholdMetric: { metricSource: { type: Prometheus, spec: { query: 'http_request_duration_seconds_bucket{service="bench"}' } } }
  timeWindow: [{ duration: 30d, isRolling: true }]
  budgetingMethod: Occurrences
  objectives: [{ op: lte, value: 0.25, target: 0.9 }]
`;

/**
 * Sloth's recording rules for the SLOs, as Sloth v0.11 generates them: the
 * error ratio per window from rate()s, and the SLO window as the average of
 * the 5-minute ratios.
 */
function slothRules(lib, slos) {
  const groups = slos.map(slo => {
    const q = lib.sloEventCountQueries(slo, '5m');
    const selector = which => lib.formatPromSelector(slo.indicator[which]);
    const labels = {
      sloth_service: slo.service,
      sloth_slo: slo.name,
      sloth_id: `${slo.service}-${slo.name}`,
    };
    const ratio = w => {
      if (slo.indicator.bad) {
        return `(sum(rate(${selector('bad')}[${w}])))\n/\n(sum(rate(${selector(
          'total',
        )}[${w}])))`;
      }
      return `1 - ((sum(rate(${selector(
        'good',
      )}[${w}])))\n/\n(sum(rate(${selector('total')}[${w}]))))`;
    };
    void q;
    const windows = lib.SLO_BURN_RATE_WINDOWS;
    return {
      name: `sloth-slo-sli-recordings-${slo.service}-${slo.name}`,
      rules: [
        ...windows.map(w => ({
          record: `slo:sli_error:ratio_rate${w}`,
          expr: ratio(w),
          labels: { ...labels, sloth_window: w },
        })),
        {
          record: `slo:sli_error:ratio_rate${slo.window}`,
          expr: `sum_over_time(slo:sli_error:ratio_rate5m{sloth_id="${labels.sloth_id}", sloth_service="${slo.service}", sloth_slo="${slo.name}"}[${slo.window}])\n/ ignoring (sloth_window)\ncount_over_time(slo:sli_error:ratio_rate5m{sloth_id="${labels.sloth_id}", sloth_service="${slo.service}", sloth_slo="${slo.name}"}[${slo.window}])`,
          labels: { ...labels, sloth_window: slo.window },
        },
      ],
    };
  });
  return JSON.stringify({ groups }, null, 1);
}

/** The rules the SLO-window rules are computed from, for promtool's backfill. */
function baseRules(opsdeckYaml, slothJson) {
  const lines = [];
  const sloth = JSON.parse(slothJson);
  const rules = [];
  for (const g of sloth.groups) {
    for (const r of g.rules)
      if (r.record === 'slo:sli_error:ratio_rate5m') rules.push(r);
  }
  // OpsDeck's 5-minute event counts, found in its generated YAML.
  const yaml = createRequire(import.meta.url)('yaml');
  for (const g of yaml.parse(opsdeckYaml).groups) {
    for (const r of g.rules) {
      if (r.record && /:(bad|total)_events:increase5m$/.test(r.record))
        rules.push(r);
    }
  }
  return JSON.stringify({ groups: [{ name: 'base', rules }] }, null, 1);
}

async function startPrometheus(dir, port, ruleFiles, exporterPort) {
  fs.writeFileSync(
    path.join(dir, 'prometheus.yml'),
    `global:\n  evaluation_interval: 10s\n  scrape_interval: 10s\nrule_files: ${JSON.stringify(
      ruleFiles,
    )}\nscrape_configs:\n  - job_name: bench\n    honor_labels: true\n    static_configs:\n      - targets: ['127.0.0.1:${exporterPort}']\n`,
  );
  const child = spawn(
    PROMETHEUS,
    [
      `--config.file=${path.join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${path.join(dir, 'data')}`,
      '--storage.tsdb.retention.time=400d',
      `--web.listen-address=127.0.0.1:${port}`,
    ],
    {
      stdio: [
        'ignore',
        'ignore',
        fs.openSync(path.join(dir, 'prometheus.log'), 'a'),
      ],
    },
  );
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null)
      throw new Error(`Prometheus exited; see ${dir}/prometheus.log`);
    try {
      if ((await fetch(`http://127.0.0.1:${port}/-/ready`)).ok) break;
    } catch {}
    if (Date.now() > deadline) throw new Error('Prometheus not ready in 60 s');
    await new Promise(r => setTimeout(r, 250));
  }
  return {
    async stop() {
      child.kill('SIGTERM');
      await new Promise(r => child.once('exit', r));
    },
  };
}

function percentile(sorted, p) {
  return sorted[
    Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)
  ];
}

async function measure(lib, baseUrl, slos, label) {
  let queries = 0;
  const client = new lib.PrometheusClient(
    { name: 'bench', baseUrl, headers: {} },
    { timeoutMs: 30_000, cacheTtlMs: 0, counter: { onQuery: () => queries++ } },
  );
  const evaluator = new lib.SloEvaluator(client);
  const evaluateAll = at =>
    Promise.all(slos.map(slo => evaluator.evaluate(slo, at)));
  const at = Math.floor(Date.now() / 1000);
  await evaluateAll(at); // warm-up
  queries = 0;
  const latencies = [];
  let results;
  for (let i = 0; i < ITERATIONS; i++) {
    const started = performance.now();
    results = await evaluateAll(at);
    latencies.push(performance.now() - started);
  }
  latencies.sort((a, b) => a - b);
  return {
    label,
    queriesPerEvaluation: queries / ITERATIONS,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    results,
  };
}

async function main() {
  for (const bin of [PROMETHEUS, PROMTOOL]) {
    if (!fs.existsSync(bin))
      throw new Error(
        `${bin} not found: install the Debian package prometheus`,
      );
  }
  const lib = await bundle();
  const { slos, errors } = lib.parseSloDefinitions([
    { path: 'bench-slos.yaml', content: SLO_DOCUMENTS },
  ]);
  if (errors.length) throw new Error(JSON.stringify(errors));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'opsdeck-bench-slo-'));
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const end = Math.floor(Date.now() / 1000 / 60) * 60 - 60;
  try {
    log('backfilling 31 days of 1,000 series');
    let t = Date.now();
    const { series, samples } = await backfillSeries(dir, end);
    log(
      `${series} series, ${samples} samples in ${(
        (Date.now() - t) /
        1000
      ).toFixed(1)} s`,
    );

    const exporter = await startExporter(end, port + 1);
    let prometheus = await startPrometheus(dir, port, [], exporter.port);
    // Two scrapes of live data, as in the set-ups with rules.
    await new Promise(r => setTimeout(r, 25_000));
    const raw = await measure(lib, baseUrl, slos, 'raw (no rules)');

    const opsdeckYaml = lib.generateSloRuleFile(slos);
    const slothJson = slothRules(lib, slos);
    fs.writeFileSync(path.join(dir, 'opsdeck.yml'), opsdeckYaml);
    fs.writeFileSync(path.join(dir, 'sloth.yml'), slothJson);
    fs.writeFileSync(
      path.join(dir, 'base.yml'),
      baseRules(opsdeckYaml, slothJson),
    );
    log('backfilling the 5-minute base rules over 31 days');
    t = Date.now();
    await run(
      PROMTOOL,
      [
        'tsdb',
        'create-blocks-from',
        'rules',
        `--start=${end - 31 * DAY + 600}`,
        `--end=${end}`,
        '--eval-interval=5m',
        `--url=${baseUrl}`,
        `--output-dir=${path.join(dir, 'rules-data')}`,
        path.join(dir, 'base.yml'),
      ],
      { maxBuffer: 1 << 26 },
    );
    log(`backfilled rules in ${((Date.now() - t) / 1000).toFixed(1)} s`);
    await prometheus.stop();
    for (const block of fs.readdirSync(path.join(dir, 'rules-data'))) {
      fs.renameSync(
        path.join(dir, 'rules-data', block),
        path.join(dir, 'data', block),
      );
    }

    const runs = [raw];
    // Sloth first: the series a set-up records stay visible for 5 minutes
    // after Prometheus restarts without its rules, and the evaluator prefers
    // OpsDeck's own series, so in the other order both would measure them.
    for (const [label, file] of [
      ['sloth-rules', 'sloth.yml'],
      ['opsdeck-rules', 'opsdeck.yml'],
    ]) {
      prometheus = await startPrometheus(
        dir,
        port,
        [path.join(dir, file)],
        exporter.port,
      );
      // Two scrapes, then two evaluation rounds: every window is recorded.
      await new Promise(r => setTimeout(r, 35_000));
      runs.push(await measure(lib, baseUrl, slos, label));
      await prometheus.stop();
    }
    await exporter.close();

    const windows = ['5m', '1h', '1d', '3d'];
    console.log(
      `\nyarn bench:slo: 3 SLOs, ${series} series, 30-day window, ${ITERATIONS} evaluations each (no cache)\n`,
    );
    console.log(
      '| set-up | query source | Prometheus queries / evaluation | p50 ms | p99 ms |',
    );
    console.log('| --- | --- | --- | --- | --- |');
    for (const r of runs) {
      const sources = [
        ...new Set(r.results.map(s => s.querySource ?? s.error)),
      ].join(', ');
      console.log(
        `| ${r.label} | ${sources} | ${
          r.queriesPerEvaluation
        } | ${r.p50.toFixed(1)} | ${r.p99.toFixed(1)} |`,
      );
    }
    console.log(
      '\n| SLO | set-up | SLI | ' +
        windows.map(w => `burn ${w}`).join(' | ') +
        ' |',
    );
    console.log(
      '| --- | --- | --- | ' + windows.map(() => '---').join(' | ') + ' |',
    );
    let maxDiff = 0;
    for (const [i, slo] of slos.entries()) {
      for (const r of runs) {
        const s = r.results[i];
        const a = runs[0].results[i];
        maxDiff = Math.max(maxDiff, Math.abs((s.sli ?? NaN) - (a.sli ?? NaN)));
        console.log(
          `| ${slo.name} | ${r.label} | ${s.sli?.toFixed(6)} | ${windows
            .map(w => s.burnRates?.[w]?.toFixed(4))
            .join(' | ')} |`,
        );
      }
    }
    console.log(
      `\nlargest SLI difference from raw: ${maxDiff.toExponential(2)}`,
    );
  } catch (e) {
    const logFile = path.join(dir, 'prometheus.log');
    if (fs.existsSync(logFile)) {
      log('last lines of prometheus.log:');
      log(fs.readFileSync(logFile, 'utf8').split('\n').slice(-15).join('\n'));
    }
    throw e;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch(e => {
  console.error(e);
  process.exit(1);
});
