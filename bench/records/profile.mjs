// A CPU profile of the backend's main thread during one phase, taken through
// its inspector (the backend starts with --inspect on 127.0.0.1 when
// --profile-rate is given), written where Chrome DevTools or speedscope open it.

import fs from 'node:fs';
import { INSPECT_PORT, LIMITS } from './options.mjs';

/** A Chrome DevTools Protocol session on the backend's inspector. */
async function connect() {
  const targets = await (
    await fetch(`http://127.0.0.1:${INSPECT_PORT}/json/list`, {
      signal: AbortSignal.timeout(5000),
    })
  ).json();
  const socket = new WebSocket(targets[0].webSocketDebuggerUrl);
  await new Promise((resolve, reject) => {
    socket.onopen = resolve;
    socket.onerror = () =>
      reject(new Error(`inspector on port ${INSPECT_PORT} refused`));
  });
  let id = 0;
  const pending = new Map();
  socket.onmessage = ({ data }) => {
    const message = JSON.parse(data);
    const waiter = pending.get(message.id);
    if (!waiter) return;
    pending.delete(message.id);
    if (message.error)
      waiter.reject(new Error(`${waiter.method}: ${message.error.message}`));
    else waiter.resolve(message.result);
  };
  const send = (method, params = {}) =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`inspector: ${method} unanswered`)),
        LIMITS.request,
      );
      pending.set(++id, {
        method,
        resolve: r => (clearTimeout(timer), resolve(r)),
        reject: e => (clearTimeout(timer), reject(e)),
      });
      socket.send(JSON.stringify({ id, method, params }));
    });
  return { send, close: () => socket.close() };
}

/** Runs `phase` under the CPU profiler and writes the profile to `file`. */
export async function profiled(file, phase) {
  const session = await connect();
  try {
    await session.send('Profiler.enable');
    // 1 ms between samples: V8's default, cheap enough not to change the figures much
    await session.send('Profiler.setSamplingInterval', { interval: 1000 });
    await session.send('Profiler.start');
    const result = await phase();
    const { profile } = await session.send('Profiler.stop');
    fs.writeFileSync(file, JSON.stringify(profile));
    return result;
  } finally {
    session.close();
  }
}

/**
 * The functions that cost most of a profile's time, self time, with the share
 * of samples, and the idle share: a quick reading without DevTools.
 */
export function topFunctions(file, count = 25) {
  const profile = JSON.parse(fs.readFileSync(file, 'utf8'));
  const byId = new Map(profile.nodes.map(n => [n.id, n]));
  const self = new Map();
  for (const sample of profile.samples) {
    const { callFrame } = byId.get(sample);
    const where = `${callFrame.functionName || '(anonymous)'} ${callFrame.url
      .replace(/^.*node_modules\//, '')
      .replace(/^.*\/(plugins|packages)\//, '$1/')}:${
      callFrame.lineNumber + 1
    }`;
    self.set(where, (self.get(where) ?? 0) + 1);
  }
  const total = profile.samples.length;
  return [...self.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(
      ([where, n]) =>
        `${((100 * n) / total).toFixed(1).padStart(5)} %  ${where}`,
    );
}
