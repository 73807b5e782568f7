// The body of `yarn bench:failover` (bench/failover.mjs runs it with the
// Backstage CLI's TypeScript loader): runs ops:postgres:failover on a real
// PostgreSQL 15 primary + streaming replica on loopback while a writer
// inserts rows as fast as it can, and prints the write downtime.
// With `--repoint pgbouncer` the writer goes through a real PgBouncer on one
// connection it never reopens, and the failover repoints PgBouncer (PAUSE,
// rewrite, RELOAD, RESUME): every error it sees is a failed client write
// (target 0), and its longest gap between acknowledged inserts is the stall.

import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { createPostgresFailoverAction } from '@opsdeck/plugin-scaffolder-backend-module-ops';
import {
  FAILOVER_INPUT,
  atPort,
  fromConnectionFile,
  missingInserts,
  PAYMENTS_API,
  PgBouncerServer,
  RecordingOpsClient,
  ReplicatedCluster,
  scriptActionContext,
  startLedgerWriter,
} from '@opsdeck/plugin-scaffolder-backend-module-ops/testUtils';

const TARGET_SECONDS = 5;

function option(name: string, fallback: string): string {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? process.argv[index + 1] : fallback;
}

interface Figures {
  actionSeconds: number;
  writerGapSeconds: number;
  totalSeconds: number;
  acknowledged: number;
  missing: number;
  dataLossBytes: number;
  failedWrites: number;
}

async function once(
  fence: 'read-only' | 'stop',
  warmupMs: number,
  viaPgBouncer: boolean,
): Promise<Figures> {
  const workDir = await fs.mkdtemp(
    path.join(os.tmpdir(), 'opsdeck-bench-failover-'),
  );
  const cluster = await ReplicatedCluster.start({
    ports: { from: 5700, to: 5749 },
    name: 'bench-failover',
  });
  const bouncer = viaPgBouncer
    ? await PgBouncerServer.inFrontOf(cluster).catch(async error => {
        await cluster.stop();
        throw error;
      })
    : undefined;
  try {
    const connectionFile = path.join(workDir, 'payments-db.json');
    await fs.writeFile(
      connectionFile,
      JSON.stringify({ host: '127.0.0.1', port: cluster.primary.port }),
    );
    const config = new ConfigReader(
      cluster.targetConfig({
        workDir,
        failover: {
          fence:
            fence === 'stop'
              ? { method: 'stop', dataDir: cluster.primary.dataDir }
              : { method: 'read-only' },
          ...(bouncer ? { repoint: bouncer.repointConfig() } : {}),
        },
      }),
    );
    const action = createPostgresFailoverAction({
      config,
      catalog: {
        getEntityByRef: async () => PAYMENTS_API,
      } as unknown as CatalogService,
      permissions: mockServices.permissions(),
      opsClient: new RecordingOpsClient(),
    });
    const writer = bouncer
      ? await startLedgerWriter(atPort(bouncer.port), { reconnect: false })
      : await startLedgerWriter(fromConnectionFile(connectionFile));
    await new Promise(resolve => setTimeout(resolve, warmupMs));
    const { ctx, outputs } = scriptActionContext({
      input: FAILOVER_INPUT,
      taskId: 'bench',
      quiet: true,
    });
    const started = performance.now();
    await action.handler(ctx);
    const totalSeconds = (performance.now() - started) / 1000;
    // Through PgBouncer the writer's port stays PgBouncer's.
    await writer.waitFor(100, bouncer ? undefined : cluster.replicas[0].port);
    const result = await writer.stop();
    return {
      actionSeconds: outputs.get('writeDowntimeSeconds') as number,
      writerGapSeconds: result.longestGapMs / 1000,
      totalSeconds,
      acknowledged: result.acknowledged.length,
      missing: (
        await missingInserts(cluster.replicas[0].port, result.acknowledged)
      ).length,
      dataLossBytes: outputs.get('dataLossBytes') as number,
      failedWrites: result.failures.length,
    };
  } finally {
    await bouncer?.stop();
    await cluster.stop();
    await fs.rm(workDir, { recursive: true, force: true });
  }
}

function summary(values: number[]): string {
  const sorted = [...values].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)];
  return `median ${median.toFixed(3)} s, min ${sorted[0].toFixed(
    3,
  )} s, max ${sorted[sorted.length - 1].toFixed(3)} s`;
}

async function main() {
  const runs = Number(option('runs', '5'));
  const fences = option('fence', 'both');
  const warmupMs = Number(option('warmup', '2')) * 1000;
  const viaPgBouncer = option('repoint', 'connection-file') === 'pgbouncer';
  const methods = (
    fences === 'both' ? ['read-only', 'stop'] : [fences]
  ) as Array<'read-only' | 'stop'>;
  let worst = 0;
  for (const fence of methods) {
    console.log(
      `\nfence ${fence}: ${runs} failovers under a continuous writer${
        viaPgBouncer
          ? ' through PgBouncer (one connection, never reopened)'
          : ''
      }`,
    );
    console.log(
      `run | write downtime (action) | ${
        viaPgBouncer ? 'longest stall' : 'longest gap'
      } (writer) | whole action | inserts acked | missing | data loss | failed writes`,
    );
    const figures: Figures[] = [];
    for (let run = 1; run <= runs; run++) {
      const f = await once(fence, warmupMs, viaPgBouncer);
      figures.push(f);
      console.log(
        `${run} | ${f.actionSeconds.toFixed(
          3,
        )} s | ${f.writerGapSeconds.toFixed(3)} s | ${f.totalSeconds.toFixed(
          3,
        )} s | ${f.acknowledged} | ${f.missing} | ${f.dataLossBytes} B | ${
          f.failedWrites
        }`,
      );
    }
    console.log(
      `write downtime (fence to first write on the new primary): ${summary(
        figures.map(f => f.actionSeconds),
      )}`,
    );
    console.log(
      `longest gap between acknowledged inserts as the writer saw it: ${summary(
        figures.map(f => f.writerGapSeconds),
      )}`,
    );
    const missing = figures.reduce((sum, f) => sum + f.missing, 0);
    console.log(`acknowledged inserts missing on the new primary: ${missing}`);
    const failed = figures.reduce((sum, f) => sum + f.failedWrites, 0);
    if (viaPgBouncer) {
      console.log(
        `failed client writes through PgBouncer: ${failed} (target 0); longest stall: ${summary(
          figures.map(f => f.writerGapSeconds),
        )}`,
      );
    }
    worst = Math.max(
      worst,
      ...figures.map(f => Math.max(f.actionSeconds, f.writerGapSeconds)),
    );
    if (missing > 0 || (viaPgBouncer && failed > 0)) {
      process.exitCode = 1;
    }
  }
  console.log(
    `\nworst write downtime ${worst.toFixed(3)} s: ${
      worst < TARGET_SECONDS ? 'within' : 'OVER'
    } the target of ${TARGET_SECONDS} s`,
  );
  if (worst >= TARGET_SECONDS) {
    process.exitCode = 1;
  }
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
