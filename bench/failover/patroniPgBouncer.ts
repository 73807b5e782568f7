// `yarn bench:failover --stack patroni --repoint pgbouncer` (see patroni.ts):
// OpsDeck's Patroni switchovers, alternating direction, under one writer
// that keeps one connection to PgBouncer and never reopens it. Every error
// it sees is a failed client write (target 0); the longest gap between its
// acknowledged inserts is the stall the switchover caused.

import { createPostgresFailoverAction } from '@opsdeck/plugin-scaffolder-backend-module-ops';
import {
  missingInserts,
  PgBouncerServer,
  scriptActionContext,
  startLedgerWriter,
} from '@opsdeck/plugin-scaffolder-backend-module-ops/testUtils';
import { PatroniTestCluster } from '../../plugins/scaffolder-backend-module-ops/src/__testUtils__/patroniCluster';
import { DATABASE } from '../../plugins/scaffolder-backend-module-ops/src/testUtils/replicatedCluster';

export async function throughPgBouncer(options: {
  cluster: PatroniTestCluster;
  bouncer: PgBouncerServer;
  action: ReturnType<typeof createPostgresFailoverAction>;
  writer: Awaited<ReturnType<typeof startLedgerWriter>>;
  runs: number;
  warmupMs: number;
}) {
  const { cluster, bouncer, action, writer, runs, warmupMs } = options;
  await new Promise(resolve => setTimeout(resolve, warmupMs));
  console.log(
    `OpsDeck's Patroni switchover repointing PgBouncer, ${runs} runs, one writer on one PgBouncer connection it never reopens`,
  );
  console.log(
    'run | leader → candidate | failed writes | longest stall | PgBouncer sends to',
  );
  const stalls: number[] = [];
  for (let run = 1; run <= runs; run++) {
    const leader = cluster.node((await cluster.leader())!);
    const candidate = cluster.nodes.find(n => n !== leader)!;
    await cluster.waitForStreamingReplica(candidate.name);
    await writer.waitFor(200);
    const failedBefore = writer.failures.length;
    const from = performance.now();
    const { ctx } = scriptActionContext({
      input: {
        entityRef: 'component:default/orders-api',
        target: 'orders-db',
        replica: candidate.name,
      },
      taskId: `bench-pgbouncer-${run}`,
      quiet: true,
    });
    await action.handler(ctx);
    await writer.waitFor(200);
    const stall = writer.longestGapSince(from) / 1000;
    stalls.push(stall);
    const routed = await bouncer.database(DATABASE);
    console.log(
      `${run} | ${leader.name} → ${candidate.name} | ${
        writer.failures.length - failedBefore
      } | ${stall.toFixed(3)} s | 127.0.0.1:${routed.port}${
        routed.port === candidate.pgPort
          ? ' (the new leader)'
          : ' (NOT the new leader)'
      }${routed.paused ? ', PAUSED' : ''}`,
    );
    if (routed.port !== candidate.pgPort || routed.paused) {
      process.exitCode = 1;
    }
  }
  const { acknowledged, failures } = await writer.stop();
  const leader = cluster.node((await cluster.leader())!);
  const missing = await missingInserts(leader.pgPort, acknowledged);
  console.log(
    `failed client writes through PgBouncer: ${failures.length} (target 0)${
      failures.length > 0 ? `, first: ${failures[0]}` : ''
    }; longest stall ${Math.max(...stalls).toFixed(3)} s (per run: ${stalls
      .map(s => s.toFixed(3))
      .join(', ')} s); ${acknowledged.length} inserts acknowledged, ${
      missing.length
    } missing on the final leader`,
  );
  if (failures.length > 0 || missing.length > 0) {
    process.exitCode = 1;
  }
}
