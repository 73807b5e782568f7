// The drill side of `yarn bench:drill --engine mysql`: ops:mysql:backup-drill's
// code (executeBackupDrill on a MySQL target, through timeDrill as the
// PostgreSQL bench runs it), records kept in memory.

import { ConfigReader } from '@backstage/config';
import {
  TimedStep,
  timeDrill,
} from '@opsdeck/plugin-scaffolder-backend-module-ops/testUtils';
import type { MysqlScratchInstance } from '../../plugins/scaffolder-backend-module-ops/src/mysql/scratch/scratchInstance';
import {
  MARIADB_BIN,
  MARIADB_RUN_AS,
  MARIADB_SERVER,
} from '../../plugins/scaffolder-backend-module-ops/src/mysql/testUtils/mariadbTestServer';
import { readDrillTarget } from '../../plugins/scaffolder-backend-module-ops/src/targets';
import {
  MAINTENANCE_DATABASE,
  MAINTENANCE_STABLE_ROWS,
} from '../../plugins/scaffolder-backend-module-ops/src/testUtils/mysql/maintenanceSchema';
import { settle } from './mysqlBare';
import { READER } from './mysqlSource';

const PASSWORD_ENV = 'OPSDECK_BENCH_DRILL_PASSWORD';
const seconds = (ms: number) => (ms / 1000).toFixed(1);

/** The drill of the newest dump in `backups`, its wall time and step times; throws unless it passed. */
export async function drillDump(options: {
  source: MysqlScratchInstance;
  backups: string;
  workDir: string;
  log: (message: string) => void;
}): Promise<{ wallMs: number; steps: TimedStep[] }> {
  const { source, backups, workDir, log } = options;
  process.env[PASSWORD_ENV] = READER.password;
  const target = readDrillTarget(
    new ConfigReader({
      engine: 'mysql',
      primary: {
        host: '127.0.0.1',
        port: source.port,
        database: MAINTENANCE_DATABASE,
        user: READER.user,
        passwordEnv: PASSWORD_ENV,
      },
      backup: { source: 'mysqldump', directory: backups },
      // The dump is taken once per run: its age is not what is measured.
      objectives: { rpo: { days: 3650 } },
      verification: { stableRows: [MAINTENANCE_STABLE_ROWS] },
      scratch: {
        binDir: MARIADB_BIN,
        server: MARIADB_SERVER,
        workDir,
        runAsUser: MARIADB_RUN_AS,
      },
    }),
    'maintenance-db',
  );
  await settle();
  return timeDrill({
    target,
    jobs: 1,
    log,
  });
}

/** One line of a drill's step times and its time outside the restore. */
export function drillLine(drilled: { wallMs: number; steps: TimedStep[] }) {
  const restore = drilled.steps.find(step => step.name === 'Restore');
  return `drill steps: ${drilled.steps
    .map(step => `${step.name} ${seconds(step.ms)} s`)
    .join(', ')}; outside its restore ${seconds(
    drilled.wallMs - (restore?.ms ?? 0),
  )} s`;
}
