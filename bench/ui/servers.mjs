/*
 * The servers of `yarn bench:ui`: the app's production build, the demo
 * systems (scripts/demo.sh, as `make start` runs them) and the backend serving
 * the built app on :7007 as a deployment does (@backstage/plugin-app-backend
 * with NODE_ENV=production serves packages/app/dist, found through
 * `app.packageName`, "app" by default, and injects the frontend config).
 */

import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export const BASE = 'http://localhost:7007';

const sleep = ms => new Promise(resolve => setTimeout(resolve, ms));

export function log(message) {
  console.error(`[bench:ui] ${message}`);
}

/** The newest mtime under dir (files only), or 0 when it does not exist. */
function newestMtime(dir, skip = new Set(['node_modules', 'dist'])) {
  if (!fs.existsSync(dir)) return 0;
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (skip.has(entry.name)) continue;
    const full = path.join(dir, entry.name);
    const mtime = entry.isDirectory()
      ? newestMtime(full, skip)
      : fs.statSync(full).mtimeMs;
    newest = Math.max(newest, mtime);
  }
  return newest;
}

/**
 * Builds the app for production unless its dist is newer than every source
 * the bundle is made of: the app and the frontend plugins of this repository.
 */
export function buildAppIfStale(root, { logFile }) {
  const dist = path.join(root, 'packages/app/dist/index.html');
  const built = fs.existsSync(dist) ? fs.statSync(dist).mtimeMs : 0;
  const sources = [
    path.join(root, 'packages/app'),
    ...fs
      .readdirSync(path.join(root, 'plugins'))
      .filter(name => !/-backend|-node$/.test(name))
      .map(name => path.join(root, 'plugins', name, 'src')),
  ];
  const newest = Math.max(...sources.map(dir => newestMtime(dir)));
  if (built > newest) {
    log('packages/app/dist is newer than the sources: not rebuilt');
    return;
  }
  log(`building the app: yarn workspace app build > ${logFile}`);
  const out = fs.openSync(logFile, 'w');
  const started = Date.now();
  const result = spawnSync('yarn', ['workspace', 'app', 'build'], {
    cwd: root,
    stdio: ['ignore', out, out],
  });
  fs.closeSync(out);
  if (result.status !== 0) {
    throw new Error(
      `the app build failed (exit ${result.status}); see ${logFile}`,
    );
  }
  log(`app built in ${((Date.now() - started) / 1000).toFixed(0)} s`);
}

/**
 * Config layered over app-config.yaml: the app and the backend on one origin,
 * as app-config.production.yaml has them, and the guest sign-in the demo uses,
 * which the guest provider refuses outside development unless told (the bench
 * binds to loopback only, app-config.yaml's backend.listen.host).
 */
export function writeBenchConfig(runDir) {
  const file = path.join(runDir, 'app-config.bench.yaml');
  fs.writeFileSync(
    file,
    `# Written by bench/ui.mjs; layered over app-config.yaml.
app:
  baseUrl: ${BASE}
backend:
  baseUrl: ${BASE}
  cors:
    origin: ${BASE}
auth:
  providers:
    guest:
      userEntityRef: user:default/guest
      dangerouslyAllowOutsideDevelopment: true
`,
  );
  return file;
}

/** Runs a bash snippet at the repository root with the demo's environment. */
function bash(root, env, script, logFile) {
  const out = fs.openSync(logFile, 'a');
  const result = spawnSync('bash', ['-c', script], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', out, out],
  });
  fs.closeSync(out);
  return result.status;
}

// What scripts/start.sh and scripts/e2e.sh set up before the demo starts: the
// newest PostgreSQL for the demo database and the backend's drills.
const DEMO_PRELUDE =
  '. scripts/lib/postgres-bin.bash && export OPSDECK_PG_BIN="$(opsdeck_pg_bin)"';

/** A fresh demo (scripts/demo.sh reset, then start), its state in demoDir. */
export function startDemo(root, demoDir, logFile) {
  log(`starting the demo systems (state in ${demoDir}, log ${logFile})`);
  const env = { OPSDECK_DEMO_DIR: demoDir };
  const status = bash(
    root,
    env,
    `${DEMO_PRELUDE} && scripts/demo.sh reset && scripts/demo.sh start`,
    logFile,
  );
  if (status !== 0) {
    stopDemo(root, demoDir, logFile);
    throw new Error(`a demo system failed to start; see ${logFile}`);
  }
}

