#!/usr/bin/env node
/*
 * yarn bench:records: load and read the OpsDeck records API of a really
 * running backend, on SQLite and on PostgreSQL, and print the figures.
 *
 *   yarn bench:records [--db sqlite|postgres|both] [--incidents N] [--services N]
 *                      [--duration S] [--rate R[,R2,...]] [--connections N]
 *                      [--page-size N] [--processing-interval S|default]
 *                      [--profile-rate R]
 *
 * For each database it:
 *   1. writes a catalog of N services and a config file for the backend under
 *      .run/bench/ (git-ignored) (records/setup.mjs);
 *   2. starts packages/backend on port 7107 on the production settings, waits
 *      for its readiness and for the catalog to hold every service (records/backend.mjs);
 *   3. creates the incidents through POST /api/ops/incidents (records/closedLoop.mjs);
 *   4. saturation, closed loop over --connections: the list of one service's
 *      incidents (GET /api/ops/incidents?entityRef=..&limit=<page size>), the
 *      catalog's by-name and the catalog's page of as many components;
 *   5. open loop, for each --rate: the same three reads, each at that rate,
 *      evenly spread, latency from each request's due time (records/openLoop.mjs);
 *      with --profile-rate, the list once more at that rate under the CPU
 *      profiler (records/profile.mjs);
 *   6. stops the backend (and the PostgreSQL it started),
 * then prints the tables and a verdict per acceptance point (records/report.mjs).
 * Exits non-zero when a request failed (any non-2xx response, error or
 * timeout) or a step timed out. Every wait has a timeout and all traffic goes
 * to 127.0.0.1. See bench/README.md.
 */

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  startBackend,
  startPostgres,
  stopBackend,
  stopPostgres,
  waitForBackend,
  waitForCatalog,
} from './records/backend.mjs';
import { createIncidents, saturation } from './records/closedLoop.mjs';
import { describeDatabase } from './records/describe.mjs';
import { seedIncidents } from './records/seed.mjs';
import { openLoop } from './records/openLoop.mjs';
import {
  BASE,
  LIMITS,
  OPTIONS,
  PORT,
  READS,
  ROOT,
  RUN_DIR,
  log,
} from './records/options.mjs';
import { profiled, topAllocations, topFunctions } from './records/profile.mjs';
import { phasesOf, printReport } from './records/report.mjs';
import { writeCatalog, writeConfig } from './records/setup.mjs';
import {
  api,
  codeVersion,
  countIncidents,
  portInUse,
  signInAsGuest,
  waitFor,
} from './records/util.mjs';

/** The backend's database settings for `db`, starting PostgreSQL if needed. */
async function databaseFor(db, dir, cleanups) {
  if (db === 'sqlite') {
    // one file per plugin in this directory
    return {
      databaseYaml: `    client: better-sqlite3\n    connection:\n      directory: ${path.join(
        dir,
        'db',
      )}`,
    };
  }
  cleanups.push(stopPostgres);
  const pg = await startPostgres();
  return {
    pg,
    databaseYaml: [
      '    client: pg',
      '    connection:',
      `      host: ${pg.host}`,
      `      port: ${pg.port}`,
      `      user: ${pg.user}`,
    ].join('\n'),
  };
}

/** Seeds the incidents and checks they are all stored. */
async function seed(db, dir, pg) {
  const severities = (await api('/api/ops/severities')).items.map(s => s.id);
  let creates;
  if (OPTIONS.seed === 'sql') {
    log(
      `writing ${OPTIONS.incidents} incidents over ${
        OPTIONS.services
      } services into the ${db} database (severities ${severities.join(' ')})`,
    );
    const seconds = await seedIncidents(db, {
      sqliteDir: path.join(dir, 'db'),
      pg,
      severities,
    });
    log(`written in ${seconds.toFixed(1)} s`);
    creates = { created: OPTIONS.incidents, failed: 0, seconds };
  } else {
    log(
      `creating ${OPTIONS.incidents} incidents over ${
        OPTIONS.services
      } services (${
        OPTIONS.connections
      } connections, severities ${severities.join(' ')})`,
    );
    creates = await createIncidents(severities);
    log(
      `creates: ${creates.created} in ${creates.seconds.toFixed(
        1,
      )} s = ${creates.perSecond.toFixed(0)}/s, ` +
        `p50 ${creates.p50} ms, p99 ${creates.p99} ms, failed ${
          creates.failed
        }${creates.timedOut ? ' (TIMED OUT)' : ''}`,
    );
  }
  // Retried: SQLite's writer held the lock for seconds, and the backend's
  // synchronous driver may still be catching up.
  const stored = await waitFor(
    'the count of stored incidents',
    countIncidents,
    {
      timeoutMs: LIMITS.count,
      everyMs: 2000,
    },
  );
  log(`stored incidents, counted by paging the list: ${stored}`);
  const described = await describeDatabase(db, {
    sqliteDir: path.join(dir, 'db'),
    pg,
  });
  log(`the list query on ${db}:\n    ${described.join('\n    ')}`);
  return { creates, stored, listQuery: described };
}

