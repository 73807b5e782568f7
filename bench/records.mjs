#!/usr/bin/env node
/*
 * yarn bench:records: load and read the OpsDeck records API of a really
 * running backend, on SQLite and on PostgreSQL, and print the figures.
 *
 *   yarn bench:records [--db sqlite|postgres|both] [--incidents N] [--services N]
 *                      [--duration S] [--connections N] [--page-size N]
 *                      [--processing-interval S|default]
 *
 * For each database it:
 *   1. writes a catalog of N services (Components svc-0001.. owned by one group)
 *      and a config file for the backend, both under .run/bench/ (git-ignored);
 *   2. starts packages/backend on port 7107 with app-config.yaml plus that file,
 *      waits for its readiness and for the catalog to hold every service;
 *   3. creates the incidents through POST /api/ops/incidents with autocannon
 *      (round-robin over the services, random severities): creates per second;
 *   4. reads one service's incidents, GET /api/ops/incidents?entityRef=..&limit=<page size>,
 *      and then the catalog's GET /api/catalog/entities/by-name/.. for
 *      comparison: each service once (cold reads: p50, p99), then random
 *      services for --duration seconds (the steady state: requests per second,
 *      p50 and p99 latency); and, for scale, the catalog's first page of as
 *      many components (GET /api/catalog/entities/by-query?limit=<page size>);
 *   5. stops the backend (and the PostgreSQL it started),
 * and finally prints one table row per database. Exits non-zero when a request
 * failed (any non-2xx response, error or timeout) or a step timed out.
 *
 * Every wait has a timeout and all traffic goes to 127.0.0.1. See bench/README.md.
 */

