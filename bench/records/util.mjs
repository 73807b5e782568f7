// Small helpers of the bench: waits with a limit, the backend's JSON API,
// the port check and the version of the code under test.

import { execFile } from 'node:child_process';
import net from 'node:net';
import { promisify } from 'node:util';
import { AUTH, BASE, LIMITS, ROOT } from './options.mjs';

export const execFileAsync = promisify(execFile);

export const sleep = ms => new Promise(resolve => setTimeout(resolve, ms));
/** A sleep that does not keep the process alive, for races against other promises. */
export const deadline = ms =>
  new Promise(resolve => setTimeout(resolve, ms).unref());

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

/** Signs in with the guest provider and sends its user token from now on. */
export async function signInAsGuest() {
  const res = await fetch(`${BASE}/api/auth/guest/refresh`, {
    headers: { 'x-requested-with': 'XMLHttpRequest' },
    signal: AbortSignal.timeout(LIMITS.request),
  });
  if (!res.ok) {
    throw new Error(
      `guest sign-in (/api/auth/guest/refresh): ${
        res.status
      } ${await res.text()}`,
    );
  }
  const { backstageIdentity } = await res.json();
  AUTH.authorization = `Bearer ${backstageIdentity.token}`;
}

/** A JSON request to the backend, with the bench token and a timeout. */
export async function api(pathAndQuery, init = {}) {
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

/** Counts the stored incidents by paging through the whole list (500 a page). */
export async function countIncidents() {
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