/** The reads: saturation, then the open loop at each rate, then the profile. */
async function measure(db, dir) {
  const sat = {
    list: await saturation(READS.list, { cold: true }),
    byName: await saturation(READS.byName, { cold: true }),
    catalogPage: await saturation(READS.catalogPage, { cold: false }),
  };
  const open = [];
  for (const rate of OPTIONS.rates) {
    log(
      `open loop at ${rate} req/s: ${OPTIONS.warmup} s warm-up + ${OPTIONS.duration} s per read`,
    );
    open.push({
      rate,
      list: await openLoop(READS.list, rate),
      byName: await openLoop(READS.byName, rate),
      catalogPage: await openLoop(READS.catalogPage, rate),
      load: os.loadavg()[0],
    });
  }
  let profile;
  if (OPTIONS.profileRate !== undefined) {
    const name = path.join(dir, `list-${OPTIONS.profileRate}`);
    profile = `${name}.cpuprofile`;
    const heapFile = `${name}.heapprofile`;
    log(`the list at ${OPTIONS.profileRate} req/s under the profilers`);
    await profiled({ cpuFile: profile, heapFile }, () =>
      openLoop(READS.list, OPTIONS.profileRate),
    );
    log(
      `CPU profile: ${path.relative(
        ROOT,
        profile,
      )}; self time:\n    ${topFunctions(profile).join('\n    ')}`,
    );
    log(
      `allocation profile (promoted garbage and live objects): ${path.relative(
        ROOT,
        heapFile,
      )}:\n    ${topAllocations(heapFile).join('\n    ')}`,
    );
  }
  return { saturation: sat, openLoop: open, profile };
}

async function benchDatabase(db, catalogFile, cleanups) {
  log(`=== ${db} ===`);
  const dir = path.join(RUN_DIR, db);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const { pg, databaseYaml } = await databaseFor(db, dir, cleanups);
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
  await signInAsGuest();
  log(`backend ready after ${((Date.now() - t0) / 1000).toFixed(0)} s`);
  await waitForCatalog();
  // Again, now that the catalog knows the guest is in bench-team (its token
  // carries the groups it had at sign-in).
  await signInAsGuest();
  log(`catalog complete after ${((Date.now() - t0) / 1000).toFixed(0)} s`);

  const seeded = await seed(db, dir, pg);
  const measured = await measure(db, dir);

  await stopBackend(backend);
  if (db === 'postgres') {
    await stopPostgres();
    cleanups.splice(cleanups.indexOf(stopPostgres), 1);
  }
  return { db, code, ...seeded, ...measured };
}

async function main() {
  const started = Date.now();
  fs.mkdirSync(RUN_DIR, { recursive: true });
  const catalogFile = writeCatalog();
  log(
    `catalog of ${OPTIONS.services} services: ${path.relative(
      ROOT,
      catalogFile,
    )}`,
  );

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
  for (const db of OPTIONS.databases) {
    try {
      results.push(await benchDatabase(db, catalogFile, cleanups));
    } catch (error) {
      if (interrupted) return;
      failed = true;
      log(`${db} FAILED: ${error.stack ?? error.message}`);
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
        ...OPTIONS,
        machine: { cpus: os.cpus().length, loadavg: os.loadavg() },
        results,
      },
      null,
      2,
    ),
  );
  if (results.length) printReport(results);
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