import autocannon from 'autocannon';
import { spawn, execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { parseArgs, promisify } from 'node:util';

const execFileAsync = promisify(execFile);

// --- options ----------------------------------------------------------------

const { values: args } = parseArgs({
  options: {
    db: { type: 'string', default: 'both' },
    incidents: { type: 'string', default: '100000' },
    services: { type: 'string', default: '1000' },
    duration: { type: 'string', default: '20' },
    connections: { type: 'string', default: '50' },
    'page-size': { type: 'string', default: '50' },
    'processing-interval': { type: 'string', default: 'default' },
    help: { type: 'boolean', short: 'h', default: false },
  },
});

if (args.help) {
  console.log(
    'usage: yarn bench:records [--db sqlite|postgres|both] [--incidents N] ' +
      '[--services N] [--duration SECONDS] [--connections N] [--page-size N] ' +
      '[--processing-interval SECONDS|default]',
  );
  process.exit(0);
}

function positiveInt(name, max) {
  const value = Number(args[name]);
  if (!Number.isInteger(value) || value < 1 || value > max) {
    console.error(`--${name} must be an integer from 1 to ${max}`);
    process.exit(2);
  }
  return value;
}

const DATABASES = {
  sqlite: ['sqlite'],
  postgres: ['postgres'],
  both: ['sqlite', 'postgres'],
}[args.db];
if (!DATABASES) {
  console.error('--db must be sqlite, postgres or both');
  process.exit(2);
}
const INCIDENTS = positiveInt('incidents', 10_000_000);
const SERVICES = positiveInt('services', 99_999);
const DURATION = positiveInt('duration', 3600); // seconds per read phase
const CONNECTIONS = positiveInt('connections', 1000);
// Incidents per list page (the Incidents card asks for 50); at most the API's 500.
const PAGE_SIZE = positiveInt('page-size', 500);
// Seconds between two processings of the same catalog entity; 'default' keeps
// the catalog's own (100 to 150 s). New entities are processed at once either
// way; a short interval only adds background work to the measurements.
const PROCESSING_INTERVAL =
  args['processing-interval'] === 'default'
    ? undefined
    : positiveInt('processing-interval', 86_400);
const WARMUP = Math.min(3, DURATION); // seconds of unmeasured reads before each read phase

// --- fixed settings -----------------------------------------------------------

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const RUN_DIR = path.join(ROOT, '.run', 'bench');
const BACKEND_DIR = path.join(ROOT, 'packages', 'backend');
const PORT = 7107;
// The load generator uses the IPv4 loopback address directly (no name lookup);
// the backend listens on it only.
const BASE = `http://127.0.0.1:${PORT}`;
// A cluster of our own (not the tests' .run/pg-tests), on a port from 5440 up.
const PG_DIR = path.join(RUN_DIR, 'pg');
const PG_FIRST_PORT = 5440;
const TOKEN = randomBytes(24).toString('base64url');
const AUTH = { authorization: `Bearer ${TOKEN}` };

// Time limits (milliseconds), so that no step can hang forever.
const LIMITS = {
  backendStart: 300_000,
  catalog: Math.max(300_000, SERVICES * 600),
  // at least 20 creates/s, or the phase is stopped and reported as failed
  creates: 120_000 + (INCIDENTS / 20) * 1000,
  read: (WARMUP + DURATION) * 1000 + 60_000,
  count: 60_000 + INCIDENTS * 5,
  backendStop: 30_000,
  request: 30_000,
};

const pad = String(SERVICES).length > 4 ? String(SERVICES).length : 4;
const serviceName = i => `svc-${String(i + 1).padStart(pad, '0')}`;
const serviceRef = i => `component:default/${serviceName(i)}`;
const randomService = () => Math.floor(Math.random() * SERVICES);

// Each line shows the machine's 1-minute load average: other work on the
// machine shares its cores with the backend and the load generator.
const log = (...parts) =>
  console.log(
    `[bench ${new Date().toISOString().slice(11, 19)} load ${os
      .loadavg()[0]
      .toFixed(1)}]`,
    ...parts,
  );

// --- small helpers ------------------------------------------------------------

const sleep = ms => new Promise(resolve => setTimeout(resolve, ms));
/** A sleep that does not keep the process alive, for races against other promises. */
const deadline = ms => new Promise(resolve => setTimeout(resolve, ms).unref());

/** Polls `check` every `everyMs` until it returns a truthy value, or throws after `timeoutMs`. */
async function waitFor(what, check, { timeoutMs, everyMs = 1000 }) {
  const giveUpAt = Date.now() + timeoutMs;
  let last;
  while (Date.now() < giveUpAt) {
    try {
      const result = await check();
      if (result) return result;
    } catch (error) {
      if (error.fatal) throw error;
      last = error;
    }
    await sleep(everyMs);
  }
  throw new Error(
    `Timed out after ${timeoutMs / 1000} s waiting for ${what}${
      last ? ` (last error: ${last.message})` : ''
    }`,
  );
}

/** A JSON request to the backend, with the bench token and a timeout. */
async function api(pathAndQuery, init = {}) {
  const res = await fetch(`${BASE}${pathAndQuery}`, {
    ...init,
    headers: { ...AUTH, 'content-type': 'application/json', ...init.headers },
    signal: AbortSignal.timeout(LIMITS.request),
  });
  const text = await res.text();
  if (!res.ok) {
    throw new Error(
      `${init.method ?? 'GET'} ${pathAndQuery}: ${res.status} ${text.slice(
        0,
        300,
      )}`,
    );
  }
  return JSON.parse(text);
}

function portInUse(port) {
  return new Promise(resolve => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
    socket.setTimeout(2000, () => {
      socket.destroy();
      resolve(false);
    });
  });
}

/**
 * The code the backend runs: the commit, and the uncommitted changes under
 * packages/ and plugins/ (others may be editing them while the bench runs).
 */
async function codeVersion() {
  const git = async (...gitArgs) =>
    (
      await execFileAsync('git', gitArgs, { cwd: ROOT, timeout: 30_000 })
    ).stdout.trim();
  try {
    const commit = await git('rev-parse', '--short', 'HEAD');
    const changed = (
      await git('status', '--porcelain', '--', 'packages', 'plugins')
    )
      .split('\n')
      .filter(Boolean);
    return changed.length
      ? `${commit} + ${changed.length} uncommitted change(s) in packages/ and plugins/`
      : commit;
  } catch (error) {
    return `unknown (${error.message})`;
  }
}

