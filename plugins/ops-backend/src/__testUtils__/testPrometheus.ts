import { ChildProcess, execFile, spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export const PROMETHEUS_BIN =
  process.env.PROMETHEUS_BIN ?? '/usr/bin/prometheus';
export const PROMTOOL_BIN = process.env.PROMTOOL_BIN ?? '/usr/bin/promtool';

/** The test port range of the SLO tests (see the task's port allocation). */
const PORT_RANGE = [9150, 9199] as const;

/** A free loopback port in the SLO tests' range. */
export async function freePort(
  from: number = PORT_RANGE[0],
  to: number = PORT_RANGE[1],
): Promise<number> {
  const offset = Math.floor(Math.random() * (to - from + 1));
  for (let i = 0; i <= to - from; i++) {
    const port = from + ((offset + i) % (to - from + 1));
    const free = await new Promise<boolean>(resolve => {
      const server = net.createServer();
      server.once('error', () => resolve(false));
      server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
    });
    if (free) return port;
  }
  throw new Error(`No free port in ${from}-${to}`);
}

export interface TestPrometheus {
  baseUrl: string;
  port: number;
  stop(): Promise<void>;
}

/**
 * A real Prometheus (the Debian package) on a free port of the test range,
 * whose TSDB is backfilled from OpenMetrics text with `promtool tsdb
 * create-blocks-from openmetrics`: the series are exactly the ones given,
 * so query results can be computed by hand.
 */
export async function startTestPrometheus(options: {
  openMetrics: string;
  ruleFiles?: Record<string, string>;
}): Promise<TestPrometheus> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'opsdeck-prometheus-'));
  const data = path.join(dir, 'data');
  const input = path.join(dir, 'series.om');
  // promtool 2.42 re-reads its whole input for every 2-hour block it
  // writes: one input per block keeps a month of data to one read each.
  for (const chunk of splitByBlock(options.openMetrics)) {
    await fs.writeFile(input, chunk);
    await run(
      PROMTOOL_BIN,
      ['tsdb', 'create-blocks-from', 'openmetrics', '--quiet', input, data],
      { maxBuffer: 64 * 1024 * 1024 },
    );
  }
  const ruleFiles: string[] = [];
  for (const [name, content] of Object.entries(options.ruleFiles ?? {})) {
    const file = path.join(dir, name);
    await fs.writeFile(file, content);
    ruleFiles.push(file);
  }
  await fs.writeFile(
    path.join(dir, 'prometheus.yml'),
    `global:\n  evaluation_interval: 1m\nrule_files: ${JSON.stringify(
      ruleFiles,
    )}\nscrape_configs: []\n`,
  );
  const port = await freePort();
  const child: ChildProcess = spawn(
    PROMETHEUS_BIN,
    [
      `--config.file=${path.join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${data}`,
      // The backfilled series are up to 31 days old: keep them.
      '--storage.tsdb.retention.time=400d',
      `--web.listen-address=127.0.0.1:${port}`,
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr?.on('data', chunk => {
    stderr = (stderr + chunk).slice(-4000);
  });
  const exited = new Promise<void>(resolve =>
    child.once('exit', () => resolve()),
  );
  const baseUrl = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode === null) {
      child.kill('SIGTERM');
      await exited;
    }
    await fs.rm(dir, { recursive: true, force: true });
  };
  const started = Date.now();
  for (;;) {
    if (child.exitCode !== null) {
      await stop();
      throw new Error(`Prometheus exited at start:\n${stderr}`);
    }
    try {
      const res = await fetch(`${baseUrl}/-/ready`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() - started > 30_000) {
      await stop();
      throw new Error(`Prometheus not ready within 30 s:\n${stderr}`);
    }
    await new Promise(resolve => setTimeout(resolve, 200));
  }
  return { baseUrl, port, stop };
}

/**
 * Splits OpenMetrics text (samples with timestamps in seconds) into one
 * text per 2-hour TSDB block, each with its families' TYPE lines.
 */
export function splitByBlock(text: string): string[] {
  const chunks = new Map<number, { family?: string; lines: string[] }>();
  let typeLine: string | undefined;
  for (const sample of text.split('\n')) {
    if (sample.startsWith('# TYPE ')) {
      typeLine = sample;
      continue;
    }
    if (sample === '' || sample.startsWith('#')) continue;
    const timestamp = Number(sample.slice(sample.lastIndexOf(' ') + 1));
    const block = Math.floor(timestamp / 7200);
    let chunk = chunks.get(block);
    if (!chunk) {
      chunk = { lines: [] };
      chunks.set(block, chunk);
    }
    if (typeLine && chunk.family !== typeLine) {
      chunk.family = typeLine;
      chunk.lines.push(typeLine);
    }
    chunk.lines.push(sample);
  }
  return [...chunks.values()].map(c => `${c.lines.join('\n')}\n# EOF\n`);
}

/** One OpenMetrics sample line. */
function line(
  name: string,
  labels: Record<string, string>,
  value: number,
  timestamp: number,
): string {
  const text = Object.entries(labels)
    .map(([k, v]) => `${k}="${v}"`)
    .join(',');
  return `${name}{${text}} ${value} ${timestamp}`;
}

/**
 * OpenMetrics text of counters sampled every `stepSeconds` from `start` to
 * `end` (unix seconds), each given by its value at every sample.
 */
export function openMetricsOf(
  families: Array<{
    name: string;
    type: 'counter' | 'histogram';
    series: Array<{
      metric: string;
      labels: Record<string, string>;
      valueAt: (sampleIndex: number) => number;
    }>;
  }>,
  range: { start: number; end: number; stepSeconds: number },
): string {
  const lines: string[] = [];
  const count = Math.floor((range.end - range.start) / range.stepSeconds);
  for (const family of families) {
    lines.push(`# TYPE ${family.name} ${family.type}`);
    for (const series of family.series) {
      for (let i = 0; i <= count; i++) {
        lines.push(
          line(
            series.metric,
            series.labels,
            series.valueAt(i),
            range.start + i * range.stepSeconds,
          ),
        );
      }
    }
  }
  lines.push('# EOF', '');
  return lines.join('\n');
}
