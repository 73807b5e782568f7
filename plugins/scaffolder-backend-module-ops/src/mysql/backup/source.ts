import type { FoundBackup, RestoredCopy } from '../../postgres/backup/source';
import type { MysqlScratchInstance } from '../scratch/scratchInstance';

/**
 * Where a MySQL/MariaDB target's backups come from and how one is restored
 * into a scratch instance: the PostgreSQL `BackupSource`'s shape, with a
 * MariaDB scratch instance. A dump restores to the moment it was taken, so
 * there is no target time.
 *
 * @public
 */
export interface MysqlBackupSource {
  /** As in `backup.source`. */
  readonly kind: 'mysqldump' | 'mariadb-backup';
  /** One line saying where the backups are. */
  describe(): string;
  /** Absolute paths of the programs the source runs, checked before a drill. */
  programs(): string[];
  /** Reads only: the newest backup and what it restores to. */
  findLatest(options: { signal?: AbortSignal }): Promise<FoundBackup>;
  /**
   * Makes the created instance ready for {@link MysqlBackupSource.restore}:
   * initialized and started for a logical restore, nothing for a physical
   * one (its restore fills the data directory, then starts). One line for
   * the step's output.
   */
  prepareInstance(instance: MysqlScratchInstance): Promise<string>;
  /** Restores the backup into the instance and leaves it running. */
  restore(options: {
    backup: FoundBackup;
    instance: MysqlScratchInstance;
    signal?: AbortSignal;
  }): Promise<RestoredCopy>;
  /** What `restore` would run, for a dry run. */
  describeRestore(options: { backup: FoundBackup }): string;
}
