import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import {
  isLoopbackPortOpen,
  templateName,
} from '../postgres/scratch/scratchInstance';
import { pgCtlStartOnFreePort } from '../testUtils/pgCtlStart';
import { RecordingOpsClient } from '../testUtils/RecordingOpsClient';
import { asOwner, RUN_AS } from '../testUtils/serverOwner';
import { superuserPsql } from '../testUtils/superuserPsql';

// Helpers of the integration tests that run real PostgreSQL 15 servers (as the
// postgres user when the tests run as root: the server refuses root).

export const run = promisify(execFile);
export const BIN = process.env.OPSDECK_PG_BIN ?? '/usr/lib/postgresql/15/bin';

/** Whether something listens on 127.0.0.1:port. */
export const portOpen = (port: number) => isLoopbackPortOpen(port);

/** How many ports from its first a test server may move along. */
const PORT_RANGE = 200;

export async function firstFreePort(from: number, to = from + PORT_RANGE) {
  for (let port = from; port < to; port++) {
    if (!(await portOpen(port))) {
      return port;
    }
  }
  throw new Error(`No free loopback port from ${from} to ${to - 1}`);
}

/** Processes whose command line names the directory, read from /proc. */
export async function processesNaming(directory: string): Promise<string[]> {
  const found: string[] = [];
  for (const pid of (await fs.readdir('/proc')).filter(p => /^\d+$/.test(p))) {
    const cmdline = await fs
      .readFile(`/proc/${pid}/cmdline`, 'utf8')
      .catch(() => '');
    if (cmdline.replace(/\0/g, ' ').includes(directory)) {
      found.push(`${pid}: ${cmdline.replace(/\0/g, ' ')}`);
    }
  }
  return found;
}

/** Fails unless the PostgreSQL programs the tests need are installed. */
export async function requirePostgresPrograms(programs: string[]) {
  for (const program of programs) {
    await fs.access(path.join(BIN, program)).catch(() => {
      throw new Error(
        `PostgreSQL 15 is needed for this test: ${BIN}/${program} is missing (scripts/system-packages.sh postgresql-15)`,
      );
    });
  }
}

/** The scratch port, from the recorded output of the instance creation step. */
export function scratchPort(opsClient: RecordingOpsClient): number {
  const output = opsClient.step('Create scratch instance')?.output ?? '';
  const port = Number(output.match(/127\.0\.0\.1:(\d+)/)?.[1]);
  expect(port).toBeGreaterThan(0);
  return port;
}

/**
 * No scratch directory, no process naming the work directory, the port
 * closed. The one thing a drill keeps there is its installation's template
 * cluster, which is never started.
 */
export async function expectNothingLeft(workDir: string, port: number) {
  const { name } = await templateName({ binDir: BIN, runAsUser: RUN_AS });
  expect(await fs.readdir(workDir)).toEqual([name]);
  expect(await processesNaming(workDir)).toEqual([]);
  expect(await portOpen(port)).toBe(false);
}

/** A source cluster in `<root>/source`, trusting its socket, loopback TCP with a password. */
export class SourceCluster {
  readonly dir: string;
  readonly socketDir: string;
  readonly port: number;

  static async start(options: {
    root: string;
    firstPort: number;
    lastPort?: number;
    /** Extra postgresql.conf lines. */
    settings?: string[];
  }): Promise<SourceCluster> {
    const dir = path.join(options.root, 'source');
    await fs.mkdir(path.join(dir, 's'), { recursive: true });
    if (RUN_AS) {
      await run('chown', ['-R', `${RUN_AS}:`, dir]);
    }
    await asOwner(path.join(BIN, 'initdb'), [
      `--pgdata=${path.join(dir, 'data')}`,
      '--username=postgres',
      '--auth-local=trust',
      '--auth-host=scram-sha-256',
      '--no-sync',
      '--no-locale',
      '--encoding=UTF8',
    ]);
    const lastPort = options.lastPort ?? options.firstPort + PORT_RANGE;
    const conf = path.join(dir, 'data', 'postgresql.conf');
    let port = await firstFreePort(options.firstPort, lastPort);
    await fs.appendFile(
      conf,
      [
        '',
        `listen_addresses = '127.0.0.1'`,
        `port = ${port}`,
        `unix_socket_directories = '${path.join(dir, 's')}'`,
        'fsync = off',
        ...(options.settings ?? []),
        '',
      ].join('\n'),
    );
    await pgCtlStartOnFreePort(
      {
        binDir: BIN,
        dataDir: path.join(dir, 'data'),
        log: path.join(dir, 'server.log'),
        runAsUser: RUN_AS,
      },
      async () => {
        port = await firstFreePort(port + 1, lastPort);
        await fs.appendFile(conf, `port = ${port}\n`);
      },
    );
    return new SourceCluster(dir, port);
  }

  private constructor(dir: string, port: number) {
    this.dir = dir;
    this.socketDir = path.join(dir, 's');
    this.port = port;
  }

  /** psql as the superuser over the socket; returns the unaligned output. */
  async psql(
    database: string,
    args: string[] | { command: string },
  ): Promise<string> {
    return superuserPsql(
      { binDir: BIN, socketDir: this.socketDir, port: this.port },
      database,
      Array.isArray(args) ? args : [`--command=${args.command}`],
    );
  }

  /** pg_dump -Fd of the database into a new directory under `directory`. */
  async dump(options: {
    database: string;
    directory: string;
    jobs?: number;
  }): Promise<string> {
    await fs.mkdir(options.directory, { recursive: true });
    const target = path.join(
      options.directory,
      `${options.database}-${Date.now()}`,
    );
    await run(path.join(BIN, 'pg_dump'), [
      '--format=directory',
      `--jobs=${options.jobs ?? 1}`,
      `--file=${target}`,
      `--host=${this.socketDir}`,
      `--port=${this.port}`,
      '--username=postgres',
      `--dbname=${options.database}`,
    ]);
    return target;
  }

  async stop(): Promise<void> {
    await asOwner(path.join(BIN, 'pg_ctl'), [
      'stop',
      `--pgdata=${path.join(this.dir, 'data')}`,
      '--mode=immediate',
      '--wait',
    ]).catch(() => {});
  }
}

/** Overwrites 4 KiB in the middle of the largest compressed data file of a pg_dump -Fd. */
export async function corruptLargestDataFile(dump: string): Promise<string> {
  const files = await Promise.all(
    (
      await fs.readdir(dump)
    )
      .filter(name => name.endsWith('.dat.gz'))
      .map(async name => ({
        name,
        size: (await fs.stat(path.join(dump, name))).size,
      })),
  );
  const largest = files.sort((a, b) => b.size - a.size)[0];
  const handle = await fs.open(path.join(dump, largest.name), 'r+');
  try {
    await handle.write(
      Buffer.alloc(4096, 'corrupt!'),
      0,
      4096,
      Math.floor(largest.size / 2),
    );
  } finally {
    await handle.close();
  }
  return largest.name;
}
