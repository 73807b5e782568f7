// The processes under test: packages/backend on the production settings, and
// for PostgreSQL a cluster of the bench's own.

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {
  BACKEND_DIR,
  BASE,
  INSPECT_PORT,
  LIMITS,
  OPTIONS,
  ROOT,
  RUN_DIR,
  log,
} from './options.mjs';
import { api, deadline, execFileAsync, waitFor } from './util.mjs';

// --- PostgreSQL ----------------------------------------------------------------

// A cluster of our own (not the tests' .run/pg-tests), on a port from 5440 up.
const PG_SCRIPT = path.join(ROOT, 'scripts', 'postgres-for-tests.sh');
const PG_ENV = {
  ...process.env,
  OPSDECK_PG_TESTS_DIR: path.join(RUN_DIR, 'pg'),
  OPSDECK_PG_TESTS_PORT: '5440',
};

async function pgScript(command, timeoutMs = 120_000) {
  const { stdout } = await execFileAsync('bash', [PG_SCRIPT, command], {
    env: PG_ENV,
    timeout: timeoutMs,
  });
  return stdout.trim();
}

/** Starts an empty PostgreSQL 15 of our own and returns its connection settings. */
export async function startPostgres() {
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

export async function stopPostgres() {
  log('stopping PostgreSQL');
  await pgScript('stop');
}

// --- the backend ----------------------------------------------------------------

/**
 * Starts packages/backend with the node flags of `backstage-cli package start`
 * (TypeScript transpiled on load) but without its file watcher, so that edits
 * elsewhere in the repository cannot restart it in the middle of a run, and
 * with NODE_ENV=production unless NODE_ENV is set. With --profile-rate, its
 * inspector listens on 127.0.0.1 for the CPU profile of one phase.
 */
export function startBackend(db, configFile) {
  const logFile = path.join(RUN_DIR, db, 'backend.log');
  const out = fs.openSync(logFile, 'w');
  const inspect =
    OPTIONS.profileRate === undefined
      ? []
      : [`--inspect=127.0.0.1:${INSPECT_PORT}`];
  const child = spawn(
    process.execPath,
    [
      ...inspect,
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

export async function stopBackend(backend) {
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

export async function waitForBackend(backend) {
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

export async function waitForCatalog() {
  let seen = -1;
  await waitFor(
    `${OPTIONS.services} components in the catalog`,
    async () => {
      const { totalItems } = await api(
        '/api/catalog/entities/by-query?filter=kind=component&limit=1',
      );
      if (totalItems !== seen) {
        seen = totalItems;
        log(`catalog: ${totalItems}/${OPTIONS.services} components`);
      }
      return totalItems >= OPTIONS.services;
    },
    { timeoutMs: LIMITS.catalog, everyMs: 2000 },
  );
  // The guest's groups go into its token at sign-in: the user must be there first.
  await waitFor(
    'user:default/guest in the catalog',
    () => api('/api/catalog/entities/by-name/user/default/guest'),
    { timeoutMs: LIMITS.catalog, everyMs: 1000 },
  );
}
