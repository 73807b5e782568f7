#!/usr/bin/env node
/*
 * yarn bench:dora: GET /api/ops/dora on a team's history of 5,000 deployment
 * events and 500 incidents, on a backend the bench starts itself, on SQLite
 * and on PostgreSQL.
 *
 *   flock /tmp/opsdeck-ports.lock yarn bench:dora [--db sqlite|postgres|both]
 *                                 [--duration S] [--connections N]
 *
 * For each database it:
 *   1. writes a catalog (group bench-team owning svc-01..svc-10) and starts
 *      packages/backend on 127.0.0.1:7107 in production settings
 *      (bench/lib/backend.mjs; PostgreSQL of its own under .run/bench/dora/);
 *   2. seeds, through the ops API, doraHistory.mjs's hand-computed history
 *      for svc-01 (559 deployment events, 50 incidents) and a generated one
 *      for the other nine (dora/team.mjs), 13 weeks that end before this week;
 *   3. checks svc-01's figures against the hand computation and the team's
 *      counts against the generated history;
 *   4. measures, over --connections connections for --duration seconds after
 *      a warm-up: the DORA of svc-01, the DORA of the team (also while a
 *      deployment of the team is recorded every second, each one making the
 *      backend compute the figures again), and the team over
 *      the widest window (366 days) with the catalog read by name beside it;
 *   5. stops the backend (and its PostgreSQL),
 * then prints one table with p50/p99 and the verdict p99 < 100 ms. Exits
 * non-zero when a figure differs, a request failed or a target is missed.
 */

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import {
  compareWithHandComputation,
  doraHistory,
  EXPECTED,
  seedDoraHistory,
} from './doraHistory.mjs';
import {
  BENCH_PORT,
  benchLog,
  launchBackend,
  ROOT,
  waitFor,
} from './lib/backend.mjs';
import {
  fillerHistory,
  GROUP,
  USER,
  seedInParallel,
  serviceRef,
  SERVICES,
  writeTeamCatalog,
} from './dora/team.mjs';
import {
  measure,
  measureBeside,
  P99_TARGET_MS,
  printTable,
} from './dora/measure.mjs';

