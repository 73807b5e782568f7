// The bare side of `yarn bench:drill --engine mysql`: what an operator types
// by hand, `mariadb <database> < dump`, into a fresh, started
// MysqlScratchInstance (the same server settings the drill restores into).
// Creating and starting the instance is not timed: only the restore is,
// which is what the operator would measure.

import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';
import { startedInstance } from '../../plugins/scaffolder-backend-module-ops/src/mysql/testUtils/mariadbTestServer';
import { lastLines } from '../../plugins/scaffolder-backend-module-ops/src/postgres/processes';

/**
 * Waits until the file system has written everything out: each measurement
 * starts right after the previous one removed a 1 GB data directory (see
 * bench/drill.mjs).
 */
export const settle = () => promisify(execFile)('sync', []);

/** `program args < file`, as a shell redirect would run it; rejects with its last error lines. */
async function runWithInputFile(
  program: string,
  args: string[],
  file: string,
): Promise<void> {
  const input = await fs.open(file, 'r');
  try {
    await new Promise<void>((resolve, reject) => {
      const child = spawn(program, args, {
        stdio: [input.fd, 'ignore', 'pipe'],
      });
      let stderr = '';
      child.stderr?.on('data', chunk => {
        stderr = (stderr + chunk.toString('utf8')).slice(-64 * 1024);
      });
      child.on('error', reject);
      child.on('close', code =>
        code === 0
          ? resolve()
          : reject(
              new Error(
                `${program} exited with code ${code}: ${lastLines(stderr)}`,
              ),
            ),
      );
    });
  } finally {
    await input.close();
  }
}

/** The milliseconds of `CREATE DATABASE` and `mariadb <database> < dump`. */
export async function bareRestore(options: {
  dump: string;
  database: string;
  workDir: string;
}): Promise<number> {
  const { dump, database, workDir } = options;
  const instance = await startedInstance(workDir, {
    prefix: 'opsdeck-bench-my-bare-',
  });
  try {
    await settle();
    const started = performance.now();
    // A single-database dump has no CREATE DATABASE: the operator makes it.
    const admin = await instance.connection();
    try {
      await admin.query(`CREATE DATABASE \`${database}\``);
    } finally {
      await admin.end();
    }
    await runWithInputFile(
      instance.clientProgram,
      instance.clientArgs(database),
      dump,
    );
    return performance.now() - started;
  } finally {
    const proof = await instance.destroy();
    if (!proof.clean) {
      // eslint-disable-next-line no-unsafe-finally
      throw new Error(`The bare restore's instance: ${proof.summary}`);
    }
  }
}
