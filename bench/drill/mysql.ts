// `yarn bench:drill --engine mysql [--size-mb 1024] [--rounds 2] [--no-live]`
// (bench/drill.mjs runs this file with the Backstage CLI's TypeScript loader).
// On one MariaDB source seeded with about --size-mb MiB (the maintenance
// database of the MySQL drill tests) and one `mariadb-dump
// --single-transaction --routines --triggers --events` of it, it measures in
// the same run, alternating the order each round:
// - bare: `mariadb <database> < dump` into a fresh, started scratch instance
//   (drill/mysqlBare.ts);
// - the drill: ops:mysql:backup-drill's code (drill/mysqlDrill.ts), from
//   finding the dump to the cleanup proof, verification against the source
//   included.
// Target: drill / bare ≤ 1.15 (median of the rounds). Then, unless
// --no-live, a writer starts changing the source, a second dump is taken
// and drilled while it goes on (not timed against anything: the drill must
// pass, the writer never fail, and nothing be left).

import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { MysqlScratchInstance } from '../../plugins/scaffolder-backend-module-ops/src/mysql/scratch/scratchInstance';
import { processesNaming } from '../../plugins/scaffolder-backend-module-ops/src/__testUtils__/postgresTestCluster';
import { MAINTENANCE_DATABASE } from '../../plugins/scaffolder-backend-module-ops/src/testUtils/mysql/maintenanceSchema';
import { startMaintenanceWriter } from '../../plugins/scaffolder-backend-module-ops/src/testUtils/mysql/maintenanceWriter';
import { bareRestore } from './mysqlBare';
import { drillDump, drillLine } from './mysqlDrill';
import { dumpDatabase, startSeededSource } from './mysqlSource';

const TARGET_RATIO = 1.15;
const MIB = 1024 ** 2;

function option(name: string, fallback: string): string {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? process.argv[index + 1] : fallback;
}

const seconds = (ms: number) => (ms / 1000).toFixed(1);
const log = (message: string) => console.log(`[bench:drill] ${message}`);

function median(values: number[]) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? sorted[middle]
    : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** Bare restore and drill, alternating which goes first; the median ratio. */
async function measureRounds(options: {
  source: MysqlScratchInstance;
  database: string;
  dump: string;
  backups: string;
  workDir: string;
  rounds: number;
}): Promise<number> {
  const { source, database, dump, backups, workDir, rounds } = options;
  const ratios: number[] = [];
  for (let round = 1; round <= rounds; round++) {
    const drillFirst = round % 2 === 0;
    let bare = 0;
    let drilled: Awaited<ReturnType<typeof drillDump>> | undefined;
    for (const side of drillFirst ? ['drill', 'bare'] : ['bare', 'drill']) {
      if (side === 'bare') {
        bare = await bareRestore({ dump, database, workDir });
      } else {
        drilled = await drillDump({ source, backups, workDir, log });
      }
    }
    const ratio = drilled!.wallMs / bare;
    ratios.push(ratio);
    log(
      `round ${round} (${
        drillFirst ? 'drill first' : 'bare first'
      }): bare mariadb < dump ${seconds(bare)} s, drill ${seconds(
        drilled!.wallMs,
      )} s (${seconds(drilled!.wallMs - bare)} s more), ratio ${ratio.toFixed(
        3,
      )}`,
    );
    log(`  ${drillLine(drilled!)}`);
  }
  const m = median(ratios);
  log(
    `drill / bare mariadb < dump: median ${m.toFixed(3)} of ${
      ratios.length
    } round(s) (${ratios
      .map(r => r.toFixed(3))
      .join(', ')}); target <= ${TARGET_RATIO}: ${
      m <= TARGET_RATIO ? 'met' : 'MISSED'
    }`,
  );
  return m;
}

/**
 * A dump taken while the writer changes the source, then a drill of it
 * while the writer goes on; whether the writer never failed.
 */
