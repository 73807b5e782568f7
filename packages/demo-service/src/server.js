#!/usr/bin/env node
/*
 * The demo stack's stand-in for the example services (payments-api, orders-api,
 * search-api, maintenance-api): it simulates their request traffic and exposes it the way the
 * real services would, with prom-client:
 *
 *   http_requests_total{service, code}              counter
 *   http_request_duration_seconds{service}          histogram (le 0.5 is a bucket)
 *
 * The example OpenSLO documents (examples/<service>/slos.yaml) query these
 * series through the demo Prometheus (scripts/demo/prometheus.sh).
 *
 * The traffic profile of each service (requests per second, share of 5xx,
 * latency) can be changed while it runs, so a demo or an end-to-end test can
 * burn error budget on purpose:
 *
 *   GET  /profile                          the profiles of every service
 *   POST /profile {"service": "payments-api", "errorRate": 0.2}
 *   POST /profile/reset                    back to the defaults
 *   GET  /metrics                          Prometheus exposition format
 *
 * Request and error counts are generated deterministically (fractional
 * carry-over instead of coin flips), so the error ratio Prometheus sees is
 * exactly the configured one; only latencies are random.
 */
'use strict';

const http = require('node:http');
const client = require('prom-client');

const TICK_MS = 100;

/** Defaults: healthy services, each well within a 99.9 % availability SLO. */
const DEFAULT_PROFILES = {
  'payments-api': {
    rps: 20,
    errorRate: 0.0005,
    clientErrorRate: 0.02,
    latencyMedianSeconds: 0.08,
    slowRate: 0.01,
    slowSeconds: 0.9,
  },
  'orders-api': {
    rps: 12,
    errorRate: 0.0008,
    clientErrorRate: 0.03,
    latencyMedianSeconds: 0.12,
    slowRate: 0.02,
    slowSeconds: 1.2,
  },
  'search-api': {
    rps: 30,
    errorRate: 0.0002,
    clientErrorRate: 0.01,
    latencyMedianSeconds: 0.04,
    slowRate: 0.005,
    slowSeconds: 0.7,
  },
  'maintenance-api': {
    rps: 5,
    errorRate: 0.0005,
    clientErrorRate: 0.02,
    latencyMedianSeconds: 0.1,
    slowRate: 0.01,
    slowSeconds: 0.8,
  },
};

/** Bounds of each profile field: a typo must not turn the demo into nonsense. */
const PROFILE_FIELDS = {
  rps: { min: 0, max: 1000 },
  errorRate: { min: 0, max: 1 },
  clientErrorRate: { min: 0, max: 1 },
  latencyMedianSeconds: { min: 0.001, max: 30 },
  slowRate: { min: 0, max: 1 },
  slowSeconds: { min: 0.001, max: 60 },
};

function cloneDefaults() {
  return JSON.parse(JSON.stringify(DEFAULT_PROFILES));
}

/**
 * Checks a POST /profile body; returns the patch per service or an error
 * message naming the offending field.
 */
function parseProfilePatch(body, services) {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return { error: 'body must be a JSON object' };
  }
  const { service, ...fields } = body;
  if (service !== undefined && !services.includes(service)) {
    return {
      error: `service must be one of ${services.join(
        ', ',
      )} (or omitted for all)`,
    };
  }
  const patch = {};
  for (const [key, value] of Object.entries(fields)) {
    const bounds = PROFILE_FIELDS[key];
    if (!bounds) {
      return {
        error: `unknown field ${key}; known: service, ${Object.keys(
          PROFILE_FIELDS,
        ).join(', ')}`,
      };
    }
    if (
      typeof value !== 'number' ||
      !Number.isFinite(value) ||
      value < bounds.min ||
      value > bounds.max
    ) {
      return {
        error: `${key} must be a number between ${bounds.min} and ${bounds.max}`,
      };
    }
    patch[key] = value;
  }
  if (
    patch.errorRate !== undefined &&
    patch.clientErrorRate !== undefined &&
    patch.errorRate + patch.clientErrorRate > 1
  ) {
    return { error: 'errorRate + clientErrorRate must not exceed 1' };
  }
  return { services: service ? [service] : services, patch };
}

/** A log-normal latency around the median, with a share of slow outliers. */
function sampleLatency(profile) {
  if (Math.random() < profile.slowRate) {
    return profile.slowSeconds * (0.9 + Math.random() * 0.2);
  }
  // Box-Muller: a standard normal from two uniforms.
  const u = 1 - Math.random();
  const v = Math.random();
  const normal = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  return profile.latencyMedianSeconds * Math.exp(0.35 * normal);
}

