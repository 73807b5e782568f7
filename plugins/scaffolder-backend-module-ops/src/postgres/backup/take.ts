import fs from 'node:fs/promises';
import path from 'node:path';
import { DatabaseTarget, endpointPassword } from '../config';
import { postgresEnvironment, runCommand } from '../processes';

/** `orders-db-20261124T085925Z`, plus `.dump` for a custom-format file. */
export function backupName(target: DatabaseTarget, at: Date): string {
  const stamp = at.toISOString().replace(/[-:]/g, '').replace(/\.\d+/, '');
  return `${target.name}-${stamp}${
    target.backup.format === 'custom' ? '.dump' : ''
  }`;
}

/**
 * Takes a backup of the primary with pg_dump into the target's backup
 * directory. It is written under a hidden name and renamed when complete, so
 * backup discovery never picks up a half-written dump.
 */
export async function takeBackup(options: {
  target: DatabaseTarget;
  jobs: number;
  now: Date;
  signal?: AbortSignal;
}): Promise<{ path: string }> {
  const { target, jobs, now, signal } = options;
  const { primary, backup } = target;
  if (backup.source !== 'pgdump') {
    throw new Error(
      `${target.name} is backed up by ${backup.source}, not pg_dump`,
    );
  }
  const name = backupName(target, now);
  const finalPath = path.join(backup.directory, name);
  const partialPath = path.join(backup.directory, `.${name}.partial`);
  const directoryFormat = backup.format === 'directory';
  try {
    await runCommand(
      {
        file: path.join(target.scratch.binDir, 'pg_dump'),
        args: [
          `--format=${directoryFormat ? 'directory' : 'custom'}`,
          ...(directoryFormat ? [`--jobs=${jobs}`] : []),
          `--file=${partialPath}`,
          `--host=${primary.host}`,
          `--port=${primary.port}`,
          `--username=${primary.user}`,
          `--dbname=${primary.database}`,
          '--no-password',
        ],
      },
      {
        env: postgresEnvironment({ PGPASSWORD: endpointPassword(primary) }),
        signal,
      },
    );
    await fs.rename(partialPath, finalPath);
  } catch (error) {
    await fs.rm(partialPath, { recursive: true, force: true });
    throw error;
  }
  return { path: finalPath };
}
