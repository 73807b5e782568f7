// `yarn bench:failover --stack patroni [--runs 3] [--warmup 2]`: on one
// Patroni cluster (etcd + two members on loopback, the test helper) and one
// continuous writer, alternates OpsDeck's switchover (ops:postgres:failover
// on a target with failover.ha) with a bare `patronictl switchover`, and
// compares the longest gap between acknowledged inserts of each. The writer
// finds the leader itself (the member that accepts writes), so both sides are
// measured the same way; target ratio ≤ 1.05 (OpsDeck adds nothing to
// Patroni's own downtime).
// `--stack patroni --repoint pgbouncer`: the writer goes through a real
// PgBouncer on one connection it never reopens, and OpsDeck's switchover
// repoints PgBouncer (a bare patronictl switchover does not, so only
// OpsDeck's runs, in both directions): prints the failed client writes
// (target 0) and the longest stall.

import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { createPostgresFailoverAction } from '@opsdeck/plugin-scaffolder-backend-module-ops';
import {
  atPort,
  leaderAmong,
  missingInserts,
  PgBouncerServer,
  RecordingOpsClient,
  scriptActionContext,
  startLedgerWriter,
} from '@opsdeck/plugin-scaffolder-backend-module-ops/testUtils';
import { PatroniTestCluster } from '../../plugins/scaffolder-backend-module-ops/src/__testUtils__/patroniCluster';
import { throughPgBouncer } from './patroniPgBouncer';
import { serviceWithDatabases } from '../../plugins/scaffolder-backend-module-ops/src/testUtils/entities';
import {
  APP_PASSWORD,
  APP_USER,
  DATABASE,
} from '../../plugins/scaffolder-backend-module-ops/src/testUtils/replicatedCluster';

const TARGET_RATIO = 1.05;

function option(name: string, fallback: string): string {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? process.argv[index + 1] : fallback;
}

function median(values: number[]) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? sorted[middle]
    : (sorted[middle - 1] + sorted[middle]) / 2;
}

function mean(values: number[]) {
  return values.reduce((sum, value) => sum + value, 0) / values.length;
}

async function main() {
  const runs = Number(option('runs', '3'));
  const warmupMs = Number(option('warmup', '2')) * 1000;
  const workDir = await fs.mkdtemp(
    path.join(os.tmpdir(), 'opsdeck-bench-patroni-'),
  );
  const viaPgBouncer = option('repoint', 'none') === 'pgbouncer';
  const cluster = await PatroniTestCluster.start({
    ports: { from: 5950, to: 6049 },
  });
  const first = cluster.node((await cluster.leader())!);
  const bouncer = viaPgBouncer
    ? await PgBouncerServer.start({
        routes: {
          [DATABASE]: {
            host: '127.0.0.1',
            port: first.pgPort,
            dbname: DATABASE,
          },
        },
        users: { [APP_USER]: APP_PASSWORD },
      }).catch(async error => {
        await cluster.stop();
        throw error;
      })
    : undefined;
  const entity = serviceWithDatabases('orders-api', 'orders-db', 'team-orders');
  const action = createPostgresFailoverAction({
    config: new ConfigReader(
      cluster.targetConfig({
        workDir,
        objectives: { rto: '1m' },
        ...(bouncer ? { failover: { repoint: bouncer.repointConfig() } } : {}),
      }),
    ),
    catalog: {
      getEntityByRef: async () => entity,
    } as unknown as CatalogService,
    permissions: mockServices.permissions(),
    opsClient: new RecordingOpsClient(),
  });
  const writer = bouncer
    ? await startLedgerWriter(atPort(bouncer.port), { reconnect: false })
    : await startLedgerWriter(leaderAmong(cluster.nodes.map(n => n.pgPort)));
  const opsdeck: number[] = [];
  const bare: number[] = [];
  try {
    if (bouncer) {
      await throughPgBouncer({
        cluster,
        bouncer,
        action,
        writer,
        runs,
        warmupMs,
      });
      return;
    }
    await new Promise(resolve => setTimeout(resolve, warmupMs));
    console.log(
      `Patroni switchovers under one continuous writer, alternating OpsDeck and a bare patronictl switchover, ${runs} each`,
    );
    console.log('run | how | leader → candidate | longest write gap');
    for (let run = 1; run <= runs; run++) {
      // ABBA: each way runs in both directions (orders-1 → orders-2 and back).
      const order =
        run % 2 === 1
          ? (['opsdeck', 'patronictl'] as const)
          : (['patronictl', 'opsdeck'] as const);
      for (const how of order) {
        const leader = cluster.node((await cluster.leader())!);
        const candidate = cluster.nodes.find(n => n !== leader)!;
        await cluster.waitForStreamingReplica(candidate.name);
        await writer.waitFor(200, leader.pgPort);
        const from = performance.now();
        if (how === 'opsdeck') {
          const { ctx } = scriptActionContext({
            input: {
              entityRef: 'component:default/orders-api',
              target: 'orders-db',
              replica: candidate.name,
            },
            taskId: `bench-${run}`,
            quiet: true,
          });
          await action.handler(ctx);
        } else {
          await cluster.patronictl([
            'switchover',
            '--leader',
            leader.name,
            '--candidate',
            candidate.name,
            '--force',
          ]);
        }
        await writer.waitFor(200, candidate.pgPort);
        const gap = writer.longestGapSince(from) / 1000;
        (how === 'opsdeck' ? opsdeck : bare).push(gap);
        console.log(
          `${run} | ${how} | ${leader.name} → ${candidate.name} | ${gap.toFixed(
            3,
          )} s`,
        );
      }
    }
    await writer.stop();
    const leader = cluster.node((await cluster.leader())!);
    const missing = await missingInserts(leader.pgPort, writer.acknowledged);
    const ratio = median(opsdeck) / median(bare);
    console.log(
      `longest write gap, median: OpsDeck ${median(opsdeck).toFixed(
        3,
      )} s, bare patronictl ${median(bare).toFixed(3)} s; ratio ${ratio.toFixed(
        3,
      )} (target ≤ ${TARGET_RATIO}); means ${mean(opsdeck).toFixed(
        3,
      )} s and ${mean(bare).toFixed(3)} s`,
    );
    console.log(
      `${writer.acknowledged.length} inserts acknowledged, ${missing.length} missing on the final leader, ${writer.failures.length} failed writes`,
    );
    process.exitCode = ratio <= TARGET_RATIO && missing.length === 0 ? 0 : 1;
  } finally {
    await writer.stop();
    await bouncer?.stop();
    const left = await cluster.stop();
    await fs.rm(workDir, { recursive: true, force: true });
    if (left.length > 0) {
      console.error(`Left behind: ${left.join('; ')}`);
      process.exitCode = 1;
    }
  }
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
