import { existsSync } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {
  MysqlScratchInstance,
  MysqlScratchInstanceOptions,
} from '../scratch/scratchInstance';

// Helpers of the integration tests that run real MariaDB servers: as the
// mysql user the Debian package creates when the tests run as root (mariadbd
// refuses root), in a work directory of their own.

export const MARIADB_SERVER =
  process.env.OPSDECK_MARIADB_SERVER ?? '/usr/sbin/mariadbd';
export const MARIADB_BIN = process.env.OPSDECK_MARIADB_BIN ?? '/usr/bin';
export const MARIADB_RUN_AS = process.getuid?.() === 0 ? 'mysql' : undefined;

/**
 * Why the MariaDB tests are skipped (the server is not installed), for their
 * title; undefined when they run:
 * `(MARIADB_MISSING ? describe.skip : describe)(\`name\${MARIADB_MISSING ?? ''}\`, ...)`.
 */
export const MARIADB_MISSING = existsSync(MARIADB_SERVER)
  ? undefined
  : ` (skipped: ${MARIADB_SERVER} is missing; install mariadb-server)`;

/** A fresh work directory the server's user can traverse. */
export async function makeWorkDir(): Promise<string> {
  const workDir = await fs.mkdtemp(path.join(os.tmpdir(), 'opsdeck-my-it-'));
  await fs.chmod(workDir, 0o755);
  return workDir;
}

export function instanceOptions(
  workDir: string,
  extra: Partial<MysqlScratchInstanceOptions> = {},
): MysqlScratchInstanceOptions {
  return {
    binDir: MARIADB_BIN,
    server: MARIADB_SERVER,
    workDir,
    runAsUser: MARIADB_RUN_AS,
    prefix: 'opsdeck-my-',
    ...extra,
  };
}

/** A created, initialized and started scratch instance (the tests' source server too). */
export async function startedInstance(
  workDir: string,
  extra: Partial<MysqlScratchInstanceOptions> = {},
): Promise<MysqlScratchInstance> {
  const instance = await MysqlScratchInstance.create(
    instanceOptions(workDir, extra),
  );
  try {
    await instance.initialize();
    await instance.start();
    return instance;
  } catch (error) {
    await instance.destroy();
    throw error;
  }
}
