import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { asUser, runCommand } from '../processes';
import { exists, lookupUserIds } from './serverProcesses';

/** The bootstrap superuser of a scratch instance. */
export const SCRATCH_SUPERUSER = 'postgres';

/** Directory name prefix of the template clusters in scratch.workDir. */
export const TEMPLATE_PREFIX = 'opsdeck-template-';
// A template directory holds the cluster in data/ and the list of its files
// in files.json; part of the key, so a template of another layout is replaced.
const TEMPLATE_LAYOUT = 'data/ without the postgres database + files.json';
const TEMPLATE_FILES = 'files.json';
// A template build dead for this long (its drill crashed) is removed.
const STALE_BUILD_MS = 60 * 60_000;

/**
 * initdb's arguments, besides --pgdata: the template cluster that every
 * scratch instance copies is made with them.
 */
const INITDB_ARGUMENTS = [
  `--username=${SCRATCH_SUPERUSER}`,
  '--auth-local=trust',
  '--auth-host=reject',
  '--encoding=UTF8',
  // The restore creates the database with the dump's own locale.
  '--no-locale',
  // 1 MB WAL segments instead of 16: the template's WAL is then 5 MB instead
  // of 16, and every instance copies it. The restore writes little WAL at
  // wal_level = minimal, so smaller segments cost it nothing measurable.
  '--wal-segsize=1',
];

/** The first `length` hex digits of the text's SHA-256. */
export function digest(text: string, length: number): string {
  return createHash('sha256').update(text).digest('hex').slice(0, length);
}

/**
 * The name of the template cluster of a PostgreSQL installation and server
 * user: `opsdeck-template-<installation>-<key>`. The installation part
 * hashes binDir and the user; the key also hashes the initdb and postgres
 * binaries (path, size, modification time) and initdb's arguments, so an
 * upgraded PostgreSQL gets a new template and the old one is removed.
 */
export async function templateName(options: {
  binDir: string;
  runAsUser?: string;
}): Promise<{ installation: string; name: string }> {
  const { binDir, runAsUser = '' } = options;
  const binaries = await Promise.all(
    ['initdb', 'postgres'].map(async program => {
      const file = path.join(binDir, program);
      const stat = await fs.stat(file);
      return `${file}\t${stat.size}\t${stat.mtimeMs}`;
    }),
  );
  const installation = digest(`${binDir}\n${runAsUser}`, 8);
  const key = digest(
    [TEMPLATE_LAYOUT, ...binaries, runAsUser, ...INITDB_ARGUMENTS].join('\n'),
    12,
  );
  return { installation, name: `${TEMPLATE_PREFIX}${installation}-${key}` };
}

/**
 * Removes the installation's templates of other keys (an older PostgreSQL)
 * and template builds that died long ago; never another installation's.
 */
async function removeStaleTemplates(
  workDir: string,
  installation: string,
  current: string,
): Promise<void> {
  const ours = `${TEMPLATE_PREFIX}${installation}-`;
  for (const name of await fs.readdir(workDir).catch(() => [])) {
    if (!name.startsWith(ours) || name === current) {
      continue;
    }
    const dir = path.join(workDir, name);
    if (name.startsWith(`${ours}building-`)) {
      const stat = await fs.stat(dir).catch(() => undefined);
      if (!stat || Date.now() - stat.mtimeMs < STALE_BUILD_MS) {
        continue;
      }
    }
    await fs.rm(dir, { recursive: true, force: true }).catch(() => {});
  }
}

/** Every file and directory below the directory, sorted, as relative paths. */
async function listTree(dir: string): Promise<string[]> {
  return (await fs.readdir(dir, { recursive: true })).sort();
}

/**
 * Whether the template still has every file initdb made. A kept template can
 * lose files to a temporary-directory cleaner (systemd-tmpfiles removes files
 * not used for 10 days from /tmp on some distributions, and drills run
 * quarterly); a cluster copied from it would fail in odd ways.
 */
export async function isTemplateIntact(templateDir: string): Promise<boolean> {
  try {
    const expected = JSON.parse(
      await fs.readFile(path.join(templateDir, TEMPLATE_FILES), 'utf8'),
    );
    const actual = await listTree(path.join(templateDir, 'data'));
    return JSON.stringify(actual) === JSON.stringify(expected);
  } catch {
    return false;
  }
}

/** Moves the template out of the way at once, then removes it. */
export async function discardTemplate(templateDir: string): Promise<void> {
  const away = `${templateDir}.removing-${process.pid}-${Date.now()}`;
  try {
    await fs.rename(templateDir, away);
  } catch {
    // Another drill moved it already.
    return;
  }
  await fs.rm(away, { recursive: true, force: true }).catch(() => {});
}

/**
 * The template cluster every scratch instance copies instead of running
 * initdb (0.4 s, against typically 0.05 to 0.3 s for a copy): made once per
 * installation in workDir, never started, kept. Built under a temporary name
 * and renamed when complete, so a drill never copies a half-made template;
 * when drills build it at the same time, the first rename wins and the
 * others use it. The cluster is in `data/`, the list of its files in
 * `files.json`.
 */
export async function ensureTemplate(options: {
  binDir: string;
  workDir: string;
  runAsUser?: string;
  signal?: AbortSignal;
}): Promise<{ dir: string; built: boolean }> {
  const { binDir, workDir, runAsUser, signal } = options;
  const { installation, name } = await templateName(options);
  const dir = path.join(workDir, name);
  let built = false;
  if (!(await exists(dir))) {
    const building = await fs.mkdtemp(
      path.join(workDir, `${TEMPLATE_PREFIX}${installation}-building-`),
    );
    try {
      await fs.chmod(building, 0o700);
      if (runAsUser) {
        const { uid, gid } = await lookupUserIds(runAsUser);
        await fs.chown(building, uid, gid);
      }
      // Without --no-sync: the template is synced to disk before it is
      // renamed into place, so a crash never leaves a torn one to copy.
      await runCommand(
        asUser(
          {
            file: path.join(binDir, 'initdb'),
            args: [
              `--pgdata=${path.join(building, 'data')}`,
              ...INITDB_ARGUMENTS,
            ],
          },
          runAsUser,
        ),
        { signal, cwd: building },
      );
      // A scratch instance needs template0 (the dump's CREATE DATABASE
      // copies it) and template1 (pg_restore connects there), not the
      // postgres database: without it every instance creates and removes a
      // third fewer files (about 670 instead of 970), which is most of an
      // instance's creation time when the file system is busy. Dropped in
      // single-user mode, which ends with a checkpoint and fsync.
      await runCommand(
        asUser(
          {
            file: path.join(binDir, 'postgres'),
            args: [
              '--single',
              '-D',
              path.join(building, 'data'),
              '-c',
              'exit_on_error=on',
              'template1',
            ],
          },
          runAsUser,
        ),
        { signal, cwd: building, input: 'DROP DATABASE postgres\n' },
      );
      await fs.writeFile(
        path.join(building, TEMPLATE_FILES),
        JSON.stringify(await listTree(path.join(building, 'data'))),
      );
      await fs.rename(building, dir);
      built = true;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      await fs.rm(building, { recursive: true, force: true }).catch(() => {});
      // Another drill renamed its template into place first: use that one.
      if (
        !(code === 'ENOTEMPTY' || code === 'EEXIST') ||
        !(await exists(dir))
      ) {
        throw error;
      }
    }
  }
  await removeStaleTemplates(workDir, installation, name);
  return { dir, built };
}