// --- generated files ------------------------------------------------------------

/** The catalog: one group owning SERVICES components, in one multi-document YAML file. */
function writeCatalog() {
  const docs = [
    [
      'apiVersion: backstage.io/v1alpha1',
      'kind: Group',
      'metadata:',
      '  name: bench-team',
      'spec:',
      '  type: team',
      '  children: []',
    ].join('\n'),
  ];
  for (let i = 0; i < SERVICES; i++) {
    docs.push(
      [
        'apiVersion: backstage.io/v1alpha1',
        'kind: Component',
        'metadata:',
        `  name: ${serviceName(i)}`,
        'spec:',
        '  type: service',
        '  lifecycle: production',
        '  owner: group:default/bench-team',
      ].join('\n'),
    );
  }
  const file = path.join(RUN_DIR, 'catalog.yaml');
  fs.writeFileSync(file, `${docs.join('\n---\n')}\n`);
  return file;
}

/** The backend config layered over app-config.yaml for one database. */
function writeConfig(db, { catalogFile, databaseYaml }) {
  const file = path.join(RUN_DIR, db, 'app-config.bench.yaml');
  fs.writeFileSync(
    file,
    `# Written by bench/records.mjs; layered over app-config.yaml.
backend:
  baseUrl: http://localhost:${PORT}
  listen:
    port: ${PORT}
    host: 127.0.0.1
  database:
${databaseYaml}
  auth:
    externalAccess:
      # the load generator's credentials: a service principal, "external:bench"
      - type: static
        options:
          token: ${TOKEN}
          subject: bench

catalog:
  # only the generated services (an array replaces app-config.yaml's list)
  locations:
    - type: file
      target: ${catalogFile}
${
  PROCESSING_INTERVAL === undefined
    ? ''
    : `  # how often an entity is processed again (new ones are processed at once)
  processingInterval: { seconds: ${PROCESSING_INTERVAL} }
`
}
# no example incidents and drills: the bench writes its own
opsdeckExamples: null
`,
  );
  return file;
}

// --- PostgreSQL ------------------------------------------------------------------

const PG_SCRIPT = path.join(ROOT, 'scripts', 'postgres-for-tests.sh');
const PG_ENV = {
  ...process.env,
  OPSDECK_PG_TESTS_DIR: PG_DIR,
  OPSDECK_PG_TESTS_PORT: String(PG_FIRST_PORT),
};

async function pgScript(command, timeoutMs = 120_000) {
  const { stdout } = await execFileAsync('bash', [PG_SCRIPT, command], {
    env: PG_ENV,
    timeout: timeoutMs,
  });
  return stdout.trim();
}

/** Starts an empty PostgreSQL 15 of our own and returns its connection settings. */
async function startPostgres() {
  // Anything left in .run/bench/pg by an interrupted run is stopped and deleted.
  await pgScript('stop');
  log(
    'starting PostgreSQL (scripts/postgres-for-tests.sh, own directory .run/bench/pg)',
  );
  await pgScript('start');
  const url = new URL(await pgScript('status'));
  return {
    host: url.hostname,
    port: Number(url.port),
    user: decodeURIComponent(url.username),
  };
}

async function stopPostgres() {
  log('stopping PostgreSQL');
  await pgScript('stop');
}

// --- the backend ----------------------------------------------------------------

/**
 * Starts packages/backend with the node flags of `backstage-cli package start`
 * (TypeScript transpiled on load) but without its file watcher, so that edits
 * elsewhere in the repository cannot restart it in the middle of a run, and
 * with NODE_ENV=production unless NODE_ENV is set.
 */
