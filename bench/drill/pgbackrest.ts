// `yarn bench:drill --source pgbackrest [--rows 6500000] [--rounds 2] [--jobs 2]`
// (bench/drill.mjs runs this file with the Backstage CLI's TypeScript loader).
// On one source cluster archiving into one pgBackRest repository (the
// integration tests' helpers) and one full backup of about 1.1 GiB, it
// measures in the same run, alternating the order each round:
// - bare: `pgbackrest restore` of that backup into an empty directory, then
//   `pg_ctl start` and polling until recovery has promoted the copy (what an
//   operator types by hand, built here independently of the drill's code);
// - the drill: ops:postgres:backup-drill's code (executeBackupDrill) on a
//   `backup.source: pgbackrest` target, from finding the backup to the
//   cleanup proof, verification against the source included.
// It also prints what the manifest would cost on this database (the counts
// and checksums `takeBackup` reads in the dump's snapshot) and the drill's
// own verification step. Target: drill / bare ≤ 1.15 (median of the rounds).

import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';
import { ConfigReader } from '@backstage/config';
import {
  LEDGER_SEED_SQL,
  readDatabaseTarget,
  timeDrill,
} from '@opsdeck/plugin-scaffolder-backend-module-ops/testUtils';
import {
  PgBackRestRepo,
  requirePgBackRest,
} from '../../plugins/scaffolder-backend-module-ops/src/__testUtils__/pgBackRestRepo';
import {
  pgBackRestTarget,
  startArchivingSource,
} from '../../plugins/scaffolder-backend-module-ops/src/__testUtils__/pgBackRestSource';
import {
  asOwner,
  BIN,
  firstFreePort,
  processesNaming,
  RUN_AS,
  SourceCluster,
} from '../../plugins/scaffolder-backend-module-ops/src/__testUtils__/postgresTestCluster';
import { watchRestoreProgram } from './phases';
import { readDatabaseContents } from '../../plugins/scaffolder-backend-module-ops/src/postgres/verification/contents';

const TARGET_RATIO = 1.15;
/**
 * `--phases`: split the drill's Restore step by watching for its `pgbackrest
 * restore` process (phases.ts). The watcher reads /proc every 50 ms in this
 * process, on the cores the restores use, so it then runs during both sides.
 */
const watchPhases = process.argv.includes('--phases');
const STANZA = 'ledger';
const PASSWORD_ENV = 'OPSDECK_BENCH_DRILL_PASSWORD';
const run = promisify(execFile);

function option(name: string, fallback: string): string {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? process.argv[index + 1] : fallback;
}

const seconds = (ms: number) => (ms / 1000).toFixed(1);
const log = (message: string) => console.log(`[bench:drill] ${message}`);
const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));

/** See bench/drill.mjs: both sides start after the previous removal is on disk. */
const settle = () => run('sync', []);

/** The bare way: pgbackrest restore, pg_ctl start, poll until promoted. */
async function bareRestore(
  repo: PgBackRestRepo,
  label: string,
  workDir: string,
  jobs: number,
): Promise<{ total: number; restore: number }> {
  const dir = await fs.mkdtemp(path.join(workDir, 'bare-'));
  const data = path.join(dir, 'data');
  const socket = path.join(dir, 's');
  await fs.mkdir(data, { mode: 0o700 });
  await fs.mkdir(socket, { mode: 0o700 });
  if (RUN_AS) {
    await run('chown', ['-R', `${RUN_AS}:`, dir]);
  }
  const port = await firstFreePort(5830, 5849);
  await settle();
  // The same watcher as the drill's (--phases), so both sides pay its cost.
  const watch = watchPhases ? watchRestoreProgram(workDir) : undefined;
  const started = performance.now();
  try {
    await repo.pgbackrest([
      `--pg1-path=${data}`,
      '--archive-mode=off',
      `--process-max=${jobs}`,
      `--set=${label}`,
      '--type=immediate',
      '--target-action=promote',
      'restore',
    ]);
    const restored = performance.now();
    // The source's own settings came with the backup; only where it listens differs.
    await asOwner('/bin/sh', [
      '-c',
      `printf "%s\\n" "port = ${port}" "listen_addresses = ''" "unix_socket_directories = '${socket}'" >> ${data}/postgresql.conf`,
    ]);
    await asOwner(path.join(BIN, 'pg_ctl'), [
      'start',
      `--pgdata=${data}`,
      `--log=${path.join(dir, 'server.log')}`,
      '--wait',
      '--timeout=600',
    ]);
    for (;;) {
      const client = new Client({
        host: socket,
        port,
        user: 'postgres',
        database: 'postgres',
      });
      client.on('error', () => {});
      const promoted = await client
        .connect()
        .then(() => client.query('SELECT pg_is_in_recovery() AS r'))
        .then(({ rows }) => !rows[0].r)
        .catch(() => false)
        .finally(() => client.end().catch(() => {}));
      if (promoted) {
        break;
      }
      await sleep(50);
    }
    return { total: performance.now() - started, restore: restored - started };
  } finally {
    await watch?.stop();
    await asOwner(path.join(BIN, 'pg_ctl'), [
      'stop',
      `--pgdata=${data}`,
      '--mode=immediate',
      '--wait',
    ]).catch(() => {});
    await fs.rm(dir, { recursive: true, force: true });
  }
}

