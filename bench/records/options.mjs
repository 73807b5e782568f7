// The command line of `yarn bench:records`, the fixed settings derived from it,
// and the log every module writes to.

import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const USAGE =
  'usage: yarn bench:records [--db sqlite|postgres|both] [--incidents N] ' +
  '[--services N] [--duration SECONDS] [--rate R[,R2,...]] [--connections N] ' +
  '[--page-size N] [--processing-interval SECONDS|default] [--profile-rate R] [--port N|0] [--seed sql|api]';

const { values: args } = parseArgs({
  options: {
    db: { type: 'string', default: 'both' },
    incidents: { type: 'string', default: '100000' },
    services: { type: 'string', default: '1000' },
    duration: { type: 'string', default: '20' },
    rate: { type: 'string', default: '100,300,600' },
    connections: { type: 'string', default: '50' },
    'page-size': { type: 'string', default: '50' },
    'processing-interval': { type: 'string', default: 'default' },
    'profile-rate': { type: 'string' },
    port: { type: 'string', default: '7107' },
    seed: { type: 'string', default: 'sql' },
    help: { type: 'boolean', short: 'h', default: false },
  },
});

if (args.help) {
  console.log(USAGE);
  process.exit(0);
}

/** Exits with a message naming the option, as a bad command line is no crash. */
function fail(message) {
  console.error(`${message}\n${USAGE}`);
  process.exit(2);
}

function positiveInt(name, value, max) {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > max) {
    fail(`--${name} must be an integer from 1 to ${max}, not '${value}'`);
  }
  return n;
}

const databases = {
  sqlite: ['sqlite'],
  postgres: ['postgres'],
  both: ['sqlite', 'postgres'],
}[args.db];
if (!databases) fail(`--db must be sqlite, postgres or both, not '${args.db}'`);

if (!['sql', 'api'].includes(args.seed))
  fail(`--seed must be sql or api, not '${args.seed}'`);
const duration = positiveInt('duration', args.duration, 3600);
const rates = args.rate
  .split(',')
  .map(r => positiveInt('rate', r.trim(), 20_000));

export const OPTIONS = {
  databases,
  incidents: positiveInt('incidents', args.incidents, 10_000_000),
  /** How the incidents are written: straight into the database, or through the API. */
  seed: args.seed,
  services: positiveInt('services', args.services, 99_999),
  /** Seconds of each measured phase, closed or open loop. */
  duration,
  /** Requests per second of the open-loop phases, one set of phases per rate. */
  rates,
  /** Connections of the closed-loop phases (creates, saturation). */
  connections: positiveInt('connections', args.connections, 1000),
  // Incidents per list page (the Incidents card asks for 50); at most the API's 500.
  pageSize: positiveInt('page-size', args['page-size'], 500),
  // Seconds between two processings of the same catalog entity; 'default'
  // keeps the catalog's own (100 to 150 s). A short interval only adds
  // background work to the measurements.
  processingInterval:
    args['processing-interval'] === 'default'
      ? undefined
      : positiveInt('processing-interval', args['processing-interval'], 86_400),
  /** The open-loop rate at which the list is also measured under the CPU profiler. */
  profileRate:
    args['profile-rate'] === undefined
      ? undefined
      : positiveInt('profile-rate', args['profile-rate'], 20_000),
  /** Seconds of unmeasured requests before each measured phase. */
  warmup: Math.min(3, duration),
};

export const ROOT = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '..',
  '..',
);
export const RUN_DIR = path.join(ROOT, '.run', 'bench');
export const BACKEND_DIR = path.join(ROOT, 'packages', 'backend');
/** A loopback port nothing listens on now, from the kernel. */
function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

// --port 0: free ports of the kernel's choosing, so that runs need no lock;
// otherwise the given port and the next one for the inspector.
const fixedPort =
  args.port === '0' ? undefined : positiveInt('port', args.port, 65_534);
export const PORT = fixedPort ?? (await freePort());
/** The backend's inspector, for the CPU profile. */
export const INSPECT_PORT = fixedPort ? fixedPort + 1 : await freePort();
// The load generator uses the IPv4 loopback address directly (no name lookup);
// the backend listens on it only.
export const BASE = `http://127.0.0.1:${PORT}`;
/**
 * The load generator's credentials: the guest user's token, set by
 * signInAsGuest once the backend is up (a new backend signs new tokens).
 */
export const AUTH = { authorization: '' };

// Time limits (milliseconds), so that no step can hang forever.
export const LIMITS = {
  backendStart: 300_000,
  catalog: Math.max(300_000, OPTIONS.services * 600),
  // at least 20 creates/s, or the phase is stopped and reported as failed
  creates: 120_000 + (OPTIONS.incidents / 20) * 1000,
  read: (OPTIONS.warmup + duration) * 1000 + 60_000,
  count: 60_000 + OPTIONS.incidents * 5,
  backendStop: 30_000,
  request: 30_000,
};

const pad = Math.max(4, String(OPTIONS.services).length);
export const serviceName = i => `svc-${String(i + 1).padStart(pad, '0')}`;
export const serviceRef = i => `component:default/${serviceName(i)}`;
export const randomService = () => Math.floor(Math.random() * OPTIONS.services);

/** The three reads the bench compares, by the service they read. */
export const READS = {
  list: {
    name: `list by entity, ${OPTIONS.pageSize} per page`,
    path: s =>
      `/api/ops/incidents?entityRef=${serviceRef(s)}&limit=${OPTIONS.pageSize}`,
  },
  byName: {
    name: 'catalog by name',
    path: s =>
      `/api/catalog/entities/by-name/component/default/${serviceName(s)}`,
  },
  // The catalog's own page of as many records: the same page every time.
  catalogPage: {
    name: `catalog page of ${OPTIONS.pageSize} components (by-query)`,
    path: () =>
      `/api/catalog/entities/by-query?filter=kind=component&limit=${OPTIONS.pageSize}`,
  },
};

// Each line shows the machine's 1-minute load average: other work on the
// machine shares its cores with the backend and the load generator.
export const log = (...parts) =>
  console.log(
    `[bench ${new Date().toISOString().slice(11, 19)} load ${os
      .loadavg()[0]
      .toFixed(1)}]`,
    ...parts,
  );