function startBackend(db, configFile) {
  const logFile = path.join(RUN_DIR, db, 'backend.log');
  const out = fs.openSync(logFile, 'w');
  const child = spawn(
    process.execPath,
    [
      '--enable-source-maps',
      '--require',
      path.join(
        ROOT,
        'node_modules/@backstage/cli-node/config/nodeTransform.cjs',
      ),
      'src/index',
      '--config',
      path.join(ROOT, 'app-config.yaml'),
      '--config',
      configFile,
    ],
    {
      cwd: BACKEND_DIR,
      env: {
        ...process.env,
        // As a deployed backend runs. In development Backstage pretty-prints
        // every JSON response (express "json spaces"), a third more bytes to
        // write for a page of incidents, which no deployment pays.
        NODE_ENV: process.env.NODE_ENV ?? 'production',
        ESBK_TSCONFIG_PATH: path.join(ROOT, 'tsconfig.json'),
      },
      stdio: ['ignore', out, out],
    },
  );
  fs.closeSync(out);
  const exited = new Promise(resolve =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  return { child, exited, logFile };
}

async function stopBackend(backend) {
  if (backend.child.exitCode !== null || backend.child.signalCode !== null)
    return;
  log('stopping the backend');
  backend.child.kill('SIGTERM');
  const stopped = await Promise.race([
    backend.exited,
    deadline(LIMITS.backendStop).then(() => null),
  ]);
  if (!stopped) {
    log(
      `the backend did not stop within ${LIMITS.backendStop / 1000} s: SIGKILL`,
    );
    backend.child.kill('SIGKILL');
    await Promise.race([backend.exited, deadline(5000)]);
  }
}

async function waitForBackend(backend) {
  let exited = null;
  backend.exited.then(e => (exited = e));
  await waitFor(
    'the backend readiness (/.backstage/health/v1/readiness)',
    async () => {
      if (exited) {
        const error = new Error(
          `the backend exited (${JSON.stringify(exited)}); see ${
            backend.logFile
          }`,
        );
        error.fatal = true; // no point in waiting any longer
        throw error;
      }
      const res = await fetch(`${BASE}/.backstage/health/v1/readiness`, {
        signal: AbortSignal.timeout(5000),
      });
      return res.ok;
    },
    { timeoutMs: LIMITS.backendStart },
  );
}

async function waitForCatalog() {
  let seen = -1;
  await waitFor(
    `${SERVICES} components in the catalog`,
    async () => {
      const { totalItems } = await api(
        '/api/catalog/entities/by-query?filter=kind=component&limit=1',
      );
      if (totalItems !== seen) {
        seen = totalItems;
        log(`catalog: ${totalItems}/${SERVICES} components`);
      }
      return totalItems >= SERVICES;
    },
    { timeoutMs: LIMITS.catalog, everyMs: 2000 },
  );
}

// --- load -----------------------------------------------------------------------

/** Runs autocannon, stopping it after `limitMs` at the latest; resolves with its result. */
function cannon(options, limitMs) {
  return new Promise((resolve, reject) => {
    let timedOut = false;
    const instance = autocannon(
      {
        url: BASE,
        connections: CONNECTIONS,
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

/** POSTs INCIDENTS incidents, round-robin over the services, with random severities. */
async function createIncidents(severities) {
  let next = 0;
  const started = Date.now();
  const progress = setInterval(
    () => log(`creates: ${Math.min(next, INCIDENTS)}/${INCIDENTS}`),
    30_000,
  );
  const result = await cannon(
    {
      amount: INCIDENTS,
      requests: [
        {
          method: 'POST',
          path: '/api/ops/incidents',
          headers: { ...AUTH, 'content-type': 'application/json' },
          // Called for every request: a new body each time.
          setupRequest: req => {
            const n = next++;
            req.body = JSON.stringify({
              entityRef: serviceRef(n % SERVICES),
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
 * Reads `pathOf(service)` under load. First every service once, in order (the
 * cold reads: the ops plugin has not yet asked the catalog about the entity,
 * and the databases' caches are cold), then a warm-up, then DURATION seconds
 * of reads of random services: the steady state of a running portal, whose
 * entities have been read before. Without `cold`, it leaves out the first pass.
 */
async function readLoad(pathOf, { cold: withCold }) {
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
          amount: SERVICES,
          requests: requests(() => pathOf(next++ % SERVICES)),
        },
        LIMITS.read,
      )
    : undefined;
  const random = requests(() => pathOf(randomService()));
  await cannon({ duration: WARMUP, requests: random }, LIMITS.read);
  const r = await cannon({ duration: DURATION, requests: random }, LIMITS.read);
  return {
    perSecond: r['2xx'] / r.duration,
    p50: r.latency.p50,
    p99: r.latency.p99,
    coldP50: cold?.latency.p50,
    coldP99: cold?.latency.p99,
    requests: r['2xx'] + r.non2xx,
    failed: failures(r) + (cold ? failures(cold) : 0),
    timedOut: r.timedOut || Boolean(cold?.timedOut),
  };
}

/** Counts the stored incidents by paging through the whole list (500 a page). */
async function countIncidents() {
  const giveUpAt = Date.now() + LIMITS.count;
  let count = 0;
  let cursor;
  do {
    if (Date.now() > giveUpAt)
      throw new Error(
        `counting the incidents took over ${LIMITS.count / 1000} s`,
      );
    const page = await api(
      `/api/ops/incidents?limit=500${cursor ? `&cursor=${cursor}` : ''}`,
    );
    count += page.items.length;
    cursor = page.nextCursor;
  } while (cursor);
  return count;
}

// --- the list query, as the database runs it ---------------------------------------

// The query DatabaseOpsStore.listIncidents sends for one entity's first page
// (knex: select * ... where entity_ref = ? order by detected_at desc, id desc
// limit <page size + 1>, the extra row telling whether a next page exists).
const LIST_SQL = ref =>
  `select * from ops_incidents where entity_ref = '${ref}' order by detected_at desc, id desc limit ${
    PAGE_SIZE + 1
  }`;

/**
 * The plan and timing of the list query and the settings that decide write
 * costs, read from the database the backend uses (read-only).
 */
async function describeDatabase(db, { sqliteDir, pg }) {
  const ref = serviceRef(randomService());
  if (db === 'sqlite') {
    // better-sqlite3 from the backend's dependencies
    const Database = createRequire(path.join(BACKEND_DIR, 'package.json'))(
      'better-sqlite3',
    );
    const conn = new Database(path.join(sqliteDir, 'ops.sqlite'), {
      readonly: true,
      timeout: 5000,
    });
    try {
      const plan = conn
        .prepare(`explain query plan ${LIST_SQL(ref)}`)
        .all()
        .map(r => r.detail);
      const statement = conn.prepare(LIST_SQL(ref));
      const rounds = 200;
      const t = process.hrtime.bigint();
      for (let i = 0; i < rounds; i++) statement.all();
      const ms = Number(process.hrtime.bigint() - t) / 1e6 / rounds;
      return [
        `plan: ${plan.join('; ')}`,
        `query alone: ${ms.toFixed(3)} ms (mean of ${rounds}, in this process)`,
        `journal_mode=${conn.pragma('journal_mode', {
          simple: true,
        })} synchronous=${conn.pragma('synchronous', {
          simple: true,
        })} (2 = FULL: every commit is synced)`,
      ];
    } finally {
      conn.close();
    }
  }
  const psql = async sql =>
    (
      await execFileAsync(
        '/usr/lib/postgresql/15/bin/psql',
        [
          '-h',
          pg.host,
          '-p',
          String(pg.port),
          '-U',
          pg.user,
          '-d',
          'backstage_plugin_ops',
          '-qAt',
          '-c',
          sql,
        ],
        { timeout: 60_000 },
      )
    ).stdout.trim();
  const plan = await psql(
    `explain (analyze, buffers, costs off) ${LIST_SQL(ref)}`,
  );
  const settings = await psql(
    "select string_agg(name || '=' || setting, ' ' order by name) from pg_settings where name in ('fsync', 'synchronous_commit', 'full_page_writes', 'shared_buffers')",
  );
  return [...plan.split('\n'), settings];
}

// --- one database -----------------------------------------------------------------

async function benchDatabase(db, catalogFile, cleanups) {
  log(`=== ${db} ===`);
  const dir = path.join(RUN_DIR, db);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });

  let databaseYaml;
  let pg;
  if (db === 'sqlite') {
    // one file per plugin in this directory
    databaseYaml = [
      '    client: better-sqlite3',
      '    connection:',
      `      directory: ${path.join(dir, 'db')}`,
    ].join('\n');
  } else {
    cleanups.push(stopPostgres);
    pg = await startPostgres();
    databaseYaml = [
      '    client: pg',
      '    connection:',
      `      host: ${pg.host}`,
      `      port: ${pg.port}`,
      `      user: ${pg.user}`,
    ].join('\n');
  }
  const configFile = writeConfig(db, { catalogFile, databaseYaml });

  if (await portInUse(PORT)) {
    throw new Error(`port ${PORT} is in use: stop what listens there first`);
  }
  log(
    `starting the backend on ${BASE} (log: ${path.relative(
      ROOT,
      path.join(dir, 'backend.log'),
    )})`,
  );
  const code = await codeVersion();
  log(`code: ${code}`);
  const t0 = Date.now();
  const backend = startBackend(db, configFile);
  cleanups.push(() => stopBackend(backend));
  await waitForBackend(backend);
  log(`backend ready after ${((Date.now() - t0) / 1000).toFixed(0)} s`);
  await waitForCatalog();
  log(`catalog complete after ${((Date.now() - t0) / 1000).toFixed(0)} s`);

  const severities = (await api('/api/ops/severities')).items.map(s => s.id);
  log(
    `creating ${INCIDENTS} incidents over ${SERVICES} services (${CONNECTIONS} connections, severities ${severities.join(
      ' ',
    )})`,
  );
  const creates = await createIncidents(severities);
  log(
    `creates: ${creates.created} in ${creates.seconds.toFixed(
      1,
    )} s = ${creates.perSecond.toFixed(0)}/s, ` +
      `p50 ${creates.p50} ms, p99 ${creates.p99} ms, failed ${creates.failed}${
        creates.timedOut ? ' (TIMED OUT)' : ''
      }`,
  );
  const stored = await countIncidents();
  log(`stored incidents, counted by paging the list: ${stored}`);
  const described = await describeDatabase(db, {
    sqliteDir: path.join(dir, 'db'),
    pg,
  }).catch(error => [`(could not describe the database: ${error.message})`]);
  log(`the list query on ${db}:\n    ${described.join('\n    ')}`);

  const list = await readPhase(
    `list by entity, ${PAGE_SIZE} per page`,
    service =>
      `/api/ops/incidents?entityRef=${serviceRef(service)}&limit=${PAGE_SIZE}`,
  );
  const catalog = await readPhase(
    'catalog by name',
    service =>
      `/api/catalog/entities/by-name/component/default/${serviceName(service)}`,
  );
  // Not a target: the catalog's own page of as many records, for scale. The
  // same page every time, so there are no first reads to measure.
  const catalogPage = await readPhase(
    `catalog page of ${PAGE_SIZE} components (by-query)`,
    () =>
      `/api/catalog/entities/by-query?filter=kind=component&limit=${PAGE_SIZE}`,
    { cold: false },
  );

  await stopBackend(backend);
  if (db === 'postgres') {
    await stopPostgres();
    cleanups.splice(cleanups.indexOf(stopPostgres), 1);
  }
  return {
    db,
    code,
    creates,
    stored,
    listQuery: described,
    list,
    catalog,
    catalogPage,
  };
}

/** One read phase (see readLoad), announced and reported in the log. */
async function readPhase(name, pathOf, { cold = true } = {}) {
  log(
    `${name}: ${CONNECTIONS} connections, ${
      cold ? 'each service once, ' : ''
    }${WARMUP} s warm-up + ${DURATION} s`,
  );
  const r = await readLoad(pathOf, { cold });
  const coldFigures = cold
    ? ` (cold reads: p50 ${r.coldP50} ms, p99 ${r.coldP99} ms)`
    : '';
  log(
    `${name}: ${r.perSecond.toFixed(0)} req/s, p50 ${r.p50} ms, p99 ${
      r.p99
    } ms${coldFigures}, failed ${r.failed}`,
  );
  return r;
}

/** The measured phases of one database's run, each with failed and timedOut. */
const phasesOf = r => [r.creates, r.list, r.catalog, r.catalogPage];

// --- the table ----------------------------------------------------------------------

function printTable(rows) {
  const ms = v => `${v} ms`;
  const header = [
    'database',
    'creates/s',
    'list req/s',
    'list p50',
    'list p99',
    'catalog by-name req/s',
    'p50',
    'p99',
    'list p99 < 50 ms',
    'list p99 <= catalog p99',
    'cold list p99',
    'cold catalog p99',
    `catalog page of ${PAGE_SIZE} req/s`,
    'p99',
    'failed requests',
  ];
  const lines = rows.map(r => [
    r.db,
    r.creates.perSecond.toFixed(0),
    r.list.perSecond.toFixed(0),
    ms(r.list.p50),
    ms(r.list.p99),
    r.catalog.perSecond.toFixed(0),
    ms(r.catalog.p50),
    ms(r.catalog.p99),
    r.list.p99 < 50 ? 'yes' : 'NO',
    r.list.p99 <= r.catalog.p99 ? 'yes' : 'NO',
    ms(r.list.coldP99),
    ms(r.catalog.coldP99),
    r.catalogPage.perSecond.toFixed(0),
    ms(r.catalogPage.p99),
    String(phasesOf(r).reduce((sum, phase) => sum + phase.failed, 0)),
  ]);
  const widths = header.map((h, i) =>
    Math.max(h.length, ...lines.map(l => l[i].length)),
  );
  const row = cells =>
    cells
      .map((c, i) => c.padEnd(widths[i]))
      .join('  ')
      .trimEnd();
  console.log();
  console.log(
    `${INCIDENTS} incidents, ${SERVICES} services; creates over ${CONNECTIONS} connections; reads over ${CONNECTIONS} connections, ${DURATION} s each, ${PAGE_SIZE} incidents per list page (latencies from autocannon)`,
  );
  console.log(row(header));
  for (const l of lines) console.log(row(l));
  for (const r of rows) console.log(`${r.db}: code ${r.code}`);
}

// --- main -------------------------------------------------------------------------------

async function main() {
  const started = Date.now();
  fs.mkdirSync(RUN_DIR, { recursive: true });
  const catalogFile = writeCatalog();
  log(`catalog of ${SERVICES} services: ${path.relative(ROOT, catalogFile)}`);

  const cleanups = [];
  let interrupted = false;
  const runCleanups = async () => {
    while (cleanups.length) {
      const cleanup = cleanups.pop();
      await cleanup().catch(error => log(`cleanup failed: ${error.message}`));
    }
  };
  for (const signal of ['SIGINT', 'SIGTERM']) {
    process.once(signal, () => {
      interrupted = true;
      log(`${signal}: stopping`);
      runCleanups().finally(() => process.exit(130));
    });
  }

  const results = [];
  let failed = false;
  for (const db of DATABASES) {
    try {
      results.push(await benchDatabase(db, catalogFile, cleanups));
    } catch (error) {
      if (interrupted) return;
      failed = true;
      log(`${db} FAILED: ${error.message}`);
    } finally {
      await runCleanups();
    }
  }

  const file = path.join(
    RUN_DIR,
    `results-${new Date().toISOString().replace(/[:.]/g, '-')}.json`,
  );
  fs.writeFileSync(
    file,
    JSON.stringify(
      {
        incidents: INCIDENTS,
        services: SERVICES,
        connections: CONNECTIONS,
        pageSize: PAGE_SIZE,
        duration: DURATION,
        results,
      },
      null,
      2,
    ),
  );
  if (results.length) printTable(results);
  console.log(
    `\ntotal time ${((Date.now() - started) / 1000).toFixed(
      0,
    )} s; figures saved in ${path.relative(ROOT, file)}`,
  );

  const bad = results.some(
    r =>
      phasesOf(r).some(phase => phase.failed || phase.timedOut) ||
      r.stored !== r.creates.created,
  );
  if (failed || bad) {
    console.error(
      'bench: some requests failed, a step timed out, or the stored count differs from the creates',
    );
    process.exitCode = 1;
  }
}

main().catch(error => {
  console.error(error);
  process.exitCode = 1;
});
