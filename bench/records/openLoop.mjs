// Open-loop load: requests sent at a fixed rate, evenly spread over each
// second (one every 1000/rate ms, on absolute times, so a slow answer never
// delays the next send), with latency counted from the time a request was
// due, not sent: time a request waits in the client counts too (no
// coordinated omission). autocannon's overallRate sends each second's
// requests in one burst, hence undici's Pool here.

import { performance } from 'node:perf_hooks';
import { Pool } from 'undici';
import { AUTH, BASE, LIMITS, OPTIONS, log, randomService } from './options.mjs';
import { deadline } from './util.mjs';

// Enough connections that none waits for one at the rates measured here; a
// request that does wait is still timed from when it was due.
const MAX_CONNECTIONS = 256;

/** The p-th percentile (0..100) of sorted values, nearest rank. */
export function percentile(sorted, p) {
  if (sorted.length === 0) return NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

/**
 * Sends `read.path(random service)` at `rate` requests a second for
 * OPTIONS.warmup + OPTIONS.duration seconds, in one unbroken schedule; the
 * answers to the first OPTIONS.warmup seconds are not measured.
 */
export async function openLoop(read, rate, { base = BASE } = {}) {
  const pool = new Pool(base, {
    connections: MAX_CONNECTIONS,
    pipelining: 1,
    headersTimeout: LIMITS.request,
    bodyTimeout: LIMITS.request,
  });
  const interval = 1000 / rate;
  const unmeasured = Math.round(rate * OPTIONS.warmup);
  const total = unmeasured + Math.round(rate * OPTIONS.duration);
  const latencies = [];
  // When each measured request was due (ms since the schedule's start) and
  // how long it took: where in the phase the slowest ones fall.
  const timeline = [];
  const failures = [];
  let latestSend = 0; // how late the client itself sent a request, in ms
  const inFlight = new Set();

  const send = (n, due) => {
    latestSend = Math.max(latestSend, performance.now() - due);
    const done = pool
      .request({
        path: read.path(randomService()),
        method: 'GET',
        headers: AUTH,
      })
      .then(async ({ statusCode, body }) => {
        await body.arrayBuffer(); // the whole answer, as a browser waits for it
        if (statusCode < 200 || statusCode > 299)
          throw new Error(`HTTP ${statusCode}`);
        if (n >= unmeasured) {
          latencies.push(performance.now() - due);
          timeline.push({ at: due - start, ms: performance.now() - due });
        }
      })
      .catch(error => {
        if (n >= unmeasured) failures.push(error.message);
      })
      .finally(() => inFlight.delete(done));
    inFlight.add(done);
  };

  const start = performance.now() + 20;
  let next = 0;
  await new Promise(resolve => {
    const tick = () => {
      const now = performance.now();
      // Every request due by now goes out now, timed from when it was due.
      while (next < total && start + next * interval <= now) {
        send(next, start + next * interval);
        next++;
      }
      if (next < total) {
        setTimeout(
          tick,
          Math.max(0, start + next * interval - performance.now()),
        );
      } else {
        resolve();
      }
    };
    setTimeout(tick, 20);
  });
  const drained = await Promise.race([
    Promise.all(inFlight).then(() => true),
    deadline(LIMITS.request + 5000).then(() => false),
  ]);
  await pool.destroy();

  latencies.sort((a, b) => a - b);
  const slowest = slowestSeconds(timeline, percentile(latencies, 99), start);
  const result = {
    rate,
    requests: latencies.length + failures.length,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    max: latencies[latencies.length - 1],
    failed: failures.length + (drained ? 0 : inFlight.size),
    firstFailure: failures[0],
    latestSendMs: latestSend,
    timedOut: !drained,
    slowest,
  };
  log(
    `${read.name}, open loop ${rate} req/s: p50 ${fmt(result.p50)}, p99 ${fmt(
      result.p99,
    )}, max ${fmt(result.max)} over ${result.requests} requests, failed ${
      result.failed
    }${
      result.firstFailure ? ` (${result.firstFailure})` : ''
    }; latest send ${fmt(latestSend)} after its time${
      slowest.length
        ? `; the slowest 1 % came in the seconds ${slowest
            .map(s => `${s.second} (${s.count}, ${s.wallClock})`)
            .join(', ')}`
        : ''
    }`,
  );
  return result;
}

/**
 * The seconds of the phase (counted from its first request, warm-up
 * included) in which most of the requests at or above the p99 were due, with
 * their wall-clock time to find in the backend's log: a tail spread over the
 * whole phase is queueing, one bunched in a few seconds is something else
 * running then (a scheduled task, GC, the catalog's processing).
 */
function slowestSeconds(timeline, p99, start) {
  if (!Number.isFinite(p99)) return [];
  const perSecond = new Map();
  for (const { at, ms } of timeline) {
    if (ms < p99) continue;
    const second = Math.floor(at / 1000);
    perSecond.set(second, (perSecond.get(second) ?? 0) + 1);
  }
  const origin = Date.now() - performance.now() + start;
  return [...perSecond]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 5)
    .map(([second, count]) => ({
      second: `+${second} s`,
      count,
      wallClock: new Date(origin + second * 1000).toISOString().slice(11, 19),
    }));
}

export const fmt = ms => (Number.isFinite(ms) ? `${ms.toFixed(1)} ms` : 'n/a');
