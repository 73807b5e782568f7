/*
 * The measured reads of yarn bench:dora: GET /api/ops/dora under a closed
 * loop of N connections (autocannon), after an unmeasured warm-up, and the
 * table and verdict printed from them.
 */

import autocannon from 'autocannon';

/** p99 target of the acceptance for GET /dora, in ms. */
export const P99_TARGET_MS = 100;

const failuresOf = r => r.non2xx + r.errors + r.timeouts;

function run(options) {
  return new Promise((resolve, reject) => {
    autocannon({ timeout: 30, ...options }, (error, result) =>
      error ? reject(error) : resolve(result),
    );
  });
}

/**
 * Reads `url` over `connections` for `warmup` seconds (not counted: the
 * first requests compile code and fill caches) and then `duration` seconds.
 */
export async function measure(url, { headers, connections, duration, warmup }) {
  if (warmup > 0) {
    await run({ url, headers, connections, duration: warmup });
  }
  const r = await run({ url, headers, connections, duration });
  return {
    requests: r.requests.total,
    perSecond: r.requests.average,
    p50: r.latency.p50,
    p99: r.latency.p99,
    failed: failuresOf(r),
  };
}

/** Reads two URLs at once; the second (a yardstick) over one connection. */
export async function measureBeside(url, besideUrl, options) {
  const [main, beside] = await Promise.all([
    measure(url, { ...options, warmup: 0 }),
    measure(besideUrl, { ...options, connections: 1, warmup: 0 }),
  ]);
  return { main, beside };
}

/** One markdown row per measurement, and whether each met the target. */
export function printTable(rows, { connections, duration }) {
  console.log('');
  console.log(
    `GET /api/ops/dora, ${connections} connections, ${duration} s each (autocannon, closed loop)`,
  );
  console.log('');
  console.log(
    '| database | read | rows in the window | requests | req/s | p50 ms | p99 ms | failed | p99 < 100 ms |',
  );
  console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- |');
  for (const row of rows) {
    const r = row.result;
    console.log(
      `| ${row.db} | ${row.read} | ${row.rows} | ${
        r.requests
      } | ${r.perSecond.toFixed(1)} | ${r.p50} | ${r.p99} | ${r.failed} | ${
        row.target === false ? '-' : r.p99 < P99_TARGET_MS ? 'yes' : 'NO'
      } |`,
    );
  }
}
