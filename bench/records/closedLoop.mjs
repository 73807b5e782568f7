// Closed-loop load with autocannon: each connection sends its next request
// when the previous one is answered. Used for the creates and for saturation
// throughput (latency under a closed loop is mostly queueing, so only the
// requests per second are compared).

import autocannon from 'autocannon';
import {
  AUTH,
  BASE,
  LIMITS,
  OPTIONS,
  log,
  randomService,
  serviceRef,
} from './options.mjs';

/** Runs autocannon, stopping it after `limitMs` at the latest; resolves with its result. */
function cannon(options, limitMs) {
  return new Promise((resolve, reject) => {
    let timedOut = false;
    const instance = autocannon(
      {
        url: BASE,
        connections: OPTIONS.connections,
        timeout: LIMITS.request / 1000,
        headers: AUTH,
        ...options,
      },
      (error, result) => {
        clearTimeout(timer);
        if (error) reject(error);
        else resolve({ ...result, timedOut });
      },
    );
    const timer = setTimeout(() => {
      timedOut = true;
      instance.stop();
    }, limitMs);
  });
}

/** Failed requests of an autocannon result: non-2xx responses, socket errors and timeouts. */
const failures = r => r.non2xx + r.errors + r.timeouts;

/** POSTs OPTIONS.incidents incidents, round-robin over the services, with random severities. */
export async function createIncidents(severities) {
  const total = OPTIONS.incidents;
  let next = 0;
  const started = Date.now();
  const progress = setInterval(
    () => log(`creates: ${Math.min(next, total)}/${total}`),
    30_000,
  );
  const result = await cannon(
    {
      amount: total,
      requests: [
        {
          method: 'POST',
          path: '/api/ops/incidents',
          headers: { ...AUTH, 'content-type': 'application/json' },
          // Called for every request: a new body each time.
          setupRequest: req => {
            const n = next++;
            req.body = JSON.stringify({
              entityRef: serviceRef(n % OPTIONS.services),
              title: `Bench incident ${n + 1}`,
              severity:
                severities[Math.floor(Math.random() * severities.length)],
            });
            return req;
          },
        },
      ],
    },
    LIMITS.creates,
  ).finally(() => clearInterval(progress));
  const seconds = (Date.now() - started) / 1000;
  return {
    created: result['2xx'],
    failed: failures(result),
    seconds,
    perSecond: result['2xx'] / seconds,
    p50: result.latency.p50,
    p99: result.latency.p99,
    timedOut: result.timedOut,
  };
}

/**
 * Saturation: `read.path(service)` over OPTIONS.connections connections. With
 * `cold`, first every service once, in order (the cold reads: the ops plugin
 * has not yet asked the catalog about the entity, the databases' caches are
 * cold); then a warm-up and OPTIONS.duration seconds of random services.
 */
export async function saturation(read, { cold: withCold }) {
  log(
    `${read.name}, saturation: ${OPTIONS.connections} connections, ${
      withCold ? 'each service once, ' : ''
    }${OPTIONS.warmup} s warm-up + ${OPTIONS.duration} s`,
  );
  const requests = makePath => [
    {
      method: 'GET',
      setupRequest: req => {
        req.path = makePath();
        return req;
      },
    },
  ];
  let next = 0;
  const cold = withCold
    ? await cannon(
        {
          amount: OPTIONS.services,
          requests: requests(() => read.path(next++ % OPTIONS.services)),
        },
        LIMITS.read,
      )
    : undefined;
  const random = requests(() => read.path(randomService()));
  await cannon({ duration: OPTIONS.warmup, requests: random }, LIMITS.read);
  const r = await cannon(
    { duration: OPTIONS.duration, requests: random },
    LIMITS.read,
  );
  const result = {
    perSecond: r['2xx'] / r.duration,
    p50: r.latency.p50,
    p99: r.latency.p99,
    coldP50: cold?.latency.p50,
    coldP99: cold?.latency.p99,
    requests: r['2xx'] + r.non2xx,
    failed: failures(r) + (cold ? failures(cold) : 0),
    timedOut: r.timedOut || Boolean(cold?.timedOut),
  };
  const coldFigures = cold
    ? ` (cold reads: p50 ${result.coldP50} ms, p99 ${result.coldP99} ms)`
    : '';
  log(
    `${read.name}, saturation: ${result.perSecond.toFixed(0)} req/s, p50 ${
      result.p50
    } ms, p99 ${result.p99} ms${coldFigures}, failed ${result.failed}`,
  );
  return result;
}
