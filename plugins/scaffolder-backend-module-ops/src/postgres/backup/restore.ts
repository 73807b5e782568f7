import path from 'node:path';
import { BackupInfo } from './discovery';
import { postgresEnvironment, runCommand } from '../processes';
import { SCRATCH_SUPERUSER, ScratchInstance } from '../scratch/scratchInstance';

// pg_restore --create connects here to create the dump's database. A
// scratch instance has only template0 and template1 (no postgres database),
// so a dump of any other database, postgres included, restores as it is.
const MAINTENANCE_DB = 'template1';

/**
 * The pg_restore arguments: the dump creates its own database (`--create`,
 * with the source's encoding and locale), and nothing that reaches outside
 * the scratch instance or needs its roles is restored.
 *
 * @public
 */
export function pgRestoreArguments(options: {
  backup: Pick<BackupInfo, 'path' | 'format'>;
  socketDir: string;
  port: number | string;
  jobs: number;
}): string[] {
  const { backup, socketDir, port, jobs } = options;
  return [
    `--format=${backup.format}`,
    `--jobs=${jobs}`,
    '--create',
    '--exit-on-error',
    '--no-owner',
    '--no-privileges',
    '--no-tablespaces',
    '--no-subscriptions',
    '--no-publications',
    `--host=${socketDir}`,
    `--port=${port}`,
    `--username=${SCRATCH_SUPERUSER}`,
    `--dbname=${MAINTENANCE_DB}`,
    backup.path,
  ];
}

/**
 * Restores the backup into the scratch instance and returns the name of the
 * restored database (the dump's own).
 */
export async function restoreBackup(options: {
  binDir: string;
  backup: BackupInfo;
  instance: ScratchInstance;
  jobs: number;
  signal?: AbortSignal;
}): Promise<{ database: string }> {
  const { binDir, backup, instance, jobs, signal } = options;
  const database = backup.database;
  if (!database) {
    throw new Error(
      `The backup ${backup.path} does not name its database; cannot restore it with --create`,
    );
  }
  if (database.startsWith('template')) {
    throw new Error(
      `Refusing to restore over the template database ${database}`,
    );
  }
  const { port } = instance.connection(MAINTENANCE_DB);
  await runCommand(
    {
      file: path.join(binDir, 'pg_restore'),
      args: pgRestoreArguments({
        backup,
        socketDir: instance.socketDir,
        port,
        jobs,
      }),
    },
    { env: postgresEnvironment(), signal },
  );
  return { database };
}