/** The drill as the action runs it, its records kept in memory. */
async function drill(options: {
  source: SourceCluster;
  repo: PgBackRestRepo;
  workDir: string;
  jobs: number;
}) {
  const { source, repo, workDir, jobs } = options;
  const target = readDatabaseTarget(
    new ConfigReader({
      ...pgBackRestTarget({
        source,
        repo,
        database: 'ledger',
        passwordEnv: PASSWORD_ENV,
      }),
      // The backup is taken once per run: its age is not what is measured.
      objectives: { rpo: { days: 3650 }, rto: '1h' },
      scratch: { binDir: BIN, workDir, runAsUser: RUN_AS },
    }),
    'ledger-db',
  );
  await settle();
  const watch = watchPhases ? watchRestoreProgram(workDir) : undefined;
  const { wallMs, steps } = await timeDrill({ target, jobs, log });
  const seen: { last?: number } = (await watch?.stop()) ?? {};
  const restore = steps.find(s => s.name === 'Restore')!;
  return {
    wall: wallMs,
    restore: restore.ms,
    steps,
    // The Restore step's two parts, as the bare side's (see phases.ts).
    restoreProgram: seen.last ? seen.last - restore.startedAt : undefined,
    startToPromotion: seen.last ? restore.finishedAt - seen.last : undefined,
  };
}

/** The manifest's reading on the source: counts and checksums in one snapshot. */
async function manifestCost(source: SourceCluster): Promise<number> {
  const client = new Client({
    host: source.socketDir,
    port: source.port,
    user: 'postgres',
    database: 'ledger',
  });
  await client.connect();
  try {
    await client.query('SET max_parallel_workers_per_gather = 0');
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const started = performance.now();
    await readDatabaseContents(client);
    const ms = performance.now() - started;
    await client.query('COMMIT');
    return ms;
  } finally {
    await client.end();
  }
}

function median(values: number[]) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? sorted[middle]
    : (sorted[middle - 1] + sorted[middle]) / 2;
}

