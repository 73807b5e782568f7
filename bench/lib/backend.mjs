/*
 * Starting and stopping a real OpsDeck backend for a bench: packages/backend
 * in production settings on the bench port, on SQLite or on a PostgreSQL of
 * the bench's own (scripts/postgres-for-tests.sh), with a config layered over
 * app-config.yaml that gives the load generator a static token.
 *
 * Used by bench/dora.mjs. It is the launcher of bench/records.mjs made
 * reusable (startPostgres, startBackend, stopBackend, waitForBackend,
 * writeConfig, waitFor, portInUse, codeVersion there); records.mjs can import
 * it instead of its own copy.
 */

import { execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

export const ROOT = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '..',
  '..',
);
/** The benches' port: run them under `flock /tmp/opsdeck-ports.lock`. */
export const BENCH_PORT = 7107;

/**
 * A logger whose lines carry the time and the machine's 1-minute load
 * average: other work on the machine shares its cores with the backend.
 */
export function benchLog(name = 'bench') {
  return (...parts) =>
    console.log(
      `[${name} ${new Date().toISOString().slice(11, 19)} load ${os
        .loadavg()[0]
        .toFixed(1)}]`,
      ...parts,
    );
}

export const sleep = ms => new Promise(resolve => setTimeout(resolve, ms));
/** A sleep that does not keep the process alive, for races against other promises. */
const deadline = ms => new Promise(resolve => setTimeout(resolve, ms).unref());

/** Polls `check` every `everyMs` until it returns a truthy value, or throws after `timeoutMs`. */
export async function waitFor(what, check, { timeoutMs, everyMs = 1000 }) {
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

export function portInUse(port) {
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

/** A port nothing listens on now, chosen by the system. */
export function freeLoopbackPort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/**
 * The code the backend runs: the commit, and the uncommitted changes under
 * packages/ and plugins/ (others may be editing them while the bench runs).
 */
export async function codeVersion() {
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

/** An empty PostgreSQL 15 of the bench's own in `dir`, on a free port from `firstPort`. */
async function startPostgres({ dir, firstPort }) {
  const script = path.join(ROOT, 'scripts', 'postgres-for-tests.sh');
  const env = {
    ...process.env,
    OPSDECK_PG_TESTS_DIR: dir,
    OPSDECK_PG_TESTS_PORT: String(firstPort),
  };
  const run = async command =>
    (
      await execFileAsync('bash', [script, command], { env, timeout: 120_000 })
    ).stdout.trim();
  // Anything left in `dir` by an interrupted run is stopped and deleted.
  await run('stop');
  await run('start');
  const url = new URL(await run('status'));
  return {
    host: url.hostname,
    port: Number(url.port),
    user: decodeURIComponent(url.username),
    stop: () => run('stop'),
  };
}

function writeConfig({ file, port, databaseYaml, token, catalogFile, extra }) {
  fs.writeFileSync(
    file,
    `# Written by bench/lib/backend.mjs; layered over app-config.yaml.
backend:
  baseUrl: http://localhost:${port}
  listen:
    port: ${port}
    host: 127.0.0.1
  database:
${databaseYaml}
  auth:
    externalAccess:
      # the load generator's credentials: a service principal, "external:bench"
      - type: static
        options:
          token: ${token}
          subject: bench

catalog:
  # only the bench's entities (an array replaces app-config.yaml's list)
  locations:
    - type: file
      target: ${catalogFile}

# no example incidents and drills: the bench writes its own
opsdeckExamples: null
${extra ?? ''}`,
  );
}

/**
 * Starts packages/backend with the node flags of `backstage-cli package start`
 * (TypeScript transpiled on load) but without its file watcher, so that edits
 * elsewhere in the repository cannot restart it in the middle of a run, and
 * with NODE_ENV=production unless NODE_ENV is set: in development Backstage
 * pretty-prints every JSON response, which no deployment pays.
 */
function spawnBackend({ configFile, logFile }) {
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
      cwd: path.join(ROOT, 'packages', 'backend'),
      env: {
        ...process.env,
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

async function stopProcess(backend, log, timeoutMs = 30_000) {
  if (backend.child.exitCode !== null || backend.child.signalCode !== null)
    return;
  log('stopping the backend');
  backend.child.kill('SIGTERM');
  const stopped = await Promise.race([
    backend.exited,
    deadline(timeoutMs).then(() => null),
  ]);
  if (!stopped) {
    log(`the backend did not stop within ${timeoutMs / 1000} s: SIGKILL`);
    backend.child.kill('SIGKILL');
    await Promise.race([backend.exited, deadline(5000)]);
  }
}

async function waitForReadiness(backend, baseUrl, timeoutMs) {
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
      const res = await fetch(`${baseUrl}/.backstage/health/v1/readiness`, {
        signal: AbortSignal.timeout(5000),
      });
      return res.ok;
    },
    { timeoutMs },
  );
}

/**
 * Starts a backend on `db` ('sqlite' or 'postgres') with its files in `dir`
 * (emptied first) and waits for its readiness. Resolves with its base URL,
 * the headers of the bench's token, the code it runs and `stop()`, which
 * stops the backend and the PostgreSQL it started; call it also on failure.
 * `extraConfig` is YAML appended to the generated config. `port` 0 takes a
 * free port instead of the benches' fixed one (no lock needed then).
 */
export async function launchBackend({
  db,
  dir,
  catalogFile,
  log,
  port = BENCH_PORT,
  pgFirstPort = 5450,
  extraConfig,
  startTimeoutMs = 300_000,
}) {
  if (db !== 'sqlite' && db !== 'postgres') {
    throw new Error(`Unknown database '${db}': use sqlite or postgres`);
  }
  if (port === 0) port = await freeLoopbackPort();
  if (await portInUse(port)) {
    throw new Error(`port ${port} is in use: stop what listens there first`);
  }
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const stops = [];
  const stop = async () => {
    while (stops.length) await stops.pop()();
  };
  try {
    let databaseYaml;
    if (db === 'sqlite') {
      // one file per plugin in this directory
      databaseYaml = `    client: better-sqlite3\n    connection:\n      directory: ${path.join(
        dir,
        'db',
      )}`;
    } else {
      log(`starting PostgreSQL (own directory ${path.relative(ROOT, dir)}/pg)`);
      const pg = await startPostgres({
        dir: path.join(dir, 'pg'),
        firstPort: pgFirstPort,
      });
      stops.push(async () => {
        log('stopping PostgreSQL');
        await pg.stop();
      });
      databaseYaml = `    client: pg\n    connection:\n      host: ${pg.host}\n      port: ${pg.port}\n      user: ${pg.user}`;
    }
    const token = randomBytes(24).toString('base64url');
    const configFile = path.join(dir, 'app-config.bench.yaml');
    writeConfig({
      file: configFile,
      port,
      databaseYaml,
      token,
      catalogFile,
      extra: extraConfig,
    });
    const code = await codeVersion();
    const logFile = path.join(dir, 'backend.log');
    log(
      `starting the backend on 127.0.0.1:${port}, ${db} (code ${code}; log ${path.relative(
        ROOT,
        logFile,
      )})`,
    );
    const started = Date.now();
    const backend = spawnBackend({ configFile, logFile });
    stops.push(() => stopProcess(backend, log));
    const baseUrl = `http://127.0.0.1:${port}`;
    await waitForReadiness(backend, baseUrl, startTimeoutMs);
    log(`backend ready after ${((Date.now() - started) / 1000).toFixed(0)} s`);
    return {
      baseUrl,
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': 'application/json',
      },
      code,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
