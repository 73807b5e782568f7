import fs from 'node:fs/promises';
import path from 'node:path';
import { Client } from 'pg';
import { DatabaseEndpoint, DatabaseTarget, endpointPassword } from '../config';
import { closeQuietly, connectToEndpoint } from '../connections';
import { postgresEnvironment, runCommand } from '../processes';
import { readDatabaseContents } from '../verification/contents';
import {
  BackupManifest,
  manifestOf,
  manifestPathOf,
  writeManifest,
} from './manifest';

/** `orders-db-20261124T085925Z`, plus `.dump` for a custom-format file. */
export function backupName(target: DatabaseTarget, at: Date): string {
  const stamp = at.toISOString().replace(/[-:]/g, '').replace(/\.\d+/, '');
  return `${target.name}-${stamp}${
    target.backup.format === 'custom' ? '.dump' : ''
  }`;
}

/** The snapshot a repeatable-read session exported, and when it was taken. */
async function exportSnapshot(
  client: Client,
): Promise<{ snapshot: string; at: Date }> {
  // One scan at a time on the source, often the production primary, whose
  // parallel workers belong to its own queries.
  await client.query('SET max_parallel_workers_per_gather = 0');
  await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
  // The first statement takes the snapshot; its start time is not later
  // than the snapshot, so a row dated before it is in the backup.
  const {
    rows: [row],
  } = await client.query<{ snapshot: string; at: Date }>(
    'SELECT pg_export_snapshot() AS snapshot, statement_timestamp() AS at',
  );
  return row;
}

/**
 * pg_dump of one database with its manifest: a repeatable-read session
 * exports its snapshot, pg_dump dumps that snapshot (`--snapshot`), and the
 * session meanwhile counts and checksums every table in the same snapshot.
 * The dump is written under a hidden name, the manifest is written beside its
 * final name, then the dump is renamed: backup discovery never sees a
 * half-written dump, and a finished dump always has its manifest. Used by
 * the drill's "Take backup" step and by the `opsdeck-pg-dump` command.
 *
 * @public
 */
export async function dumpWithManifest(options: {
  endpoint: DatabaseEndpoint;
  binDir: string;
  format: 'directory' | 'custom';
  /** The dump's final path; its parent directory must exist. */
  file: string;
  jobs: number;
  signal?: AbortSignal;
}): Promise<{ path: string; manifestPath: string; manifest: BackupManifest }> {
  const { endpoint, binDir, format, file, jobs, signal } = options;
  const partialPath = path.join(
    path.dirname(file),
    `.${path.basename(file)}.partial`,
  );
  const directoryFormat = format === 'directory';
  let client: Client | undefined;
  let manifestPath: string | undefined;
  try {
    client = await connectToEndpoint(endpoint);
    const { snapshot, at } = await exportSnapshot(client);
    const [dumped, read] = await Promise.allSettled([
      runCommand(
        {
          file: path.join(binDir, 'pg_dump'),
          args: [
            `--format=${format}`,
            ...(directoryFormat ? [`--jobs=${jobs}`] : []),
            `--snapshot=${snapshot}`,
            `--file=${partialPath}`,
            `--host=${endpoint.host}`,
            `--port=${endpoint.port}`,
            `--username=${endpoint.user}`,
            `--dbname=${endpoint.database}`,
            '--no-password',
          ],
        },
        {
          env: postgresEnvironment({ PGPASSWORD: endpointPassword(endpoint) }),
          signal,
        },
      ),
      readDatabaseContents(client, signal),
    ]);
    if (dumped.status === 'rejected') {
      throw dumped.reason;
    }
    if (read.status === 'rejected') {
      throw new Error(
        `Reading the manifest in the dump's snapshot failed: ${
          read.reason instanceof Error ? read.reason.message : read.reason
        }`,
      );
    }
    await client.query('COMMIT');
    const manifest = manifestOf({
      database: endpoint.database,
      snapshotTime: at,
      contents: read.value,
    });
    manifestPath = await writeManifest(file, manifest);
    await fs.rename(partialPath, file);
    return { path: file, manifestPath, manifest };
  } catch (error) {
    await fs.rm(partialPath, { recursive: true, force: true });
    if (manifestPath) {
      await fs.rm(manifestPathOf(file), { force: true });
    }
    throw error;
  } finally {
    await closeQuietly(client);
  }
}

/**
 * Takes a backup of the primary with pg_dump, with its manifest, into the
 * target's backup directory (see dumpWithManifest).
 */
export async function takeBackup(options: {
  target: DatabaseTarget;
  jobs: number;
  now: Date;
  signal?: AbortSignal;
}): Promise<{ path: string; manifest: BackupManifest }> {
  const { target, jobs, now, signal } = options;
  const { backup } = target;
  if (backup.source !== 'pgdump') {
    throw new Error(
      `${target.name} is backed up by ${backup.source}, not pg_dump`,
    );
  }
  const taken = await dumpWithManifest({
    endpoint: target.primary,
    binDir: target.scratch.binDir,
    format: backup.format,
    file: path.join(backup.directory, backupName(target, now)),
    jobs,
    signal,
  });
  return { path: taken.path, manifest: taken.manifest };
}
