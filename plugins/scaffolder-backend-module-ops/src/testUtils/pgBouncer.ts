import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';
import { asOwner, RUN_AS } from './serverOwner';
import { isLoopbackPortOpen } from '../postgres/scratch/scratchInstance';
import {
  APP_PASSWORD,
  APP_USER,
  DATABASE,
  freePort,
  ReplicatedCluster,
} from './replicatedCluster';

// A real PgBouncer (Debian's pgbouncer) for the integration tests: on a free
// loopback port, in a temporary directory, as the postgres user when the
// tests run as root. Configured the way teams run it in front of an
// application: pool_mode = transaction (a PAUSE then only waits for the
// transactions in flight; in session pooling it would wait for every client
// to disconnect), auth_type = md5 against a userlist, an admin user in
// admin_users, and the failover's entries in a file pgbouncer.ini %includes.

const run = promisify(execFile);

export const PGBOUNCER_BIN =
  process.env.OPSDECK_PGBOUNCER_BIN ?? '/usr/sbin/pgbouncer';
export const PGBOUNCER_ADMIN = 'pgbouncer_admin';
export const PGBOUNCER_ADMIN_PASSWORD = 'pgbouncer-admin-secret';

/**
 * Where PgBouncer sends one of its databases.
 *
 * @public
 */
export interface PgBouncerRoute {
  host: string;
  port: number;
  dbname: string;
}

function entry(name: string, route: PgBouncerRoute): string {
  return `${name} = host=${route.host} port=${route.port} dbname=${route.dbname}`;
}

/**
 * A PgBouncer started for a test or a benchmark; `stop` removes it.
 *
 * @public
 */