async function main() {
  const rows = Number(option('rows', '6500000'));
  const rounds = Number(option('rounds', '2'));
  const jobs = Number(option('jobs', '2'));
  await requirePgBackRest();
  const root = await fs.mkdtemp(path.join(os.tmpdir(), 'opsdeck-bench-pgbr-'));
  await fs.chmod(root, 0o755);
  const workDir = path.join(root, 'work');
  await fs.mkdir(workDir, { mode: 0o755 });
  let source: SourceCluster | undefined;
  try {
    const archiving = await startArchivingSource({
      root,
      stanza: STANZA,
      database: 'ledger',
      readerPassword: 'bench',
      firstPort: 5800,
      lastPort: 5829,
      settings: [
        'max_wal_size = 4GB',
        'shared_buffers = 256MB',
        'maintenance_work_mem = 256MB',
      ],
    });
    source = archiving.source;
    const { repo } = archiving;
    let started = performance.now();
    await source.psql('ledger', [
      `--set=rows=${rows}`,
      `--file=${LEDGER_SEED_SQL}`,
    ]);
    process.env[PASSWORD_ENV] = 'bench';
    log(
      `seeded ${rows} ledger entries in ${seconds(
        performance.now() - started,
      )} s`,
    );
    started = performance.now();
    // Seeding wrote about 1 GiB of WAL that the archiver gzips one segment
    // at a time: on a loaded machine the backup's own segment can wait past
    // pgBackRest's default archive-timeout (60 s) behind that queue.
    await repo.pgbackrest(['--type=full', '--archive-timeout=1800', 'backup']);
    const info = JSON.parse(await repo.pgbackrest(['info', '--output=json']));
    const label: string = info[0].backup[info[0].backup.length - 1].label;
    await repo.switchWalAndWaitArchived();
    const size = await source.psql('ledger', {
      command: "SELECT pg_size_pretty(pg_database_size('ledger'))",
    });
    const cluster = await source.psql('postgres', {
      command:
        'SELECT pg_size_pretty(sum(pg_database_size(oid))) FROM pg_database',
    });
    log(
      `pgbackrest full backup ${label} in ${seconds(
        performance.now() - started,
      )} s: database ledger ${size}, cluster ${cluster}; restores with --process-max=${jobs}`,
    );

    const manifestMs = await manifestCost(source);
    log(
      `manifest cost on this database (counts + checksums of every table in one snapshot, as takeBackup reads them beside pg_dump): ${seconds(
        manifestMs,
      )} s`,
    );
    log(
      `warm-up: bare restore ${seconds(
        (await bareRestore(repo, label, workDir, jobs)).total,
      )} s, not counted`,
    );
    const ratios: number[] = [];
    for (let round = 1; round <= rounds; round++) {
      const drillFirst = round % 2 === 0;
      let bare = { total: 0, restore: 0 };
      let drilled: Awaited<ReturnType<typeof drill>> | undefined;
      for (const side of drillFirst ? ['drill', 'bare'] : ['bare', 'drill']) {
        if (side === 'bare') {
          bare = await bareRestore(repo, label, workDir, jobs);
        } else {
          drilled = await drill({ source, repo, workDir, jobs });
        }
      }
      const { wall, restore, steps, restoreProgram, startToPromotion } =
        drilled!;
      const ratio = wall / bare.total;
      ratios.push(ratio);
      log(
        `round ${round} (${
          drillFirst ? 'drill first' : 'bare first'
        }): bare pgbackrest restore + start to consistency ${seconds(
          bare.total,
        )} s (restore ${seconds(bare.restore)} s, start to promotion ${seconds(
          bare.total - bare.restore,
        )} s), drill ${seconds(wall)} s, ratio ${ratio.toFixed(3)}`,
      );
      log(
        `  drill steps: ${steps
          .map(s => `${s.name} ${seconds(s.ms)} s`)
          .join(', ')}; outside its Restore step ${seconds(wall - restore)} s`,
      );
      if (restoreProgram !== undefined && startToPromotion !== undefined) {
        log(
          `  drill Restore step: pgbackrest restore ${seconds(
            restoreProgram,
          )} s, start to promotion ${seconds(startToPromotion)} s`,
        );
      }
    }
    const m = median(ratios);
    log(
      `drill / bare pgbackrest restore: median ${m.toFixed(3)} of ${
        ratios.length
      } round(s) (${ratios
        .map(r => r.toFixed(3))
        .join(', ')}); target <= ${TARGET_RATIO}: ${
        m <= TARGET_RATIO ? 'met' : 'MISSED'
      }`,
    );
    process.exitCode = m <= TARGET_RATIO ? 0 : 1;
  } finally {
    await source?.stop();
    const left = await processesNaming(root);
    await fs.rm(root, { recursive: true, force: true });
    if (left.length > 0) {
      console.error(`Left behind: ${left.join('; ')}`);
      process.exitCode = 1;
    }
  }
}

main().catch(error => {
  console.error(`[bench:drill] failed: ${error.stack ?? error}`);
  process.exit(1);
});