export function stopDemo(root, demoDir, logFile) {
  log('stopping the demo systems');
  bash(root, { OPSDECK_DEMO_DIR: demoDir }, 'scripts/demo.sh stop', logFile);
}

/**
 * Starts packages/backend as bench/records.mjs does (TypeScript transpiled on
 * load, no file watcher), with NODE_ENV=production and Slack routed to the
 * demo's fake (scripts/demo/lib/slack-routing.bash), in a process group of
 * its own so that stopping it stops everything under it.
 */
export function startBackend(root, { demoDir, configFile, logFile }) {
  log(`starting the backend on :7007 (log ${logFile})`);
  const transform = path.join(
    root,
    'node_modules/@backstage/cli-node/config/nodeTransform.cjs',
  );
  const script = [
    DEMO_PRELUDE,
    '. scripts/demo/lib/slack-routing.bash && opsdeck_route_slack_to_fake',
    'cd packages/backend',
    `exec "${process.execPath}" --enable-source-maps --require "${transform}" src/index` +
      ` --config ../../app-config.yaml --config "${configFile}"`,
  ].join(' && ');
  const out = fs.openSync(logFile, 'w');
  const child = spawn('bash', ['-c', script], {
    cwd: root,
    detached: true,
    env: {
      ...process.env,
      NODE_ENV: 'production',
      OPSDECK_DEMO_DIR: demoDir,
      ESBK_TSCONFIG_PATH: path.join(root, 'tsconfig.json'),
    },
    stdio: ['ignore', out, out],
  });
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
  const group = -backend.child.pid;
  try {
    process.kill(group, 'SIGTERM');
  } catch {
    return;
  }
  const stopped = await Promise.race([
    backend.exited,
    sleep(10_000).then(() => null),
  ]);
  if (!stopped) {
    log('the backend did not stop within 10 s: SIGKILL');
    try {
      process.kill(group, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

async function waitFor(what, check, timeoutMs) {
  const giveUpAt = Date.now() + timeoutMs;
  let last;
  while (Date.now() < giveUpAt) {
    try {
      if (await check()) return;
    } catch (error) {
      if (error.fatal) throw error;
      last = error;
    }
    await sleep(2000);
  }
  throw new Error(
    `timed out after ${timeoutMs / 1000} s waiting for ${what}${
      last ? ` (last error: ${last.message})` : ''
    }`,
  );
}

async function status(url, init) {
  const res = await fetch(url, { ...init, signal: AbortSignal.timeout(5000) });
  return res;
}

/**
 * Waits until the backend is ready, serves the built app (not app-backend's
 * fallback), and the catalog holds the guest and the measured entity: the
 * guest's ownership comes from the catalog at sign-in (as scripts/e2e.sh).
 */
export async function waitForPortal(backend, entityRef, timeoutMs = 300_000) {
  let exited = null;
  backend.exited.then(e => (exited = e));
  const alive = () => {
    if (exited) {
      const error = new Error(
        `the backend exited (${JSON.stringify(exited)}); see ${
          backend.logFile
        }`,
      );
      error.fatal = true;
      throw error;
    }
  };
  await waitFor(
    'the backend readiness and the built app on /',
    async () => {
      alive();
      const ready = await status(`${BASE}/.backstage/health/v1/readiness`);
      if (!ready.ok) return false;
      const page = await status(`${BASE}/`);
      return page.ok && (await page.text()).includes('<script');
    },
    timeoutMs,
  );
  await waitFor(
    `the catalog to hold user:default/guest and ${entityRef}, and its example incidents`,
    async () => {
      alive();
      const refresh = await status(`${BASE}/api/auth/guest/refresh`, {
        method: 'POST',
        headers: { 'X-Requested-With': 'XMLHttpRequest' },
      });
      if (!refresh.ok) return false;
      const token = (await refresh.json()).backstageIdentity.token;
      const auth = { headers: { Authorization: `Bearer ${token}` } };
      for (const ref of ['user/default/guest', entityRef]) {
        const res = await status(
          `${BASE}/api/catalog/entities/by-name/${ref}`,
          auth,
        );
        if (!res.ok) return false;
      }
      // The example records (packages/backend's exampleRecords module) are
      // written once the catalog has the entity: measure the tab with them.
      const [kind, namespace, name] = entityRef.split('/');
      const ref = encodeURIComponent(`${kind}:${namespace}/${name}`);
      const incidents = await status(
        `${BASE}/api/ops/incidents?entityRef=${ref}&limit=1`,
        auth,
      );
      return incidents.ok && (await incidents.json()).items.length > 0;
    },
    timeoutMs,
  );
}
