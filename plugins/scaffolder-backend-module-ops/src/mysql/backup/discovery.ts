import fs from 'node:fs/promises';
import path from 'node:path';
import { FoundBackup } from '../../postgres/backup/source';
import { isGzipDump, readDumpEnds } from './dumpFiles';
import { DumpProgram, parseDumpCompletedAt, parseDumpHead } from './dumpText';

/**
 * A logical dump as the drill restores it: the found backup and what its
 * own lines said.
 *
 * @public
 */
export interface MysqlDumpBackup extends FoundBackup {
  dump: {
    path: string;
    compressed: boolean;
    program?: DumpProgram;
    /** The database of a single-database dump, per its header. */
    database?: string;
    /** Whether the dump creates its databases itself (`--databases`). */
    createsDatabase: boolean;
    /** Why a compressed dump could not be read to its end, when it could not. */
    unreadable?: string;
  };
}

interface DumpCandidate {
  path: string;
  name: string;
  modifiedAt: Date;
}

const DUMP_NAME = /\.sql(\.gz)?$/;
// Names writers use for unfinished files; such a dump is not one yet.
const UNFINISHED = /(^\.|\.(tmp|partial|part|inprogress)$)/i;
/**
 * A .sql.gz must be decompressed whole to reach its trailer, so only the
 * newest few by file time are read: an older one would need a file time
 * wrong by more than that many dumps to be the newest.
 */
const GZIP_TRAILERS_READ = 3;

async function listDumps(directory: string): Promise<DumpCandidate[]> {
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
  const dumps: DumpCandidate[] = [];
  for (const entry of entries) {
    if (
      entry.isFile() &&
      DUMP_NAME.test(entry.name) &&
      !UNFINISHED.test(entry.name)
    ) {
      const file = path.join(directory, entry.name);
      const { mtime } = await fs.stat(file);
      dumps.push({ path: file, name: entry.name, modifiedAt: mtime });
    }
  }
  return dumps.sort(
    (a, b) =>
      b.modifiedAt.getTime() - a.modifiedAt.getTime() ||
      b.name.localeCompare(a.name, 'en'),
  );
}

async function describeDump(
  candidate: DumpCandidate,
  readEnds: boolean,
  signal?: AbortSignal,
) {
  const ends = readEnds
    ? await readDumpEnds(candidate.path, signal)
    : { head: '', tail: '', unreadable: undefined };
  const completedAt = parseDumpCompletedAt(ends.tail);
  return {
    candidate,
    ends,
    completedAt,
    takenAt: completedAt ?? candidate.modifiedAt,
  };
}

/**
 * Finds the newest dump (`*.sql`, `*.sql.gz`) in the directory, by the
 * time its own trailer says it completed, else by its file time. Reads
 * only. The newest dump is returned even when it looks broken (a damaged
 * gzip stream): restoring it is what fails the drill, rather than an older
 * dump standing in for it.
 *
 * @public
 */
export async function findLatestDump(options: {
  directory: string;
  signal?: AbortSignal;
}): Promise<MysqlDumpBackup> {
  const { directory, signal } = options;
  const candidates = await listDumps(directory);
  if (candidates.length === 0) {
    throw new Error(
      `No mysqldump or mariadb-dump file (*.sql, *.sql.gz) in the backup directory ${directory}`,
    );
  }
  let gzipRead = 0;
  const described = [];
  for (const candidate of candidates) {
    const compressed = isGzipDump(candidate.name);
    const readEnds = !compressed || gzipRead++ < GZIP_TRAILERS_READ;
    described.push(await describeDump(candidate, readEnds, signal));
  }
  const [newest] = described.sort(
    (a, b) =>
      b.takenAt.getTime() - a.takenAt.getTime() ||
      b.candidate.name.localeCompare(a.candidate.name, 'en'),
  );
  // Chosen without its ends read (an old .gz by file time): read them now.
  const { candidate, ends, completedAt, takenAt } =
    newest.ends.head === '' && isGzipDump(newest.candidate.name)
      ? await describeDump(newest.candidate, true, signal)
      : newest;
  const head = parseDumpHead(ends.head);
  const compressed = isGzipDump(candidate.name);
  const stoppedAtSource = completedAt
    ? 'completion trailer (local time)'
    : 'file time';
  const problems = [
    ends.unreadable && `its gzip stream is damaged (${ends.unreadable})`,
    !completedAt && !ends.unreadable && 'it has no completion trailer',
  ].filter(Boolean);
  return {
    label: candidate.name,
    type: head.program ?? 'SQL dump',
    stoppedAt: takenAt,
    stoppedAtSource,
    recoverableUntil: takenAt,
    recoverableUntilSource: `the dump's ${stoppedAtSource}`,
    database: head.database,
    manifestBeside: `${candidate.path}.manifest.json`,
    summary: `${candidate.path} (${head.program ?? 'SQL dump'}${
      compressed ? ', gzip' : ''
    }), completed ${takenAt.toISOString()} per its ${stoppedAtSource}${
      head.database ? `, database ${head.database}` : ''
    }${problems.length ? `; ${problems.join(', ')}` : ''}`,
    dump: {
      path: candidate.path,
      compressed,
      program: head.program,
      database: head.database,
      createsDatabase: head.createsDatabase,
      unreadable: ends.unreadable,
    },
  };
}
