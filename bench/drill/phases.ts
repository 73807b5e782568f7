// Profiles the drill's Restore step from outside, without touching the
// drill's code: while it runs, polls every 50 ms whether a `pgbackrest
// restore` into a directory under the drill's work directory is running.
// The Restore step then splits into "pgbackrest restore" (first to last
// sighting) and "start to promotion" (from the last sighting to the step's
// end), the same two parts the bare side times.

import fs from 'node:fs/promises';

async function restoreRunning(workDir: string): Promise<boolean> {
  for (const pid of await fs.readdir('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    const cmdline = await fs
      .readFile(`/proc/${pid}/cmdline`, 'utf8')
      .catch(() => '');
    if (
      cmdline.includes('pgbackrest') &&
      cmdline.includes(`--pg1-path=${workDir}/`) &&
      cmdline.split('\0').includes('restore')
    ) {
      return true;
    }
  }
  return false;
}

/** Starts watching; `stop` returns when the restore program was first and last seen (Date.now()). */
export function watchRestoreProgram(workDir: string) {
  let first: number | undefined;
  let last: number | undefined;
  let stopped = false;
  const done = (async () => {
    while (!stopped) {
      if (await restoreRunning(workDir)) {
        first ??= Date.now();
        last = Date.now();
      }
      await new Promise(resolve => setTimeout(resolve, 50));
    }
  })();
  return {
    async stop(): Promise<{ first?: number; last?: number }> {
      stopped = true;
      await done;
      return { first, last };
    },
  };
}
