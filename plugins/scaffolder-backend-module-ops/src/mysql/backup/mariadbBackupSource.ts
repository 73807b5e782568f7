import path from 'node:path';
import type { FoundBackup } from '../../postgres/backup/source';
import type { MysqlScratchInstance } from '../scratch/scratchInstance';
import type { MysqlTarget } from '../target';
import {
  describePhysicalRestore,
  findLatestPhysicalBackup,
  MariadbBackupFound,
  restorePhysicalBackup,
} from './mariadbBackup';
import type { MysqlBackupSource } from './source';

function physicalOf(backup: FoundBackup): MariadbBackupFound {
  if (!(backup as MariadbBackupFound).physical) {
    throw new Error(
      `${backup.label} was not found by the mariadb-backup source`,
    );
  }
  return backup as MariadbBackupFound;
}

/**
 * mariadb-backup directories (`backup.source: mariadb-backup`): the newest
 * full one is prepared on a copy and moved into the scratch instance's data
 * directory, which is then started.
 */
export class MariadbBackupSource implements MysqlBackupSource {
  readonly kind = 'mariadb-backup';
  readonly #target: Pick<MysqlTarget, 'backup' | 'scratch' | 'primary'>;

  constructor(target: Pick<MysqlTarget, 'backup' | 'scratch' | 'primary'>) {
    this.#target = target;
  }

  describe(): string {
    return `mariadb-backup directories in ${this.#target.backup.directory}`;
  }

  programs(): string[] {
    const { binDir, server } = this.#target.scratch;
    return [
      server,
      ...['mariadb-backup', 'mariadb', 'mariadb-admin'].map(program =>
        path.join(binDir, program),
      ),
    ];
  }

  findLatest(): Promise<FoundBackup> {
    return findLatestPhysicalBackup({
      directory: this.#target.backup.directory,
    });
  }

  async prepareInstance(instance: MysqlScratchInstance): Promise<string> {
    return `Created ${instance.rootDir} for the restored data directory${
      instance.runAsUser
        ? ` (the server will run as ${instance.runAsUser})`
        : ''
    }`;
  }

  restore(options: {
    backup: FoundBackup;
    instance: MysqlScratchInstance;
    signal?: AbortSignal;
  }) {
    return restorePhysicalBackup({
      backup: physicalOf(options.backup),
      instance: options.instance,
      binDir: this.#target.scratch.binDir,
      database: this.#target.primary.database,
      signal: options.signal,
    });
  }

  describeRestore(options: { backup: FoundBackup }): string {
    return describePhysicalRestore(physicalOf(options.backup).physical.path);
  }
}
