// A CPU profile of the backend's main thread during one phase, taken through
// its inspector (the backend starts with --inspect on 127.0.0.1 when
// --profile-rate is given), written where Chrome DevTools or speedscope open it;
// and, of the same phase, a sampling allocation profile of what outlived the
// young generation: the garbage that major collections (the stalls of the
// list's p99) have to mark and sweep.

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

/**
 * Runs `phase` under the CPU profiler and the sampling heap profiler; writes
 * the CPU profile to `cpuFile` and the allocation profile to `heapFile`.
 */
export async function profiled({ cpuFile, heapFile }, phase) {
  const session = await connect();
  try {
    await session.send('Profiler.enable');
    // 1 ms between samples: V8's default, cheap enough not to change the figures much
    await session.send('Profiler.setSamplingInterval', { interval: 1000 });
    await session.send('HeapProfiler.enable');
    // Objects that a scavenge collects are left out (they cost the young
    // generation little); those that lived long enough to be promoted and were
    // then collected by a major GC are kept in the profile, with the live ones.
    await session.send('HeapProfiler.startSampling', {
      samplingInterval: 64 * 1024,
      includeObjectsCollectedByMajorGC: true,
      includeObjectsCollectedByMinorGC: false,
    });
    await session.send('Profiler.start');
    const result = await phase();
    const { profile } = await session.send('Profiler.stop');
    fs.writeFileSync(cpuFile, JSON.stringify(profile));
    const { profile: heap } = await session.send('HeapProfiler.stopSampling');
    fs.writeFileSync(heapFile, JSON.stringify(heap));
    return result;
  } finally {
    session.close();
  }
}

const frameName = callFrame =>
  `${callFrame.functionName || '(anonymous)'} ${callFrame.url
    .replace(/^.*node_modules\//, '')
    .replace(/^.*\/(plugins|packages)\//, '$1/')}:${callFrame.lineNumber + 1}`;

/**
 * The allocation sites of most of an allocation profile's bytes (self size),
 * each with its nearest caller in this repository's plugins or packages: a
 * quick reading of where the promoted garbage comes from.
 */
export function topAllocations(file, count = 20) {
  const { head } = JSON.parse(fs.readFileSync(file, 'utf8'));
  const bySite = new Map();
  let total = 0;
  const walk = (node, ours) => {
    const here = frameName(node.callFrame);
    const mine = /^\S+ (plugins|packages)\//.test(here) ? here : ours;
    if (node.selfSize > 0) {
      const key = `${here}  <- ${mine ?? '(no caller of this repository)'}`;
      bySite.set(key, (bySite.get(key) ?? 0) + node.selfSize);
      total += node.selfSize;
    }
    for (const child of node.children) walk(child, mine);
  };
  walk(head, undefined);
  return [
    `${(total / 2 ** 20).toFixed(0)} MiB sampled`,
    ...[...bySite.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, count)
      .map(
        ([site, bytes]) =>
          `${((100 * bytes) / total).toFixed(1).padStart(5)} %  ${site}`,
      ),
  ];
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
    const where = frameName(byId.get(sample).callFrame);
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
