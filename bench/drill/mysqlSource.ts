// The source side of `yarn bench:drill --engine mysql`: a MariaDB server
// (a MysqlScratchInstance, the drill's own way of starting one), seeded with
// the maintenance database of the MySQL drill tests, and its dump as a
// team's nightly job takes it.

import fs from 'node:fs/promises';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { MysqlScratchInstance } from '../../plugins/scaffolder-backend-module-ops/src/mysql/scratch/scratchInstance';
import { startedInstance } from '../../plugins/scaffolder-backend-module-ops/src/mysql/testUtils/mariadbTestServer';
import { runCommand } from '../../plugins/scaffolder-backend-module-ops/src/postgres/processes';
import { createDrillReader } from '../../plugins/scaffolder-backend-module-ops/src/testUtils/mysql/drillReader';
import {
  MaintenanceSeed,
  seedMaintenanceDatabase,
} from '../../plugins/scaffolder-backend-module-ops/src/testUtils/mysql/seed';

/** The account the drill reads the source with (see drillReader.ts). */
export const READER = { user: 'drill_reader', password: 'bench' };

/** Starts the source server in `workDir` and seeds about `sizeMb` MiB. */
export async function startSeededSource(
  workDir: string,
  sizeMb: number,
): Promise<{ source: MysqlScratchInstance; seed: MaintenanceSeed }> {
  const source = await startedInstance(workDir, {
    prefix: 'opsdeck-bench-my-source-',
  });
  try {
    const seed = await seedMaintenanceDatabase({
      connect: database => source.connection(database),
      sizeMb,
    });
    const admin = await source.connection();
    try {
      await createDrillReader(admin, READER);
    } finally {
      await admin.end();
    }
    return { source, seed };
  } catch (error) {
    await source.destroy();
    throw error;
  }
}

/**
 * `mariadb-dump --single-transaction --routines --triggers --events` of
 * the database into `directory` as `<database>-<time>.sql` (plain SQL: the
 * bare side pipes it into `mariadb` as it is). Times in UTC: the dump's
 * "Dump completed on" trailer is then UTC too.
 */
export async function dumpDatabase(options: {
  source: MysqlScratchInstance;
  database: string;
  directory: string;
}): Promise<{ file: string; bytes: number; ms: number }> {
  const { source, database, directory } = options;
  await fs.mkdir(directory, { recursive: true });
  const file = path.join(
    directory,
    `${database}-${new Date().toISOString().replace(/[:.]/g, '-')}.sql`,
  );
  const started = performance.now();
  await runCommand({
    file: path.join(path.dirname(source.clientProgram), 'mariadb-dump'),
    args: [
      ...source.clientArgs(),
      '--single-transaction',
      '--routines',
      '--triggers',
      '--events',
      `--result-file=${file}`,
      database,
    ],
  });
  const ms = performance.now() - started;
  return { file, bytes: (await fs.stat(file)).size, ms };
}
