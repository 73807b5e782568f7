import fs from 'node:fs/promises';
import path from 'node:path';
import {
  portOpen,
  processesNaming,
  run,
  SourceCluster,
} from './postgresTestCluster';
import { asOwner, RUN_AS } from '../testUtils/serverOwner';

// A real pgBackRest repository of a real source cluster, for the drill's
// integration tests: the source archives every WAL segment into it with
// `pgbackrest archive-push`, and the tests take backups with `pgbackrest
// backup`. Everything lives under the test's root directory: repository,
// lock and log directories and the config file, owned by the user that runs
// the servers.

/** pgBackRest's Debian program; fails the test with the install hint when missing. */
export async function requirePgBackRest(): Promise<void> {
  await run('pgbackrest', ['version']).catch(() => {
    throw new Error(
      'pgBackRest is needed for this test: pgbackrest is not installed (scripts/system-packages.sh pgbackrest)',
    );
  });
}

/** postgresql.conf lines of a source that archives into the repository of `configFile`. */
export function archivingSettings(configFile: string, stanza: string) {
  return [
    'wal_level = replica',
    'archive_mode = on',
    `archive_command = 'pgbackrest --config=${configFile} --stanza=${stanza} archive-push %p'`,
  ];
}

export class PgBackRestRepo {
  readonly dir: string;
  readonly configFile: string;
  readonly repoPath: string;
  readonly stanza: string;
  readonly #source: SourceCluster;

  /** The config file path a source must name in its archive_command before it starts. */
  static configFileIn(root: string): string {
    return path.join(root, 'pgbackrest', 'pgbackrest.conf');
  }

  /** Writes the config for the running source and creates the stanza. */
  static async create(options: {
    root: string;
    source: SourceCluster;
    stanza: string;
  }): Promise<PgBackRestRepo> {
    const dir = path.join(options.root, 'pgbackrest');
    await fs.mkdir(dir, { recursive: true });
    const repo = new PgBackRestRepo(dir, options.source, options.stanza);
    await fs.writeFile(
      repo.configFile,
      [
        '[global]',
        `repo1-path=${repo.repoPath}`,
        'repo1-retention-full=10',
        `lock-path=${path.join(dir, 'lock')}`,
        `log-path=${path.join(dir, 'log')}`,
        'log-level-file=off',
        'log-level-console=warn',
        'start-fast=y',
        'compress-type=gz',
        '',
        `[${repo.stanza}]`,
        `pg1-path=${path.join(options.source.dir, 'data')}`,
        `pg1-port=${options.source.port}`,
        `pg1-socket-path=${options.source.socketDir}`,
        'pg1-user=postgres',
        '',
      ].join('\n'),
    );
    if (RUN_AS) {
      await run('chown', ['-R', `${RUN_AS}:`, dir]);
    }
    await repo.pgbackrest(['stanza-create']);
    return repo;
  }

  private constructor(dir: string, source: SourceCluster, stanza: string) {
    this.dir = dir;
    this.configFile = path.join(dir, 'pgbackrest.conf');
    this.repoPath = path.join(dir, 'repo');
    this.stanza = stanza;
    this.#source = source;
  }

  /** Runs pgbackrest as the servers' user with this repository's config. */
  async pgbackrest(args: string[]): Promise<string> {
    const { stdout } = await asOwner('pgbackrest', [
      `--config=${this.configFile}`,
      `--stanza=${this.stanza}`,
      ...args,
    ]);
    return stdout;
  }

  /** Takes a backup and returns its label. */
  async backup(type: 'full' | 'diff' | 'incr' = 'full'): Promise<string> {
    await this.pgbackrest([`--type=${type}`, 'backup']);
    const info = JSON.parse(await this.pgbackrest(['info', '--output=json']));
    const backups = info[0].backup as Array<{ label: string }>;
    return backups[backups.length - 1].label;
  }

  /** Ends the current WAL segment and waits until the source has archived it. */
  async switchWalAndWaitArchived(database = 'postgres'): Promise<string> {
    const segment = await this.#source.psql(database, {
      command: 'SELECT pg_walfile_name(pg_switch_wal())',
    });
    for (let waited = 0; waited < 30_000; waited += 100) {
      const archived = await this.#source.psql(database, {
        command: 'SELECT last_archived_wal FROM pg_stat_archiver',
      });
      if (archived && archived >= segment) {
        return segment;
      }
      await new Promise(resolve => setTimeout(resolve, 100));
    }
    throw new Error(`WAL segment ${segment} was not archived within 30 s`);
  }

  /**
   * Overwrites 64 bytes in the middle of the largest file of a backup in
   * the repository; returns the file and a function that puts it back.
   */
  async corruptLargestFile(
    label: string,
  ): Promise<{ file: string; repair: () => Promise<void> }> {
    const backupDir = path.join(this.repoPath, 'backup', this.stanza, label);
    let largest = { file: '', size: -1 };
    const walk = async (dir: string): Promise<void> => {
      for (const entry of await fs.readdir(dir, { withFileTypes: true })) {
        const file = path.join(dir, entry.name);
        if (entry.isDirectory()) {
          await walk(file);
        } else if (entry.isFile() && entry.name.endsWith('.gz')) {
          const { size } = await fs.stat(file);
          if (size > largest.size) {
            largest = { file, size };
          }
        }
      }
    };
    await walk(path.join(backupDir, 'pg_data'));
    const original = await fs.readFile(largest.file);
    const damaged = Buffer.from(original);
    damaged.fill(
      0x5a,
      Math.floor(damaged.length / 2),
      Math.floor(damaged.length / 2) + 64,
    );
    await fs.writeFile(largest.file, damaged);
    return {
      file: largest.file,
      repair: () => fs.writeFile(largest.file, original),
    };
  }
}

/**
 * Nothing of a physical-restore drill is left: the work directory is empty
 * (a pgBackRest drill builds no template cluster), no process names it, and
 * the scratch port is closed.
 */
export async function expectNothingLeftOfPhysicalDrill(
  workDir: string,
  port: number | undefined,
) {
  expect(await fs.readdir(workDir)).toEqual([]);
  expect(await processesNaming(workDir)).toEqual([]);
  if (port !== undefined) {
    expect(await portOpen(port)).toBe(false);
  }
}
