import fs from 'node:fs/promises';
import path from 'node:path';
import { BackupFormat } from '../config';
import {
  CommandFailedError,
  postgresEnvironment,
  runCommand,
} from '../processes';

/**
 * A pg_dump output found in the backup directory.
 *
 * @public
 */
export interface BackupCandidate {
  path: string;
  name: string;
  /** Modification time of the dump file (toc.dat for a directory dump). */
  modifiedAt: Date;
}

/**
 * The backup chosen for the drill, with what its table of contents says.
 *
 * @public
 */
export interface BackupInfo extends BackupCandidate {
  format: BackupFormat;
  /** When the dump's snapshot was taken: the point in time it restores to. */
  createdAt: Date;
  createdAtSource: 'archive header' | 'file time';
  /** The database the dump was taken from, per its header. */
  database?: string;
  tocEntries?: number;
}

// pg_dump -Fc files start with this magic.
const CUSTOM_MAGIC = 'PGDMP';
// Names writers use for unfinished files; such a backup is not one yet.
const UNFINISHED = /(^\.|\.(tmp|partial|part|inprogress)$)/i;

/** Newest first, by modification time, then by name so the order is stable. */
export function orderNewestFirst<T extends BackupCandidate>(
  candidates: T[],
): T[] {
  return [...candidates].sort(
    (a, b) =>
      b.modifiedAt.getTime() - a.modifiedAt.getTime() ||
      b.name.localeCompare(a.name, 'en'),
  );
}

/**
 * Reads the header of `pg_restore -l` (run with TZ=UTC). It looks like
 * `; Archive created at 2026-11-24 08:59:25 UTC` and `;     dbname: orders`.
 */
export function parseArchiveHeader(listing: string): {
  createdAt?: Date;
  database?: string;
  tocEntries?: number;
} {
  const created = listing.match(
    /^;\s*Archive created at (\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2})(?: (\S+))?\s*$/m,
  );
  let createdAt: Date | undefined;
  // Only a UTC time is unambiguous; anything else falls back to the file time.
  if (created && ['UTC', 'GMT', 'Z', undefined].includes(created[3])) {
    const parsed = new Date(`${created[1]}T${created[2]}Z`);
    createdAt = Number.isNaN(parsed.getTime()) ? undefined : parsed;
  }
  const database = listing.match(/^;\s*dbname: (.*)$/m)?.[1]?.trim();
  const entries = listing.match(/^;\s*TOC Entries: (\d+)\s*$/m)?.[1];
  return {
    createdAt,
    database: database || undefined,
    tocEntries: entries === undefined ? undefined : Number(entries),
  };
}

/** Age of the backup's data in whole seconds: the data-loss exposure (RPO). */
export function backupAgeSeconds(backup: BackupInfo, now: Date): number {
  return Math.max(
    0,
    Math.round((now.getTime() - backup.createdAt.getTime()) / 1000),
  );
}

async function readMagic(file: string): Promise<string> {
  const handle = await fs.open(file, 'r');
  try {
    const buffer = Buffer.alloc(CUSTOM_MAGIC.length);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    return buffer.subarray(0, bytesRead).toString('latin1');
  } finally {
    await handle.close();
  }
}

/** The finished pg_dump outputs of the given format in the directory. */
export async function listBackupCandidates(
  directory: string,
  format: BackupFormat,
): Promise<BackupCandidate[]> {
  let entries;
  try {
    entries = await fs.readdir(directory, { withFileTypes: true });
  } catch (error) {
    throw new Error(
      `Cannot read the backup directory ${directory}: ${
        (error as NodeJS.ErrnoException).code ?? String(error)
      }`,
    );
  }
  const candidates: BackupCandidate[] = [];
  for (const entry of entries) {
    if (UNFINISHED.test(entry.name)) {
      continue;
    }
    const entryPath = path.join(directory, entry.name);
    if (format === 'directory' && entry.isDirectory()) {
      // pg_dump -Fd writes toc.dat last: without it the dump is unfinished.
      const toc = await fs
        .stat(path.join(entryPath, 'toc.dat'))
        .catch(() => undefined);
      if (toc?.isFile()) {
        candidates.push({
          path: entryPath,
          name: entry.name,
          modifiedAt: toc.mtime,
        });
      }
    } else if (format === 'custom' && entry.isFile()) {
      if ((await readMagic(entryPath).catch(() => '')) === CUSTOM_MAGIC) {
        const stat = await fs.stat(entryPath);
        candidates.push({
          path: entryPath,
          name: entry.name,
          modifiedAt: stat.mtime,
        });
      }
    }
  }
  return candidates;
}

/**
 * Finds the newest backup and reads its table of contents with
 * `pg_restore -l`, which only reads. A newest backup whose table of contents
 * is unreadable fails the drill rather than falling back to an older one:
 * that is exactly what a drill is for.
 *
 * @public
 */
export async function findLatestBackup(options: {
  directory: string;
  format: BackupFormat;
  binDir: string;
  signal?: AbortSignal;
}): Promise<BackupInfo> {
  const { directory, format, binDir, signal } = options;
  const [latest] = orderNewestFirst(
    await listBackupCandidates(directory, format),
  );
  if (!latest) {
    throw new Error(
      `No finished pg_dump ${
        format === 'directory' ? '-Fd directory' : '-Fc file'
      } in ${directory}`,
    );
  }
  let listing: string;
  try {
    ({ stdout: listing } = await runCommand(
      {
        file: path.join(binDir, 'pg_restore'),
        args: ['--list', `--format=${format}`, latest.path],
      },
      { env: postgresEnvironment(), signal },
    ));
  } catch (error) {
    throw new Error(
      `The latest backup ${latest.path} is unreadable: ${
        error instanceof CommandFailedError ? error.message : String(error)
      }`,
    );
  }
  const header = parseArchiveHeader(listing);
  return {
    ...latest,
    format,
    createdAt: header.createdAt ?? latest.modifiedAt,
    createdAtSource: header.createdAt ? 'archive header' : 'file time',
    database: header.database,
    tocEntries: header.tocEntries,
  };
}
