import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { isLoopbackPortOpen } from '../postgres/scratch/scratchInstance';
import { serviceWithDatabases } from './entities';
import { asOwner, RUN_AS } from './serverOwner';
import { pgCtlStart, pgCtlStartOnFreePort, TestServer } from './pgCtlStart';
import { loopbackTargetConfig } from './targetConfig';
import { superuserPsql } from './superuserPsql';

// A real PostgreSQL 15 primary with streaming replicas on loopback, for the
// failover tests and the failover benchmark: initdb, pg_basebackup -R,
// pg_ctl. PostgreSQL refuses to run as root, so as root the servers run as
// the `postgres` user (created by the Debian package) in directories it owns.

const run = promisify(execFile);

export const PG_BIN =
  process.env.OPSDECK_PG_BIN ?? '/usr/lib/postgresql/15/bin';

/** The role the failover uses (superuser: it fences and promotes). */
export const ADMIN_USER = 'failover_admin';
export const ADMIN_PASSWORD = 'failover-secret';
/** The application's role, an ordinary one. */
export const APP_USER = 'app';
export const APP_PASSWORD = 'app-secret';
export const DATABASE = 'payments';

/**
 * The service whose database the tests fail over.
 *
 * @public
 */
export const PAYMENTS_API = serviceWithDatabases(
  'payments-api',
  'payments-db',
  'team-payments',
);

/**
 * The action's input for that service's target.
 *
 * @public
 */
export const FAILOVER_INPUT = {
  entityRef: 'component:default/payments-api',
  target: 'payments-db',
};

/** @public */
export interface ClusterNode {
  name: string;
  port: number;
  dataDir: string;
  socketDir: string;
}

/** The first loopback port from `from` to `to` that nothing listens on. */
export async function freePort(
  from: number,
  to: number,
  taken: Set<number>,
): Promise<number> {
  for (let port = from; port <= to; port++) {
    if (!taken.has(port) && !(await isLoopbackPortOpen(port))) {
      taken.add(port);
      return port;
    }
  }
  throw new Error(`No free loopback port from ${from} to ${to}`);
}

/** @public */
export class ReplicatedCluster {
  readonly root: string;
  readonly primary: ClusterNode;
  readonly replicas: ClusterNode[];
  readonly binDir = PG_BIN;
  readonly runAsUser = RUN_AS;

  private constructor(
    root: string,
    primary: ClusterNode,
    replicas: ClusterNode[],
  ) {
    this.root = root;
    this.primary = primary;
    this.replicas = replicas;
  }

  /**
   * Starts a primary and `replicas` streaming replicas on free ports between
   * `ports.from` and `ports.to`, with the database, roles and a table
   * `ledger (id bigint primary key, written_at timestamptz)` the tests write.
   */
  static async start(options: {
    ports: { from: number; to: number };
    replicas?: number;
    name?: string;
  }): Promise<ReplicatedCluster> {
    for (const program of ['initdb', 'pg_ctl', 'pg_basebackup', 'psql']) {
      await fs.access(path.join(PG_BIN, program)).catch(() => {
        throw new Error(
          `PostgreSQL 15 is needed: ${PG_BIN}/${program} is missing (scripts/system-packages.sh postgresql-15)`,
        );
      });
    }
    const root = await fs.mkdtemp(
      path.join(os.tmpdir(), `opsdeck-${options.name ?? 'failover'}-`),
    );
    await fs.chmod(root, 0o755);
    if (RUN_AS) {
      await run('chown', [`${RUN_AS}:`, root]);
    }
    const taken = new Set<number>();
    const nextPort = () =>
      freePort(options.ports.from, options.ports.to, taken);
    const node = async (name: string): Promise<ClusterNode> => {
      const socketDir = path.join(root, `${name}-socket`);
      await asOwner('mkdir', ['-p', socketDir]);
      return {
        name,
        port: await nextPort(),
        dataDir: path.join(root, name),
        socketDir,
      };
    };
    const primary = await node('primary');
    const replicas: ClusterNode[] = [];
    for (let i = 1; i <= (options.replicas ?? 1); i++) {
      replicas.push(await node(`replica${i}`));
    }
    const cluster = new ReplicatedCluster(root, primary, replicas);
    try {
      await asOwner(path.join(PG_BIN, 'initdb'), [
        `--pgdata=${primary.dataDir}`,
        '--username=postgres',
        '--auth-local=trust',
        '--auth-host=scram-sha-256',
        '--no-sync',
        '--no-locale',
        '--encoding=UTF8',
      ]);
      await cluster.configure(primary);
      await cluster.firstStart(primary, nextPort);
      await cluster.psql(
        primary,
        'postgres',
        `CREATE ROLE ${ADMIN_USER} LOGIN SUPERUSER PASSWORD '${ADMIN_PASSWORD}';
         CREATE ROLE ${APP_USER} LOGIN PASSWORD '${APP_PASSWORD}';`,
      );
      await cluster.psql(
        primary,
        'postgres',
        `CREATE DATABASE ${DATABASE} OWNER ${APP_USER}`,
      );
      await cluster.psql(
        primary,
        DATABASE,
        `SET ROLE ${APP_USER};
         CREATE TABLE ledger (id bigint PRIMARY KEY, written_at timestamptz NOT NULL DEFAULT now());`,
      );
      for (const replica of replicas) {
        await asOwner(path.join(PG_BIN, 'pg_basebackup'), [
          `--pgdata=${replica.dataDir}`,
          '--write-recovery-conf',
          '--wal-method=stream',
          '--checkpoint=fast',
          `--host=${primary.socketDir}`,
          `--port=${primary.port}`,
          '--username=postgres',
        ]);
        await cluster.configure(replica);
        await cluster.firstStart(replica, nextPort);
      }
      await cluster.waitForStreaming();
    } catch (error) {
      await cluster.stop();
      throw error;
    }
    return cluster;
  }