async function liveDrill(options: {
  source: MysqlScratchInstance;
  backups: string;
  workDir: string;
}): Promise<boolean> {
  const { source, backups, workDir } = options;
  const writer = await startMaintenanceWriter(database =>
    source.connection(database ?? MAINTENANCE_DATABASE),
  );
  let result;
  try {
    await writer.waitForTransactions(20);
    const dump = await dumpDatabase({
      source,
      database: MAINTENANCE_DATABASE,
      directory: backups,
    });
    log(
      `live: mariadb-dump while writing, ${(dump.bytes / MIB).toFixed(
        0,
      )} MiB in ${seconds(dump.ms)} s; ${
        writer.counts.transactions
      } transactions so far`,
    );
    await writer.waitForTransactions(20);
    const drilled = await drillDump({ source, backups, workDir, log });
    log(`live: drill ${seconds(drilled.wallMs)} s, passed while writing`);
    log(`  ${drillLine(drilled)}`);
  } finally {
    result = await writer.stop();
  }
  const { transactions, inserted, updated, deleted } = result.counts;
  log(
    `live: the writer committed ${transactions} transactions (${inserted} inserted, ${updated} updated, ${deleted} deleted rows), ${result.failures.length} failed`,
  );
  if (result.failures.length > 0) {
    log(`live: writer failures: ${result.failures.slice(-3).join('; ')}`);
  }
  return result.failures.length === 0;
}

async function main() {
  const sizeMb = Number(option('size-mb', '1024'));
  const rounds = Number(option('rounds', '2'));
  const live = !process.argv.includes('--no-live');
  if (!(sizeMb > 0) || !(rounds > 0)) {
    throw new Error('--size-mb and --rounds: positive numbers');
  }
  // Nothing is cached: a drill compares the copy with the source the dump
  // was taken from, so a kept dump needs its kept source; seeding it again
  // takes about a minute per GiB, less than one restore.
  const root = await fs.mkdtemp(path.join(os.tmpdir(), 'opsdeck-bench-my-'));
  await fs.chmod(root, 0o755);
  const workDir = path.join(root, 'work');
  const backups = path.join(root, 'backups');
  await fs.mkdir(workDir, { mode: 0o755 });
  let passed = false;
  let source: MysqlScratchInstance | undefined;
  try {
    const seeded = await startSeededSource(workDir, sizeMb);
    source = seeded.source;
    const { seed } = seeded;
    log(
      `source 127.0.0.1:${source.port}: seeded ${seed.database} with ${(
        seed.bytes / MIB
      ).toFixed(0)} MiB (data + indexes, information_schema) in ${seconds(
        seed.ms,
      )} s: ${Object.entries(seed.rows)
        .map(([table, rows]) => `${table} ${rows}`)
        .join(', ')} rows`,
    );
    const dump = await dumpDatabase({
      source,
      database: seed.database,
      directory: backups,
    });
    log(
      `mariadb-dump --single-transaction --routines --triggers --events: ${(
        dump.bytes / MIB
      ).toFixed(0)} MiB in ${seconds(dump.ms)} s`,
    );
    // Both sides then read the dump from the same warm page cache.
    await fs.readFile(dump.file);
    const ratio = await measureRounds({
      source,
      database: seed.database,
      dump: dump.file,
      backups,
      workDir,
      rounds,
    });
    passed = ratio <= TARGET_RATIO;
    if (live) {
      passed = (await liveDrill({ source, backups, workDir })) && passed;
    }
  } finally {
    const proof = await source?.destroy();
    const left = await processesNaming(root);
    await fs.rm(root, { recursive: true, force: true });
    if ((proof && !proof.clean) || left.length > 0) {
      console.error(
        `Left behind: ${[proof?.clean === false ? proof.summary : '', ...left]
          .filter(Boolean)
          .join('; ')}`,
      );
      passed = false;
    }
  }
  process.exitCode = passed ? 0 : 1;
}

main().catch(error => {
  console.error(`[bench:drill] failed: ${error.stack ?? error}`);
  process.exit(1);
});