export class PgBouncerServer {
  /**
   * Starts PgBouncer serving `routes` (database name → server), with the
   * users of `users` (name → password) allowed to log in.
   */
  static async start(options: {
    routes: Record<string, PgBouncerRoute>;
    users: Record<string, string>;
    ports?: { from: number; to: number };
  }): Promise<PgBouncerServer> {
    await fs.access(PGBOUNCER_BIN).catch(() => {
      throw new Error(
        `PgBouncer is needed for this test: ${PGBOUNCER_BIN} is missing (scripts/system-packages.sh pgbouncer)`,
      );
    });
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'opsdeck-pgbouncer-'));
    await fs.chmod(dir, 0o755);
    const server = new PgBouncerServer(dir);
    try {
      const users = {
        ...options.users,
        [PGBOUNCER_ADMIN]: PGBOUNCER_ADMIN_PASSWORD,
      };
      await fs.writeFile(
        path.join(dir, 'userlist.txt'),
        Object.entries(users)
          .map(([user, password]) => `"${user}" "${password}"`)
          .join('\n'),
        { mode: 0o600 },
      );
      // The file the failover owns: only the entries it repoints.
      await fs.writeFile(
        server.includeFile,
        [
          '; written by the tests; the failover rewrites it',
          '[databases]',
          ...Object.entries(options.routes).map(([name, route]) =>
            entry(name, route),
          ),
          '',
        ].join('\n'),
        { mode: 0o644 },
      );
      const ports = options.ports ?? { from: 6600, to: 6799 };
      for (let tries = 0; ; tries++) {
        server.port = await freePort(ports.from, ports.to, new Set());
        await server.#writeIni();
        if (RUN_AS) {
          await run('chown', ['-R', `${RUN_AS}:`, dir]);
        }
        try {
          await asOwner(PGBOUNCER_BIN, ['-d', path.join(dir, 'pgbouncer.ini')]);
          await server.#waitForPort();
          break;
        } catch (error) {
          // Another test may have taken the port in between.
          await server.#kill();
          if (tries >= 3) {
            const log = await fs
              .readFile(path.join(dir, 'pgbouncer.log'), 'utf8')
              .catch(() => '');
            throw new Error(`PgBouncer did not start: ${error}\n${log}`);
          }
        }
      }
    } catch (error) {
      await server.stop();
      throw error;
    }
    return server;
  }

  /**
   * PgBouncer in front of the cluster's primary: its database, its
   * application role (what `startLedgerWriter` logs in as by default).
   */
  static async inFrontOf(cluster: ReplicatedCluster): Promise<PgBouncerServer> {
    return PgBouncerServer.start({
      routes: {
        [DATABASE]: {
          host: '127.0.0.1',
          port: cluster.primary.port,
          dbname: DATABASE,
        },
      },
      users: { [APP_USER]: APP_PASSWORD },
    });
  }

  port = 0;
  readonly includeFile: string;

  private constructor(readonly dir: string) {
    this.includeFile = path.join(dir, 'opsdeck-routes.ini');
  }

  async #writeIni(): Promise<void> {
    await fs.writeFile(
      path.join(this.dir, 'pgbouncer.ini'),
      [
        '[pgbouncer]',
        'listen_addr = 127.0.0.1',
        `listen_port = ${this.port}`,
        'unix_socket_dir =',
        'auth_type = md5',
        `auth_file = ${path.join(this.dir, 'userlist.txt')}`,
        `admin_users = ${PGBOUNCER_ADMIN}`,
        'pool_mode = transaction',
        'default_pool_size = 5',
        'server_login_retry = 1',
        `logfile = ${path.join(this.dir, 'pgbouncer.log')}`,
        `pidfile = ${this.#pidFile}`,
        '',
        // Last: the included file opens its own [databases] section.
        `%include ${this.includeFile}`,
        '',
      ].join('\n'),
    );
  }

  get #pidFile(): string {
    return path.join(this.dir, 'pgbouncer.pid');
  }

  async #waitForPort(): Promise<void> {
    const deadline = Date.now() + 10_000;
    while (!(await isLoopbackPortOpen(this.port))) {
      if (Date.now() > deadline) {
        throw new Error(`PgBouncer does not listen on 127.0.0.1:${this.port}`);
      }
      await new Promise(resolve => setTimeout(resolve, 50));
    }
  }

  async #pid(): Promise<number | undefined> {
    const text = await fs.readFile(this.#pidFile, 'utf8').catch(() => '');
    const pid = Number(text.trim());
    return pid > 0 ? pid : undefined;
  }

  async #kill(): Promise<void> {
    const pid = await this.#pid();
    if (pid === undefined) {
      return;
    }
    try {
      process.kill(pid, 'SIGTERM');
    } catch {
      return;
    }
    const deadline = Date.now() + 10_000;
    for (;;) {
      try {
        process.kill(pid, 0);
      } catch {
        return;
      }
      if (Date.now() > deadline) {
        process.kill(pid, 'SIGKILL');
        return;
      }
      await new Promise(resolve => setTimeout(resolve, 50));
    }
  }

  /** `failover.repoint` of the cluster's target through this PgBouncer. */
  repointConfig(passwordEnv?: string): Record<string, unknown> {
    return {
      type: 'pgbouncer',
      admin: this.admin(passwordEnv),
      database: DATABASE,
      includeFile: this.includeFile,
    };
  }

  /** The admin console settings of `failover.repoint.admin`. */
  admin(passwordEnv?: string): Record<string, unknown> {
    return {
      host: '127.0.0.1',
      port: this.port,
      user: PGBOUNCER_ADMIN,
      ...(passwordEnv
        ? { passwordEnv }
        : { password: PGBOUNCER_ADMIN_PASSWORD }),
    };
  }

  /** A console session, for the tests' own checks. */
  async console(): Promise<Client> {
    const client = new Client({
      host: '127.0.0.1',
      port: this.port,
      user: PGBOUNCER_ADMIN,
      password: PGBOUNCER_ADMIN_PASSWORD,
      database: 'pgbouncer',
    });
    client.on('error', () => {});
    await client.connect();
    return client;
  }

  /** `SHOW DATABASES` row of `name`: where PgBouncer sends it and whether it is paused. */
  async database(
    name: string,
  ): Promise<{ host: string; port: number; paused: boolean }> {
    const client = await this.console();
    try {
      const { rows } = await client.query('SHOW DATABASES');
      const row = rows.find(r => r.name === name);
      if (!row) {
        throw new Error(`PgBouncer has no database ${name}`);
      }
      return {
        host: row.host,
        port: Number(row.port),
        paused: Number(row.paused) === 1,
      };
    } finally {
      await client.end();
    }
  }

  /** Stops PgBouncer and deletes its directory. */
  async stop(): Promise<void> {
    await this.#kill();
    await fs.rm(this.dir, { recursive: true, force: true });
  }
}