  private async configure(node: ClusterNode): Promise<void> {
    // Appended last, so these win over what pg_basebackup copied.
    await asOwner('sh', [
      '-c',
      `cat >> "$0" <<'EOF'
listen_addresses = '127.0.0.1'
port = ${node.port}
unix_socket_directories = '${node.socketDir}'
fsync = off
wal_keep_size = '256MB'
wal_receiver_status_interval = '1s'
EOF`,
      path.join(node.dataDir, 'postgresql.conf'),
    ]);
  }

  private server(node: ClusterNode): TestServer {
    return {
      binDir: PG_BIN,
      dataDir: node.dataDir,
      log: path.join(this.root, `${node.name}.log`),
      runAsUser: RUN_AS,
    };
  }

  /** Starts a new node; on the next free port when another server took its port. */
  private async firstStart(
    node: ClusterNode,
    nextPort: () => Promise<number>,
  ): Promise<void> {
    await pgCtlStartOnFreePort(this.server(node), async () => {
      node.port = await nextPort();
      await this.configure(node);
    });
  }

  async startNode(node: ClusterNode): Promise<void> {
    await pgCtlStart(this.server(node));
  }

  async stopNode(node: ClusterNode): Promise<void> {
    await asOwner(path.join(PG_BIN, 'pg_ctl'), [
      'stop',
      `--pgdata=${node.dataDir}`,
      '--mode=immediate',
      '--wait',
    ]).catch(() => {});
  }

  /**
   * The app-config of target `payments-db` on this cluster: the application
   * role on every server, the superuser role for the failover, a JSON
   * connection file `payments-db.json` in `workDir`.
   */
  targetConfig(options: {
    workDir: string;
    failover?: Record<string, unknown>;
    objectives?: Record<string, unknown>;
  }): object {
    return loopbackTargetConfig({
      name: 'payments-db',
      entityRef: 'component:default/payments-api',
      primaryPort: this.primary.port,
      replicaPorts: this.replicas.map(replica => replica.port),
      workDir: options.workDir,
      binDir: this.binDir,
      runAsUser: this.runAsUser,
      objectives: options.objectives,
      failover: {
        connectionFile: {
          path: path.join(options.workDir, 'payments-db.json'),
        },
        ...options.failover,
      },
    });
  }

  /** Runs SQL as the postgres superuser over the node's socket; the output, unaligned. */
  async psql(
    node: ClusterNode,
    database: string,
    sql: string,
  ): Promise<string> {
    return superuserPsql(
      { binDir: PG_BIN, socketDir: node.socketDir, port: node.port },
      database,
      [`--command=${sql}`],
    );
  }

  /** Waits until every replica streams from the primary. */
  async waitForStreaming(timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const streaming = Number(
        await this.psql(
          this.primary,
          'postgres',
          "SELECT count(*) FROM pg_stat_replication WHERE state = 'streaming'",
        ),
      );
      if (streaming >= this.replicas.length) {
        return;
      }
      if (Date.now() > deadline) {
        throw new Error(
          `Only ${streaming} of ${this.replicas.length} replicas stream after ${timeoutMs} ms`,
        );
      }
      await new Promise(resolve => setTimeout(resolve, 100));
    }
  }

  /** The server processes of this cluster still running, from /proc. */
  async runningServers(): Promise<string[]> {
    const found: string[] = [];
    for (const pid of (await fs.readdir('/proc')).filter(p =>
      /^\d+$/.test(p),
    )) {
      const cmdline = await fs
        .readFile(`/proc/${pid}/cmdline`, 'utf8')
        .catch(() => '');
      if (cmdline.includes(this.root)) {
        found.push(`${pid}: ${cmdline.replace(/\0/g, ' ')}`);
      }
    }
    return found;
  }

  /** Stops every server and deletes the directory. */
  async stop(): Promise<void> {
    for (const node of [...this.replicas, this.primary]) {
      await this.stopNode(node);
    }
    await fs.rm(this.root, { recursive: true, force: true });
  }
}
