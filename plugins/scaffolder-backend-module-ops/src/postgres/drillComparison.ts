import { Client } from 'pg';
import { messageOf } from '../errors';
import { BackupManifest, readManifestOf } from './backup/manifest';
import { FoundBackup } from './backup/source';
import { comparisonSource, DatabaseTarget } from './config';
import { closeQuietly, connectToEndpoint } from './connections';
import { readSourceOutline, SourceOutline } from './verification/verification';

/**
 * What the restored copy is compared with, read while the scratch instance is
 * made and the backup restored: the backup's manifest when it has one,
 * otherwise the source's outline (row counts, tables, indexes, sequences).
 * Neither depends on the restored copy, and the source's scans would
 * otherwise wait for the restore and then add to the drill's time. The scan
 * begins at once, or when `startWhen` settles (a physical restore's copy has
 * put its files in place, see BackupSource.readsSourceAfterCopy): on its own
 * host a production source costs the restore nothing either way, but a
 * source sharing the host would compete with the restore's copy for its
 * cores. With a manifest the source is not scanned.
 */
export function readComparisonMeanwhile(
  target: DatabaseTarget,
  backup: FoundBackup,
  options: { startWhen?: Promise<void> } = {},
): {
  manifest: Promise<BackupManifest | undefined>;
  /** Undefined when the backup has a manifest. */
  outline: Promise<SourceOutline | undefined>;
  /** Ends the reading early (the drill failed or was cancelled). */
  stop: () => Promise<void>;
} {
  let client: Client | undefined;
  let stopped = false;
  let releaseStart = () => {};
  // Settles on startWhen, or when the drill stops before it.
  const mayStart = new Promise<void>(resolve => {
    releaseStart = resolve;
    options.startWhen?.then(resolve, resolve);
    if (!options.startWhen) resolve();
  });
  const manifest = backup.manifestBeside
    ? readManifestOf(backup.manifestBeside)
    : Promise.resolve(undefined);
  const count = async () => {
    if (await manifest) {
      return undefined;
    }
    await mayStart;
    if (stopped) {
      throw new Error('the drill stopped before the count began');
    }
    client = await connectToEndpoint(comparisonSource(target));
    try {
      if (stopped) {
        throw new Error('the drill stopped before the count began');
      }
      // PostgreSQL 14+ notices within a second that a stopped drill closed
      // the session and ends the scan; older servers finish it first.
      await client
        .query(`SET client_connection_check_interval = '1s'`)
        .catch(() => {});
      // One process per scan, without parallel workers: the source is often
      // the production primary, whose pool of parallel workers belongs to
      // its own queries. The count has the whole restore to finish in, and
      // where the source shares the host it then leaves the other cores to
      // the scratch instance's creation, restore and recovery.
      await client.query('SET max_parallel_workers_per_gather = 0');
      return await readSourceOutline(client);
    } finally {
      await closeQuietly(client);
    }
  };
  const outline = count().catch(async error => {
    // A bad manifest is its own failure, reported from the manifest.
    await manifest;
    throw new Error(
      `Counting the rows of the source failed: ${messageOf(error)}`,
    );
  });
  // Awaited by the verification, or stopped; never an unhandled rejection.
  manifest.catch(() => {});
  outline.catch(() => {});
  return {
    manifest,
    outline,
    stop: async () => {
      stopped = true;
      releaseStart();
      await closeQuietly(client);
      await outline.catch(() => {});
    },
  };
}