const { values: args } = parseArgs({
  options: {
    db: { type: 'string', default: 'both' },
    duration: { type: 'string', default: '20' },
    connections: { type: 'string', default: '10' },
    // 0: a free port, for a run that cannot wait for the shared lock
    port: { type: 'string', default: String(BENCH_PORT) },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (args.help) {
  console.log(
    'usage: flock /tmp/opsdeck-ports.lock yarn bench:dora [--db sqlite|postgres|both] [--duration SECONDS] [--connections N] [--port N, 0 for a free one]',
  );
  process.exit(0);
}
const DATABASES = {
  sqlite: ['sqlite'],
  postgres: ['postgres'],
  both: ['sqlite', 'postgres'],
}[args.db];
const DURATION = Number(args.duration);
const CONNECTIONS = Number(args.connections);
if (
  !DATABASES ||
  !(
    Number.isInteger(Number(args.port)) &&
    Number(args.port) >= 0 &&
    Number(args.port) < 65536
  ) ||
  !(DURATION >= 1 && DURATION <= 600) ||
  !(CONNECTIONS >= 1 && CONNECTIONS <= 200)
) {
  console.error(
    '--db must be sqlite, postgres or both, --duration 1 to 600 seconds, --connections 1 to 200, --port 0 (a free one) to 65535',
  );
  process.exit(2);
}
const WARMUP = 3;
const WIDEST_DAYS = 366; // ops.deployments.maxWindow's default
const RUN_DIR = path.join(ROOT, '.run', 'bench', 'dora');
const log = benchLog('bench:dora');
/** The backend being measured, stopped with the bench when it is interrupted. */
let running;

/** The 13 weeks of the history: whole weeks that end before this week's Sunday. */
function historyStart() {
  const DAY = 86_400_000;
  const today = Math.floor(Date.now() / DAY) * DAY;
  const thisSunday = today - new Date(today).getUTCDay() * DAY;
  return new Date(thisSunday - EXPECTED.days * DAY).toISOString().slice(0, 10);
}

/** A token of the bench's user, from the guest sign-in (the catalog must hold the user). */
async function userHeaders(baseUrl) {
  const res = await fetch(`${baseUrl}/api/auth/guest/refresh`, {
    headers: { 'x-requested-with': 'XMLHttpRequest' },
    signal: AbortSignal.timeout(30_000),
  });
  if (!res.ok) {
    throw new Error(
      `guest sign-in as ${USER}: ${res.status} ${await res.text()}`,
    );
  }
  const token = (await res.json()).backstageIdentity.token;
  return {
    authorization: `Bearer ${token}`,
    'content-type': 'application/json',
  };
}

/** A JSON client of the ops API: deployments with the CI token, the rest as the user. */
function client(backend, asUser) {
  return async (method, apiPath, body) => {
    const res = await fetch(`${backend.baseUrl}/api/ops${apiPath}`, {
      method,
      headers: apiPath === '/deployments' ? backend.headers : asUser,
      body: body ? JSON.stringify(body) : undefined,
      signal: AbortSignal.timeout(30_000),
    });
    const text = await res.text();
    if (!res.ok) {
      throw new Error(
        `${method} ${apiPath}: ${res.status} ${text.slice(0, 300)}`,
      );
    }
    return JSON.parse(text);
  };
}

async function benchDatabase(db, catalogFile) {
  log(`=== ${db} ===`);
  const backend = await launchBackend({
    db,
    dir: path.join(RUN_DIR, db),
    catalogFile,
    log,
    port: Number(args.port),
    extraConfig: `ops:
  # the seed writes 5,500 records within a minute
  rateLimit:
    writes: false
  # deployments are posted as CI does, with the bench's token
  principals:
    deployments: [bench]
auth:
  providers:
    # incidents and the measured reads go as a member of the team, signed in
    # as a guest; allowed in production settings here only: loopback, no data
    guest:
      userEntityRef: ${USER}
      dangerouslyAllowOutsideDevelopment: true
`,
  });
  running = backend;
  try {
    return await seedAndMeasure(db, backend);
  } finally {
    running = undefined;
    await backend.stop();
  }
}

async function seedAndMeasure(db, backend) {
  await waitFor(
    `${SERVICES} services of ${GROUP} and ${USER} in the catalog`,
    async () => {
      const count = async filter =>
        (
          await fetch(
            `${backend.baseUrl}/api/catalog/entities/by-query?filter=${filter}&limit=1`,
            { headers: backend.headers },
          ).then(r => r.json())
        ).totalItems;
      return (
        (await count(`kind=component,relations.ownedBy=${GROUP}`)) >=
          SERVICES &&
        (await count(`kind=user,relations.memberOf=${GROUP}`)) >= 1
      );
    },
    { timeoutMs: 300_000, everyMs: 2000 },
  );
  const asUser = await userHeaders(backend.baseUrl);
  const api = client(backend, asUser);

  const environment = 'production';
  const hand = doraHistory(historyStart(), {
    entityRef: serviceRef(0),
    environment,
  });
  const filler = fillerHistory(hand, environment);
  const io = {
    post: (p, body) => api('POST', p, body),
    patch: (p, body) => api('PATCH', p, body),
  };
  log(
    `seeding ${
      hand.deployments.length + filler.deployments.length
    } deployment events and ${
      hand.incidents.length + filler.incidents.length
    } incidents, ${hand.window.from} to ${hand.window.to}`,
  );
  const seeding = Date.now();
  await seedDoraHistory(hand, io);
  await seedInParallel(filler, io);
  log(`seeded in ${((Date.now() - seeding) / 1000).toFixed(1)} s`);

  const window = { from: hand.window.from, to: hand.window.to };
  const servicePath = `/dora?${new URLSearchParams({
    entityRef: serviceRef(0),
    ...window,
  })}`;
  const teamPath = `/dora?${new URLSearchParams({ group: GROUP, ...window })}`;
  const differences = compareWithHandComputation(await api('GET', servicePath));
  const team = await api('GET', teamPath);
  const teamExpected = {
    deployments: EXPECTED.deployments + filler.expected.succeeded,
    restored: EXPECTED.restoreSamples + filler.expected.resolved,
    services: SERVICES,
  };
  const teamActual = {
    deployments: team.deploymentFrequency.deployments,
    restored: team.timeToRestore.samples,
    services: team.entityRefs.length,
  };
  for (const key of Object.keys(teamExpected)) {
    if (teamExpected[key] !== teamActual[key]) {
      differences.push(
        `team ${key}: expected ${teamExpected[key]}, got ${teamActual[key]}`,
      );
    }
  }
  if (differences.length) {
    throw new Error(`the figures differ:\n  ${differences.join('\n  ')}`);
  }
  log(
    `svc-01 matches the hand computation (${
      EXPECTED.deployments
    } deployments, lead time ${
      EXPECTED.medianLeadTimeMinutes
    } min, change failure rate ${(EXPECTED.changeFailureRate * 100).toFixed(
      1,
    )} %, time to restore ${EXPECTED.medianTimeToRestoreMinutes} min); ` +
      `team: ${teamActual.deployments} deployments, change failure rate ${(
        team.changeFailureRate.rate * 100
      ).toFixed(1)} %, ${teamActual.restored} restores`,
  );

  const options = {
    headers: asUser,
    connections: CONNECTIONS,
    duration: DURATION,
    warmup: WARMUP,
  };
  const url = p => `${backend.baseUrl}/api/ops${p}`;
  const rows = [];
  const read = async (
    name,
    rowsRead,
    p,
    { whileWriting = false, target = true } = {},
  ) => {
    log(
      `${name}: ${CONNECTIONS} connections, ${WARMUP} s warm-up + ${DURATION} s`,
    );
    // A deployment of the team recorded every second changes the stamp the
    // backend keeps the figures under: each one makes the next read compute
    // them again.
    let written = 0;
    const writer = whileWriting
      ? setInterval(() => {
          io.post('/deployments', {
            entityRef: serviceRef(1),
            environment,
            version: `bench-write-${++written}`,
            status: 'succeeded',
            startedAt: new Date().toISOString(),
          }).catch(error => log(`a write failed: ${error}`));
        }, 1000)
      : undefined;
    const result = await measure(url(p), options).finally(() =>
      clearInterval(writer),
    );
    log(
      `${name}: p50 ${result.p50} ms, p99 ${
        result.p99
      } ms, ${result.perSecond.toFixed(0)} req/s, failed ${result.failed}${
        whileWriting ? `; ${written} deployments recorded meanwhile` : ''
      }`,
    );
    rows.push({ db, read: name, rows: rowsRead, result, target });
  };
  await read(
    'one service (svc-01), 13 weeks',
    `${hand.deployments.length} deployments, ${hand.incidents.length} incidents`,
    servicePath,
  );
  await read(
    `team (${SERVICES} services), 13 weeks`,
    `${hand.deployments.length + filler.deployments.length} deployments, ${
      hand.incidents.length + filler.incidents.length
    } incidents`,
    teamPath,
  );
  // Not the issue's target (reads of a history that is not being written),
  // shown beside it: what the computations the writes cause add.
  await read(
    `team, 13 weeks, a deployment recorded every second (no target)`,
    'the same',
    teamPath,
    { whileWriting: true, target: false },
  );

  const to = new Date();
  const widePath = `/dora?${new URLSearchParams({
    group: GROUP,
    from: new Date(to.getTime() - WIDEST_DAYS * 86_400_000).toISOString(),
    to: to.toISOString(),
  })}`;
  await api('GET', widePath); // the window is allowed at all, and warm
  log(
    `team over ${WIDEST_DAYS} days with the catalog read by name beside it, ${DURATION} s`,
  );
  const { main, beside } = await measureBeside(
    url(widePath),
    `${backend.baseUrl}/api/catalog/entities/by-name/component/default/svc-01`,
    options,
  );
  log(
    `team over ${WIDEST_DAYS} days: p50 ${main.p50} ms, p99 ${main.p99} ms; catalog by-name beside it: p50 ${beside.p50} ms, p99 ${beside.p99} ms`,
  );
  rows.push({
    db,
    read: `team, ${WIDEST_DAYS}-day window`,
    rows: 'the same',
    result: main,
  });
  rows.push({
    db,
    read: 'beside it: catalog by-name, 1 connection',
    rows: '-',
    result: beside,
    target: false,
  });
  return { db, code: backend.code, rows, catalogBeside: beside };
}

async function main() {
  fs.mkdirSync(RUN_DIR, { recursive: true });
  const catalogFile = path.join(RUN_DIR, 'catalog.yaml');
  writeTeamCatalog(catalogFile);
  console.log(
    `machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${(
      os.totalmem() /
      2 ** 30
    ).toFixed(0)} GiB, load average ${os
      .loadavg()
      .map(l => l.toFixed(2))
      .join(' ')}`,
  );
  const results = [];
  let failed = false;
  for (const db of DATABASES) {
    try {
      results.push(await benchDatabase(db, catalogFile));
    } catch (error) {
      failed = true;
      log(`${db} FAILED: ${error.message}`);
    }
  }
  const rows = results.flatMap(r => r.rows);
  if (rows.length)
    printTable(rows, { connections: CONNECTIONS, duration: DURATION });
  for (const r of results) console.log(`${r.db}: code ${r.code}`);
  console.log(
    `load average at the end: ${os
      .loadavg()
      .map(l => l.toFixed(2))
      .join(' ')}`,
  );
  const missed = rows.filter(
    r => r.target !== false && r.result.p99 >= P99_TARGET_MS,
  );
  const requestsFailed = rows.some(r => r.result.failed > 0);
  console.log(
    missed.length || failed || requestsFailed
      ? `verdict: NOT MET (${
          missed.length
        } read(s) with p99 >= ${P99_TARGET_MS} ms${
          failed ? ', a database run failed' : ''
        }${requestsFailed ? ', requests failed' : ''})`
      : `verdict: met, every p99 < ${P99_TARGET_MS} ms`,
  );
  if (missed.length || failed || requestsFailed) process.exitCode = 1;
}

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    if (stopping) return;
    stopping = true;
    log(`${signal}: stopping`);
    Promise.resolve(running?.stop()).finally(() => process.exit(130));
  });
}

main().catch(error => {
  console.error(`bench:dora failed: ${error.message}`);
  process.exitCode = 1;
});
