import type { MysqlTarget } from '../target';
import { MysqlDumpSource } from './dumpSource';
import { MariadbBackupSource } from './mariadbBackupSource';
import type { MysqlBackupSource } from './source';

/** The backup source a MySQL target's `backup.source` names. */
export function mysqlBackupSourceFor(target: MysqlTarget): MysqlBackupSource {
  switch (target.backup.source) {
    case 'mysqldump':
      return new MysqlDumpSource(target);
    case 'mariadb-backup':
      return new MariadbBackupSource(target);
    default:
      throw new Error(
        `Unknown backup.source ${
          (target.backup as { source: string }).source
        } of the MySQL target ${
          target.name
        } (expected mysqldump or mariadb-backup)`,
      );
  }
}
