import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { postgresEnvironment } from '../processes';
import { lookupUserIds } from '../scratch/serverProcesses';

const execFileAsync = promisify(execFile);

// How many of the newest archived segments are read for a commit time.
const MAX_SEGMENTS = 3;
const SEGMENT = /^([0-9A-F]{8})([0-9A-F]{8})([0-9A-F]{8})$/;
// pg_waldump prints transaction ends as `desc: COMMIT 2026-12-02 15:30:38.123456 UTC`.
const TRANSACTION_END =
  /desc: (?:COMMIT|ABORT)(?:_PREPARED)? (\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2}(?:\.\d+)?) UTC/g;

/** The segment before this one in the same WAL file number range, if any. */
export function previousSegment(name: string): string | undefined {
  const match = SEGMENT.exec(name);
  if (!match) {
    return undefined;
  }
  const seg = parseInt(match[3], 16);
  if (seg === 0) {
    // The last segment of the previous log depends on the segment size.
    return undefined;
  }
  return `${match[1]}${match[2]}${(seg - 1)
    .toString(16)
    .toUpperCase()
    .padStart(8, '0')}`;
}

/** The newest transaction end time among pg_waldump's lines. */
export function newestTransactionEnd(dump: string): Date | undefined {
  let newest: Date | undefined;
  for (const match of dump.matchAll(TRANSACTION_END)) {
    const at = new Date(`${match[1]}T${match[2]}Z`);
    if (!Number.isNaN(at.getTime()) && (!newest || at > newest)) {
      newest = at;
    }
  }
  return newest;
}

/**
 * The time of the newest transaction end (commit or abort) in the newest
 * archived WAL: the latest moment a point-in-time restore can reach, so
 * `now − it` is the data a loss of the source would cost. A segment's
 * file time in the repository would say when it was archived, not what it
 * holds, and does not exist for object-store repositories; the WAL's own
 * commit records do, read with `pg_waldump` after `archive-get` (which
 * also decrypts and decompresses, as a real restore would). Walks back at
 * most a few segments, never into the backup's own (`notAtOrBefore`):
 * undefined when none of them holds a transaction end.
 */
export async function newestArchivedCommit(options: {
  newestSegment: string;
  notAtOrBefore: string;
  binDir: string;
  workDir: string;
  runAsUser?: string;
  archiveGet: (segment: string, destination: string) => Promise<void>;
}): Promise<{ at: Date; segment: string } | undefined> {
  const dir = await fs.mkdtemp(path.join(options.workDir, 'opsdeck-wal-'));
  try {
    if (options.runAsUser) {
      const { uid, gid } = await lookupUserIds(options.runAsUser);
      await fs.chown(dir, uid, gid);
    }
    let segment: string | undefined = options.newestSegment;
    for (
      let read = 0;
      segment && segment > options.notAtOrBefore && read < MAX_SEGMENTS;
      read++, segment = previousSegment(segment)
    ) {
      await options.archiveGet(segment, path.join(dir, segment));
      const output = await waldump(options.binDir, dir, segment);
      await fs.rm(path.join(dir, segment), { force: true });
      const at = newestTransactionEnd(output);
      if (at) {
        return { at, segment };
      }
    }
    return undefined;
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}

/**
 * pg_waldump's transaction records of one segment. A record that continues
 * into the next (not yet archived) segment ends the dump with an error; the
 * records before it are still printed and are what we need.
 */
async function waldump(
  binDir: string,
  dir: string,
  segment: string,
): Promise<string> {
  try {
    const { stdout } = await execFileAsync(
      path.join(binDir, 'pg_waldump'),
      [`--path=${dir}`, '--rmgr=Transaction', segment],
      { env: postgresEnvironment(), maxBuffer: 64 * 1024 * 1024 },
    );
    return stdout;
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: string; stderr?: string };
    if (stdout) {
      return stdout;
    }
    throw new Error(
      `pg_waldump of the archived WAL segment ${segment} failed: ${
        stderr?.trim() || String(error)
      }`,
    );
  }
}
