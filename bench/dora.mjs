#!/usr/bin/env node
/*
 * yarn bench:dora: seeds a deployment history of 559 deployments (546
 * changes, 13 rollbacks) and 50 incidents into a running OpsDeck backend,
 * checks that GET /api/ops/dora answers the figures worked out by hand (see
 * doraHistory.mjs), and measures that endpoint: requests per second, p50,
 * p99.
 *
 *   yarn bench:dora [--url http://127.0.0.1:7007] [--token T]
 *                   [--entity component:default/search-api]
 *                   [--duration S] [--connections N]
 *
 * The backend is the one `make start` runs (start it under the shared lock).
 * Deployments are posted with a CI token (--token, default: the demo CI token
 * of app-config.yaml, which OpsDeck accepts on POST /deployments only);
 * incidents and the measured reads go as a person would, with --user-token
 * (default: a guest sign-in of the demo, as scripts/e2e.sh does). Each run seeds its own environment
 * (bench-<random>) in its own 13 weeks in the past, so runs do not mix.
 * Exits non-zero when the figures differ or a request failed.
 */

import autocannon from 'autocannon';
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import {
  compareWithHandComputation,
  doraHistory,
  EXPECTED,
  seedDoraHistory,
} from './doraHistory.mjs';

const { values: args } = parseArgs({
  options: {
    url: { type: 'string', default: 'http://127.0.0.1:7007' },
    token: { type: 'string', default: 'opsdeck-demo-ci-token-2026' },
    'user-token': { type: 'string' },
    entity: { type: 'string', default: 'component:default/search-api' },
    duration: { type: 'string', default: '15' },
    connections: { type: 'string', default: '10' },
    'max-window-days': { type: 'string', default: '366' },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (args.help) {
  console.log(
    'usage: yarn bench:dora [--url URL] [--token CI_TOKEN] [--user-token TOKEN] [--entity REF] [--duration SECONDS] [--connections N]',
  );
  process.exit(0);
}
const DURATION = Number(args.duration);
const CONNECTIONS = Number(args.connections);
if (
  !(DURATION >= 1 && DURATION <= 600) ||
  !(CONNECTIONS >= 1 && CONNECTIONS <= 200)
) {
  console.error('--duration must be 1 to 600 seconds, --connections 1 to 200');
  process.exit(2);
}

const BASE = args.url.replace(/\/$/, '');
async function guestToken() {
  const res = await fetch(`${BASE}/api/auth/guest/refresh`, {
    headers: { 'x-requested-with': 'XMLHttpRequest' },
    signal: AbortSignal.timeout(30_000),
  });
  if (!res.ok) {
    throw new Error(`guest sign-in: ${res.status}; pass --user-token`);
  }
  return (await res.json()).backstageIdentity.token;
}

const headersOf = token => ({
  authorization: `Bearer ${token}`,
  'content-type': 'application/json',
});
const CI_HEADERS = headersOf(args.token);
const HEADERS = headersOf(args['user-token'] ?? (await guestToken()));
const log = (...parts) =>
  console.log(`[bench ${new Date().toISOString().slice(11, 19)}]`, ...parts);

async function api(method, path, body) {
  const res = await send(method, path, body);
  if (res.status === 429 && method !== 'GET') {
    // the backend's write rate limit (ops.rateLimit.writes): wait as told once
    const seconds = Number(res.headers.get('retry-after') ?? 60);
    log(`rate limited; waiting ${seconds} s (raise ops.rateLimit.writes)`);
    await new Promise(resolve => setTimeout(resolve, seconds * 1000));
    return parse(method, path, await send(method, path, body));
  }
  return parse(method, path, res);
}

function send(method, path, body) {
  return fetch(`${BASE}/api/ops${path}`, {
    method,
    headers:
      method === 'POST' && path === '/deployments' ? CI_HEADERS : HEADERS,
    body: body ? JSON.stringify(body) : undefined,
    signal: AbortSignal.timeout(30_000),
  });
}

async function parse(method, path, res) {
  const text = await res.text();
  if (!res.ok) {
    throw new Error(`${method} ${path}: ${res.status} ${text.slice(0, 300)}`);
  }
  return JSON.parse(text);
}

/** A Sunday 00:00 UTC between 2001 and 2020, different for every run. */
function randomSunday() {
  const firstSunday = Date.parse('2001-01-07T00:00:00Z');
  const week = 7 * 24 * 3600_000;
  const weeks = Math.floor((Date.parse('2020-01-01') - firstSunday) / week);
  const pick = randomBytes(4).readUInt32BE() % weeks;
  return new Date(firstSunday + pick * week).toISOString().slice(0, 10);
}

async function main() {
  const environment = `bench-${randomBytes(4).toString('hex')}`;
  const history = doraHistory(randomSunday(), {
    entityRef: args.entity,
    environment,
  });
  const query = new URLSearchParams({
    entityRef: args.entity,
    from: history.window.from,
    to: history.window.to,
    environment,
  });
  const doraPath = `/dora?${query}`;

  log(`backend ${BASE}, entity ${args.entity}, environment ${environment}`);
  const before = await api('GET', doraPath);
  if (before.deploymentFrequency.deployments !== 0) {
    throw new Error(
      `the window ${history.window.from} already has deployments`,
    );
  }
  log(
    `seeding ${history.deployments.length} deployments and ${history.incidents.length} incidents, ${history.window.from} to ${history.window.to}`,
  );
  const seeding = Date.now();
  await seedDoraHistory(history, {
    post: (path, body) => api('POST', path, body),
    patch: (path, body) => api('PATCH', path, body),
  });
  log(`seeded in ${((Date.now() - seeding) / 1000).toFixed(1)} s`);

  const dora = await api('GET', doraPath);
  const differences = compareWithHandComputation(dora);
  if (differences.length) {
    throw new Error(
      `the figures differ from the hand computation:\n  ${differences.join(
        '\n  ',
      )}`,
    );
  }
  log(
    `figures match the hand computation: ${EXPECTED.deployments} deployments (${
      EXPECTED.perDay
    }/day, ${EXPECTED.frequencyBucket}), lead time ${
      EXPECTED.medianLeadTimeMinutes
    } min, change failure rate ${(EXPECTED.changeFailureRate * 100).toFixed(
      1,
    )} %, time to restore ${EXPECTED.medianTimeToRestoreMinutes} min`,
  );

  log(
    `GET /api/ops${doraPath.slice(
      0,
      60,
    )}... for ${DURATION} s, ${CONNECTIONS} connections`,
  );
  const result = await autocannon({
    url: `${BASE}/api/ops${doraPath}`,
    headers: HEADERS,
    connections: CONNECTIONS,
    duration: DURATION,
    timeout: 30,
  });
  const failed = result.non2xx + result.errors + result.timeouts;
  console.log('');
  console.log(
    '| endpoint | history | requests | req/s | p50 ms | p99 ms | failed |',
  );
  console.log('| --- | --- | --- | --- | --- | --- | --- |');
  console.log(
    `| GET /api/ops/dora | ${history.deployments.length} deployments, ${
      history.incidents.length
    } incidents | ${result.requests.total} | ${result.requests.average.toFixed(
      1,
    )} | ${result.latency.p50} | ${result.latency.p99} | ${failed} |`,
  );
  const widest = await widestWindowUnderLoad();
  if (failed || !widest) process.exit(1);
}

/**
 * The widest window the backend allows (ops.deployments.maxWindow, 366 days by
 * default) asked by CONNECTIONS clients at once, while one client reads an
 * entity from the catalog by name: a DORA read must not stall the rest of the
 * backend. Passes when the catalog's p99 stays under 100 ms.
 */
async function widestWindowUnderLoad() {
  const to = new Date();
  const from = new Date(
    to.getTime() - Number(args['max-window-days']) * 86_400_000,
  );
  const widePath = `/dora?${new URLSearchParams({
    entityRef: args.entity,
    from: from.toISOString(),
    to: to.toISOString(),
  })}`;
  await api('GET', widePath); // the window is allowed at all
  const [name, namespace = 'default'] = args.entity
    .replace(/^component:/, '')
    .split('/')
    .reverse();
  const catalogUrl = `${BASE}/api/catalog/entities/by-name/component/${namespace}/${name}`;
  log(
    `GET /api/ops/dora over ${args['max-window-days']} days from ${CONNECTIONS} clients, with the catalog read by name beside it, for ${DURATION} s`,
  );
  const [dora, catalog] = await Promise.all([
    autocannon({
      url: `${BASE}/api/ops${widePath}`,
      headers: HEADERS,
      connections: CONNECTIONS,
      duration: DURATION,
      timeout: 30,
    }),
    autocannon({
      url: catalogUrl,
      headers: HEADERS,
      connections: 1,
      duration: DURATION,
      timeout: 30,
    }),
  ]);
  const failed =
    dora.non2xx +
    dora.errors +
    dora.timeouts +
    catalog.non2xx +
    catalog.errors +
    catalog.timeouts;
  const pass = failed === 0 && catalog.latency.p99 < 100;
  console.log('');
  console.log('| under load | requests | req/s | p50 ms | p99 ms | failed |');
  console.log('| --- | --- | --- | --- | --- | --- |');
  for (const [label, r] of [
    [
      `GET /api/ops/dora, ${args['max-window-days']}-day window, ${CONNECTIONS} clients`,
      dora,
    ],
    ['GET /api/catalog/entities/by-name, 1 client', catalog],
  ]) {
    console.log(
      `| ${label} | ${r.requests.total} | ${r.requests.average.toFixed(1)} | ${
        r.latency.p50
      } | ${r.latency.p99} | ${r.non2xx + r.errors + r.timeouts} |`,
    );
  }
  log(
    `catalog by-name p99 ${catalog.latency.p99} ms under DORA load: ${
      pass ? 'within' : 'OVER'
    } the 100 ms target`,
  );
  return pass;
}

main().catch(error => {
  console.error(`bench:dora failed: ${error.message}`);
  process.exit(1);
});
