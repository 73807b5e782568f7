import fs from 'node:fs/promises';
import path from 'node:path';
import { asUser, runCommand } from '../processes';

/**
 * Copies a cluster with one `cp -R -p` per database directory, one for
 * `global` and one for the rest, all at the same time. Creating files is
 * what a copy spends its time on, and on a busy file system each creation
 * waits for the disk (0.3 ms per file measured here, against 0.05 ms when
 * quiet): serially the 670 files took 0.15 to 0.6 s, four copies at once
 * about half. Runs as the server user, keeping the template's modes.
 */
export async function copyCluster(options: {
  from: string;
  dataDir: string;
  /** The working directory of the copies. */
  rootDir: string;
  runAsUser?: string;
  signal?: AbortSignal;
  /** Gives a directory the mode and the owner the server needs. */
  handToServer: (dir: string, mode: number) => Promise<void>;
}): Promise<void> {
  const { from, dataDir, rootDir, runAsUser, signal, handToServer } = options;
  // data/ and data/base/ first, as initdb made them, so the copies can
  // fill them side by side.
  for (const dir of ['', 'base']) {
    const target = path.join(dataDir, dir);
    await fs.mkdir(target);
    await handToServer(
      target,
      (await fs.stat(path.join(from, dir))).mode & 0o7777,
    );
  }
  const databases = await fs.readdir(path.join(from, 'base'));
  const others = (await fs.readdir(from)).filter(
    name => name !== 'base' && name !== 'global',
  );
  const copies = [
    ...databases.map(oid => ({ into: 'base', names: [`base/${oid}`] })),
    { into: '', names: ['global'] },
    { into: '', names: others },
  ];
  const results = await Promise.allSettled(
    copies
      .filter(({ names }) => names.length > 0)
      .map(({ into, names }) =>
        runCommand(
          asUser(
            {
              file: 'cp',
              args: [
                '-R',
                '-p',
                `--target-directory=${path.join(dataDir, into)}`,
                '--',
                ...names.map(name => path.join(from, name)),
              ],
            },
            runAsUser,
          ),
          { signal, cwd: rootDir },
        ),
      ),
  );
  // Only once every copy has ended, so none still writes into a directory
  // that cleanup removes.
  const failed = results.find(
    (result): result is PromiseRejectedResult => result.status === 'rejected',
  );
  if (failed) {
    throw failed.reason;
  }
}