function createDemoService({ profiles = cloneDefaults() } = {}) {
  const registry = new client.Registry();
  const requests = new client.Counter({
    name: 'http_requests_total',
    help: 'Requests served, by service and HTTP status code.',
    labelNames: ['service', 'code'],
    registers: [registry],
  });
  const duration = new client.Histogram({
    name: 'http_request_duration_seconds',
    help: 'Request duration in seconds, by service.',
    labelNames: ['service'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const services = Object.keys(profiles);
  // Fractional requests and errors carried over between ticks.
  const carry = Object.fromEntries(
    services.map(s => [s, { requests: 0, errors: 0, clientErrors: 0 }]),
  );
  for (const service of services) {
    // Series exist from the first scrape, so rate() has a starting point.
    for (const code of ['200', '404', '500'])
      requests.labels(service, code).inc(0);
    duration.labels(service);
  }

  function tick(seconds) {
    for (const service of services) {
      const profile = profiles[service];
      const c = carry[service];
      c.requests += profile.rps * seconds;
      const count = Math.floor(c.requests);
      c.requests -= count;
      c.errors += count * profile.errorRate;
      const errors = Math.min(count, Math.floor(c.errors));
      c.errors -= errors;
      c.clientErrors += count * profile.clientErrorRate;
      const clientErrors = Math.min(count - errors, Math.floor(c.clientErrors));
      c.clientErrors -= clientErrors;
      if (errors > 0) requests.labels(service, '500').inc(errors);
      if (clientErrors > 0) requests.labels(service, '404').inc(clientErrors);
      if (count - errors - clientErrors > 0) {
        requests.labels(service, '200').inc(count - errors - clientErrors);
      }
      for (let i = 0; i < count; i++) {
        duration.labels(service).observe(sampleLatency(profile));
      }
    }
  }

  function readBody(req) {
    return new Promise((resolve, reject) => {
      let body = '';
      req.setEncoding('utf8');
      req.on('data', chunk => {
        body += chunk;
        if (body.length > 64 * 1024) reject(new Error('body too large'));
      });
      req.on('end', () => resolve(body));
      req.on('error', reject);
    });
  }

  function send(res, status, payload, contentType = 'application/json') {
    const text =
      contentType === 'application/json' ? JSON.stringify(payload) : payload;
    res.writeHead(status, { 'content-type': contentType });
    res.end(text);
  }

  async function handle(req, res) {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (req.method === 'GET' && url.pathname === '/metrics') {
      return send(res, 200, await registry.metrics(), registry.contentType);
    }
    if (req.method === 'GET' && url.pathname === '/healthz') {
      return send(res, 200, { status: 'ok' });
    }
    if (req.method === 'GET' && url.pathname === '/profile') {
      return send(res, 200, profiles);
    }
    if (req.method === 'POST' && url.pathname === '/profile/reset') {
      const defaults = cloneDefaults();
      for (const service of services) {
        profiles[service] = defaults[service] ?? profiles[service];
      }
      return send(res, 200, profiles);
    }
    if (req.method === 'POST' && url.pathname === '/profile') {
      let body;
      try {
        body = JSON.parse(await readBody(req));
      } catch (e) {
        return send(res, 400, { error: `body is not JSON: ${e.message}` });
      }
      const parsed = parseProfilePatch(body, services);
      if (parsed.error) return send(res, 400, { error: parsed.error });
      for (const service of parsed.services) {
        const next = { ...profiles[service], ...parsed.patch };
        if (next.errorRate + next.clientErrorRate > 1) {
          return send(res, 400, {
            error: `errorRate + clientErrorRate of ${service} must not exceed 1`,
          });
        }
      }
      for (const service of parsed.services) {
        Object.assign(profiles[service], parsed.patch);
      }
      return send(res, 200, profiles);
    }
    return send(res, 404, { error: `no route ${req.method} ${url.pathname}` });
  }

  let timer;
  let last;
  const server = http.createServer((req, res) => {
    handle(req, res).catch(e => send(res, 500, { error: String(e) }));
  });

  return {
    registry,
    profiles,
    tick,
    server,
    listen(port, host) {
      return new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          last = Date.now();
          timer = setInterval(() => {
            const now = Date.now();
            tick((now - last) / 1000);
            last = now;
          }, TICK_MS);
          resolve(server.address());
        });
      });
    },
    close() {
      clearInterval(timer);
      return new Promise(resolve => server.close(() => resolve()));
    },
  };
}

module.exports = { createDemoService, parseProfilePatch, DEFAULT_PROFILES };

if (require.main === module) {
  const port = Number(process.env.DEMO_SERVICE_PORT ?? 9470);
  const host = process.env.DEMO_SERVICE_HOST ?? '127.0.0.1';
  const demo = createDemoService();
  demo.listen(port, host).then(
    () => {
      // eslint-disable-next-line no-console
      console.log(`demo-service listening on http://${host}:${port}`);
    },
    e => {
      // eslint-disable-next-line no-console
      console.error(`demo-service cannot listen on ${host}:${port}: ${e}`);
      process.exit(1);
    },
  );
  const stop = () => demo.close().then(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}
