import { comparisonSource, DatabaseTarget, scratchServerUser } from '../config';
import { PgBackRestSource } from './pgBackRestSource';
import { PgDumpSource } from './pgDumpSource';
import { BackupSource } from './source';

/** The backup source a target's `backup.source` names. */
export function backupSourceFor(target: DatabaseTarget): BackupSource {
  const { backup, scratch, objectives } = target;
  switch (backup.source) {
    case 'pgdump':
      return new PgDumpSource(backup, scratch.binDir);
    case 'pgbackrest': {
      const source = comparisonSource(target);
      return new PgBackRestSource(backup, {
        binDir: scratch.binDir,
        workDir: scratch.workDir,
        runAsUser: scratchServerUser(target),
        verifyAs: { database: source.database, user: source.user },
        // Past the RTO objective the drill has failed anyway.
        recoveryTimeoutSeconds: objectives.rtoSeconds,
      });
    }
    default:
      throw new Error(
        `Unknown backup source ${(backup as { source: string }).source}`,
      );
  }
}
