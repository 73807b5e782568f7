import fs from 'node:fs';
import path from 'node:path';

/** Where Debian and Ubuntu install each PostgreSQL major version. */
export const POSTGRES_LIB_ROOT = '/usr/lib/postgresql';

/**
 * The programs' directory of the newest PostgreSQL installed the Debian way
 * (`/usr/lib/postgresql/<major>/bin`) that has `program`, or undefined. Not a
 * pinned version: Debian 12 ships 15, Debian 13 ships 17.
 */
export function newestPostgresBinDir(
  program = 'pg_ctl',
  root = POSTGRES_LIB_ROOT,
): string | undefined {
  let versions: string[];
  try {
    versions = fs.readdirSync(root);
  } catch {
    return undefined;
  }
  return versions
    .filter(name => /^\d+$/.test(name))
    .sort((a, b) => Number(b) - Number(a))
    .map(version => path.join(root, version, 'bin'))
    .find(dir => fs.existsSync(path.join(dir, program)));
}
