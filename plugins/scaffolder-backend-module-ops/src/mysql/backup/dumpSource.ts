import path from 'node:path';
import type { FoundBackup } from '../../postgres/backup/source';
import {
  MYSQL_SCRATCH_SERVER_SETTINGS,
  MysqlScratchInstance,
} from '../scratch/scratchInstance';
import type { MysqlTarget } from '../target';
import { findLatestDump, MysqlDumpBackup } from './discovery';
import { describeDumpRestore, restoreDump } from './logicalRestore';
import type { MysqlBackupSource } from './source';

function dumpOf(backup: FoundBackup): MysqlDumpBackup {
  if (!(backup as MysqlDumpBackup).dump) {
    throw new Error(`${backup.label} was not found by the mysqldump source`);
  }
  return backup as MysqlDumpBackup;
}

/**
 * mysqldump / mariadb-dump files in a directory (`backup.source:
 * mysqldump`): the newest is piped into the `mariadb` client of a freshly
 * initialized scratch server.
 */
export class MysqlDumpSource implements MysqlBackupSource {
  readonly kind = 'mysqldump';
  readonly #target: Pick<MysqlTarget, 'backup' | 'scratch' | 'primary'>;

  constructor(target: Pick<MysqlTarget, 'backup' | 'scratch' | 'primary'>) {
    this.#target = target;
  }

  describe(): string {
    return `mysqldump / mariadb-dump files (*.sql, *.sql.gz) in ${
      this.#target.backup.directory
    }`;
  }

  programs(): string[] {
    const { binDir, server } = this.#target.scratch;
    return [
      server,
      ...['mariadb-install-db', 'mariadb', 'mariadb-admin'].map(program =>
        path.join(binDir, program),
      ),
    ];
  }

  findLatest(options: { signal?: AbortSignal }): Promise<FoundBackup> {
    return findLatestDump({
      directory: this.#target.backup.directory,
      signal: options.signal,
    });
  }

  async prepareInstance(instance: MysqlScratchInstance): Promise<string> {
    await instance.initialize();
    await instance.start();
    return `Initialized (mariadb-install-db) and started a MariaDB server in ${
      instance.rootDir
    }, listening on 127.0.0.1:${instance.port} and its own socket${
      instance.runAsUser ? ` as ${instance.runAsUser}` : ''
    } (bulk-load settings ${MYSQL_SCRATCH_SERVER_SETTINGS.join(' ')})`;
  }

  restore(options: {
    backup: FoundBackup;
    instance: MysqlScratchInstance;
    signal?: AbortSignal;
  }) {
    return restoreDump({
      backup: dumpOf(options.backup),
      instance: options.instance,
      targetDatabase: this.#target.primary.database,
      signal: options.signal,
    });
  }

  describeRestore(options: { backup: FoundBackup }): string {
    return describeDumpRestore(
      dumpOf(options.backup),
      this.#target.primary.database,
    );
  }
}
