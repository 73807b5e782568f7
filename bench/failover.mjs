#!/usr/bin/env node
// yarn bench:failover [--runs 5] [--fence read-only|stop|both] [--warmup 2]
// yarn bench:failover --stack patroni [--runs 3] [--warmup 2]: OpsDeck's
// Patroni switchover against a bare patronictl switchover (failover/patroni.ts)
// Runs bench/failover/run.ts with the Backstage CLI's TypeScript loader, as
// `backstage-cli package start` runs a backend. See bench/README.md.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const here = path.dirname(fileURLToPath(import.meta.url));
const stack = process.argv.indexOf('--stack');
const body =
  stack >= 0 && process.argv[stack + 1] === 'patroni' ? 'patroni.ts' : 'run.ts';
const result = spawnSync(
  process.execPath,
  [
    '--require',
    require.resolve('@backstage/cli/config/nodeTransform.cjs'),
    path.join(here, 'failover', body),
    ...process.argv.slice(2),
  ],
  { stdio: 'inherit' },
);
process.exit(result.status ?? 1);
