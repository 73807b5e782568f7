import fs from 'node:fs/promises';
import path from 'node:path';
import type { FoundBackup, RestoredCopy } from '../../postgres/backup/source';
import { runCommand } from '../../postgres/processes';
import { mysqlEnvironment } from '../scratch/programEnvironment';
import type { MysqlScratchInstance } from '../scratch/scratchInstance';
import { parseDumpCompletedAt } from './dumpText';

// Physical backups written by `mariadb-backup --backup --target-dir=<dir>`:
// one directory each, with the info file it writes last (xtrabackup_info
// before MariaDB 11, mariadb_backup_info after) and its checkpoints file.

const INFO_FILES = ['mariadb_backup_info', 'xtrabackup_info'];
const CHECKPOINT_FILES = [
  'mariadb_backup_checkpoints',
  'xtrabackup_checkpoints',
];

/**
 * A physical backup as the drill restores it.
 *
 * @public
 */
export interface MariadbBackupFound extends FoundBackup {
  physical: { path: string; backupType: string };
}

/** Reads `key = value` lines (the info and checkpoints files). */
export function parseKeyValues(text: string): Record<string, string> {
  const values: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const match = /^\s*([\w.]+)\s*=\s*(.*?)\s*$/.exec(line);
    if (match) {
      values[match[1]] = match[2];
    }
  }
  return values;
}

async function readFirst(dir: string, names: string[]) {
  for (const name of names) {
    const text = await fs
      .readFile(path.join(dir, name), 'utf8')
      .catch(() => undefined);
    if (text !== undefined) {
      return parseKeyValues(text);
    }
  }
  return undefined;
}

interface PhysicalCandidate {
  path: string;
  name: string;
  /** end_time, the backend's local time like a dump's trailer (see parseDumpCompletedAt). */
  endedAt: Date;
  backupType: string;
  compressed: boolean;
}

async function listPhysicalBackups(
  directory: string,
): Promise<PhysicalCandidate[]> {
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
  const found: PhysicalCandidate[] = [];
  for (const entry of entries.filter(e => e.isDirectory())) {
    const dir = path.join(directory, entry.name);
    // Written last: a directory without it is an unfinished backup.
    const info = await readFirst(dir, INFO_FILES);
    const endedAt =
      info?.end_time &&
      parseDumpCompletedAt(`-- Dump completed on ${info.end_time}`);
    if (!info || !endedAt) {
      continue;
    }
    const checkpoints = (await readFirst(dir, CHECKPOINT_FILES)) ?? {};
    found.push({
      path: dir,
      name: entry.name,
      endedAt,
      backupType: checkpoints.backup_type ?? 'unknown',
      compressed: info.compressed === 'Y' || info.compressed === 'compressed',
    });
  }
  return found.sort(
    (a, b) =>
      b.endedAt.getTime() - a.endedAt.getTime() ||
      b.name.localeCompare(a.name, 'en'),
  );
}

/**
 * The newest full mariadb-backup directory under `directory`, by the end
 * time its info file records. Incremental backups need their base prepared
 * with them and are passed over (said in the summary); a compressed one is
 * refused (it would need `--decompress` and qpress).
 *
 * @public
 */
export async function findLatestPhysicalBackup(options: {
  directory: string;
}): Promise<MariadbBackupFound> {
  const { directory } = options;
  const all = await listPhysicalBackups(directory);
  const newest = all.find(backup => backup.backupType.startsWith('full'));
  if (!newest) {
    throw new Error(
      `No finished full mariadb-backup directory (with ${INFO_FILES.join(
        ' or ',
      )}) in the backup directory ${directory}${
        all.length
          ? ` (only incremental ones: ${all.map(b => b.name).join(', ')})`
          : ''
      }`,
    );
  }
  if (newest.compressed) {
    throw new Error(
      `The newest mariadb-backup ${newest.path} is compressed (--compress); the drill restores uncompressed backups only`,
    );
  }
  const newerIncrementals = all.filter(b => b.endedAt > newest.endedAt);
  const source = 'end_time (local time)';
  return {
    label: newest.name,
    type: `mariadb-backup ${newest.backupType}`,
    stoppedAt: newest.endedAt,
    stoppedAtSource: source,
    recoverableUntil: newest.endedAt,
    recoverableUntilSource: `the backup's ${source}`,
    summary: `${newest.path} (mariadb-backup, ${
      newest.backupType
    }), ended ${newest.endedAt.toISOString()} per its ${source}${
      newerIncrementals.length
        ? `; ${newerIncrementals.length} newer incremental backup(s) not restored`
        : ''
    }`,
    physical: { path: newest.path, backupType: newest.backupType },
  };
}

/** The steps of a physical restore, for the step output and a dry run. */
export function describePhysicalRestore(backupPath: string): string {
  return `cp -a ${backupPath} <scratch>/backup-copy; mariadb-backup --prepare --target-dir=<scratch>/backup-copy; mariadb-backup --move-back --datadir=<scratch>/data; chown to the server user; mariadbd --skip-grant-tables --skip-networking`;
}

/**
 * Restores a physical backup into the instance's (not yet created) data
 * directory and starts the server. `--prepare` rewrites the directory it
 * is given, so it runs on a copy inside the instance, never on the
 * original; the prepared copy is then moved (not copied again) into place.
 *
 * @public
 */
export async function restorePhysicalBackup(options: {
  backup: MariadbBackupFound;
  instance: MysqlScratchInstance;
  binDir: string;
  /** The database the drill verifies (a physical copy has them all). */
  database: string;
  signal?: AbortSignal;
}): Promise<RestoredCopy> {
  const { backup, instance, binDir, database, signal } = options;
  const copy = path.join(instance.rootDir, 'backup-copy');
  const mariadbBackup = path.join(binDir, 'mariadb-backup');
  const env = mysqlEnvironment();
  await runCommand(
    {
      file: 'cp',
      args: ['-a', '--reflink=auto', '--', backup.physical.path, copy],
    },
    { signal, env },
  );
  await runCommand(
    {
      file: mariadbBackup,
      args: [
        '--no-defaults',
        '--prepare',
        `--target-dir=${copy}`,
        '--use-memory=1G',
      ],
    },
    { signal, env, cwd: instance.rootDir },
  );
  await runCommand(
    {
      file: mariadbBackup,
      args: [
        '--no-defaults',
        '--move-back',
        `--target-dir=${copy}`,
        `--datadir=${instance.dataDir}`,
      ],
    },
    { signal, env, cwd: instance.rootDir },
  );
  await fs.rm(copy, { recursive: true, force: true });
  if (instance.runAsUser) {
    await runCommand(
      {
        file: 'chown',
        args: ['-R', `${instance.runAsUser}:`, '--', instance.dataDir],
      },
      { signal, env },
    );
  }
  await fs.chmod(instance.dataDir, 0o700);
  // The copy's accounts are the source's: started without them, on its socket only.
  await instance.start({ skipGrantTables: true });
  return {
    database,
    output: `Prepared a copy of ${backup.physical.path} (mariadb-backup --prepare), moved it into ${instance.dataDir} and started it without grant tables on its socket only`,
  };
}
