import { ChildProcess, execFile, spawn } from 'node:child_process';
import { openSync, closeSync } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import {
  ADMIN_PASSWORD,
  ADMIN_USER,
  APP_PASSWORD,
  APP_USER,
  DATABASE,
  freePort,
} from '../testUtils/replicatedCluster';
import { BIN, portOpen, processesNaming } from './postgresTestCluster';
import { RUN_AS } from '../testUtils/serverOwner';
import { leaseSecondsLeft } from './etcdLease';
import { superuserPsql } from '../testUtils/superuserPsql';
import {
  memberConfig,
  ordersDbTargetConfig,
  PatroniNodeInfo,
  TargetConfigOptions,
} from './patroniMemberConfig';

export type { PatroniNodeInfo } from './patroniMemberConfig';

// One etcd and two Patroni members on loopback, for the Patroni switchover
// tests: the Debian programs (etcd 3.4, patroni 3.0), members as the
// postgres user when the tests run as root (PostgreSQL refuses root), every
// port found free, everything under one temp directory that stop() removes.

const run = promisify(execFile);

async function owner(): Promise<{ uid: number; gid: number } | undefined> {
  if (!RUN_AS) {
    return undefined;
  }
  const uid = Number((await run('id', ['-u', RUN_AS])).stdout.trim());
  const gid = Number((await run('id', ['-g', RUN_AS])).stdout.trim());
  return { uid, gid };
}

/** `pg_ctl stop -m immediate` of a member's PostgreSQL, as the server's user. */
function stopPostgresAtOnce(node: PatroniNodeInfo) {
  return run('runuser', [
    '-u',
    RUN_AS ?? os.userInfo().username,
    '--',
    path.join(BIN, 'pg_ctl'),
    'stop',
    `--pgdata=${node.dataDir}`,
    '--mode=immediate',
    '--wait',
  ]);
}

/** One etcd and two Patroni members, the second a streaming replica of the first. */
export class PatroniTestCluster {
  readonly root: string;
  readonly scope: string;
  readonly etcdPort: number;
  readonly nodes: PatroniNodeInfo[];
  readonly #processes: ChildProcess[] = [];
  /** The newest process of each name (etcd, members). */
  readonly #byName = new Map<string, ChildProcess>();

  private constructor(
    root: string,
    scope: string,
    etcdPort: number,
    nodes: PatroniNodeInfo[],
  ) {
    this.root = root;
    this.scope = scope;
    this.etcdPort = etcdPort;
    this.nodes = nodes;
  }

  /** Starts the cluster on free ports from `ports.from`; waits for a leader and a streaming replica. */
  static async start(options: {
    ports: { from: number; to: number };
  }): Promise<PatroniTestCluster> {
    for (const program of ['/usr/bin/patroni', '/usr/bin/etcd']) {
      await fs.access(program).catch(() => {
        throw new Error(
          `${program} is needed for this test (scripts/system-packages.sh patroni etcd-server)`,
        );
      });
    }
    const root = await fs.mkdtemp(path.join(os.tmpdir(), 'opsdeck-patroni-'));
    await fs.chmod(root, 0o755);
    const ids = await owner();
    if (ids) {
      await fs.chown(root, ids.uid, ids.gid);
    }
    const taken = new Set<number>();
    const port = () => freePort(options.ports.from, options.ports.to, taken);
    const etcdPort = await port();
    const peerPort = await port();
    const nodes: PatroniNodeInfo[] = [];
    for (const name of ['orders-1', 'orders-2']) {
      const pgPort = await port();
      const apiPort = await port();
      const socketDir = path.join(root, `${name}-socket`);
      await fs.mkdir(socketDir);
      if (ids) {
        await fs.chown(socketDir, ids.uid, ids.gid);
      }
      nodes.push({
        name,
        pgPort,
        apiPort,
        apiUrl: `http://127.0.0.1:${apiPort}`,
        dataDir: path.join(root, name),
        socketDir,
      });
    }
    const scope = path.basename(root);
    const cluster = new PatroniTestCluster(root, scope, etcdPort, nodes);
    try {
      cluster.#spawn('etcd', '/usr/bin/etcd', [
        '--name=etcd',
        `--data-dir=${path.join(root, 'etcd')}`,
        `--listen-client-urls=http://127.0.0.1:${etcdPort}`,
        `--advertise-client-urls=http://127.0.0.1:${etcdPort}`,
        `--listen-peer-urls=http://127.0.0.1:${peerPort}`,
        `--initial-advertise-peer-urls=http://127.0.0.1:${peerPort}`,
        `--initial-cluster=etcd=http://127.0.0.1:${peerPort}`,
        '--enable-v2=false',
      ]);
      await cluster.#until('etcd to listen', 20_000, () => portOpen(etcdPort));
      for (const node of nodes) {
        const file = path.join(root, `${node.name}.yml`);
        await fs.writeFile(file, memberConfig({ scope, node, etcdPort, root }));
        cluster.#spawn(node.name, '/usr/bin/patroni', [file], ids);
        if (node === nodes[0]) {
          // The first member bootstraps; the second clones it.
          await cluster.#until(
            'a leader',
            60_000,
            async () => (await cluster.leader()) === node.name,
          );
        }
      }
      await cluster.waitForStreamingReplica(nodes[1].name, 90_000);
      await cluster.psql(
        nodes[0],
        'postgres',
        `CREATE ROLE ${ADMIN_USER} LOGIN SUPERUSER PASSWORD '${ADMIN_PASSWORD}';
         CREATE ROLE ${APP_USER} LOGIN PASSWORD '${APP_PASSWORD}';`,
      );
      await cluster.psql(
        nodes[0],
        'postgres',
        `CREATE DATABASE ${DATABASE} OWNER ${APP_USER}`,
      );
      await cluster.psql(
        nodes[0],
        DATABASE,
        `SET ROLE ${APP_USER};
         CREATE TABLE ledger (id bigint PRIMARY KEY, written_at timestamptz NOT NULL DEFAULT now());`,
      );
      await cluster.#until(
        'the replica to replay the setup',
        30_000,
        async () =>
          (await cluster.psql(
            nodes[1],
            DATABASE,
            'SELECT count(*) FROM ledger',
          )) === '0',
      );
    } catch (error) {
      const logs = await cluster.logs();
      await cluster.stop();
      throw new Error(`${error}\n${logs}`);
    }
    return cluster;
  }

  #spawn(
    name: string,
    file: string,
    args: string[],
    ids?: { uid: number; gid: number },
  ) {
    const log = openSync(path.join(this.root, `${name}.log`), 'a');
    const child = spawn(file, args, {
      cwd: this.root,
      stdio: ['ignore', log, log],
      env: { PATH: process.env.PATH, HOME: this.root, LANG: 'C.UTF-8' },
      ...(ids ?? {}),
    });
    closeSync(log);
    child.on('error', () => {});
    this.#processes.push(child);
    this.#byName.set(name, child);
  }

  async #until(what: string, timeoutMs: number, ok: () => Promise<boolean>) {
    const deadline = Date.now() + timeoutMs;
    while (!(await ok().catch(() => false))) {
      if (Date.now() > deadline) {
        throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
      }
      await new Promise(resolve => setTimeout(resolve, 200));
    }
  }

  /** GET /cluster of any member. */
  async clusterState(): Promise<any> {
    for (const node of this.nodes) {
      try {
        const response = await fetch(`${node.apiUrl}/cluster`, {
          signal: AbortSignal.timeout(2_000),
        });
        if (response.ok) {
          return await response.json();
        }
      } catch {
        // the next member
      }
    }
    throw new Error('No Patroni member answers');
  }

  /** The leader's name, as Patroni says. */
  async leader(): Promise<string | undefined> {
    const state = await this.clusterState();
    return state.members.find(
      (m: any) => m.role === 'leader' && m.state === 'running',
    )?.name;
  }

  node(name: string): PatroniNodeInfo {
    return this.nodes.find(n => n.name === name)!;
  }

  /** Waits until Patroni says `name` runs as a replica and its WAL receiver streams. */
  async waitForStreamingReplica(name: string, timeoutMs = 60_000) {
    const node = this.node(name);
    await this.#until(`${name} to stream`, timeoutMs, async () => {
      const state = await this.clusterState();
      const member = state.members.find((m: any) => m.name === name);
      if (member?.role !== 'replica' || member.state !== 'running') {
        return false;
      }
      return (
        (await this.psql(
          node,
          'postgres',
          'SELECT status FROM pg_stat_wal_receiver',
        )) === 'streaming'
      );
    });
  }

  /** psql as postgres over the member's socket; the unaligned output. */
  async psql(node: PatroniNodeInfo, database: string, sql: string) {
    return superuserPsql(
      { binDir: BIN, socketDir: node.socketDir, port: node.pgPort },
      database,
      [`--command=${sql}`],
    );
  }

  /** patronictl with this cluster's DCS. */
  async patronictl(args: string[]): Promise<string> {
    const { stdout } = await run(
      '/usr/bin/patronictl',
      [
        '--config-file',
        path.join(this.root, `${this.nodes[0].name}.yml`),
        ...args,
      ],
      { env: { PATH: process.env.PATH, HOME: this.root } },
    );
    return stdout;
  }

  /**
   * The member's host dies: its Patroni is killed (SIGKILL: it neither
   * releases the leader lock nor stops PostgreSQL), then its PostgreSQL
   * stops at once. Its REST API and its server refuse connections; a leader
   * lock it held stays in etcd until its lease runs out (ttl).
   */
  async killMember(name: string): Promise<void> {
    const child = this.#byName.get(name)!;
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise(resolve => child.once('exit', resolve));
      child.kill('SIGKILL');
      await exited;
    }
    await stopPostgresAtOnce(this.node(name));
  }

  /** Starts a killed member's Patroni again, with its own config: it rejoins the cluster. */
  async startMember(name: string): Promise<void> {
    this.#spawn(
      name,
      '/usr/bin/patroni',
      [path.join(this.root, `${name}.yml`)],
      await owner(),
    );
  }

  /**
   * Seconds left on the lease of Patroni's leader lock (`/service/<scope>/leader`),
   * read through etcd's v3 JSON gateway; undefined when nobody holds it.
   */
  async leaderLockSecondsLeft(): Promise<number | undefined> {
    return leaseSecondsLeft(this.etcdPort, `/service/${this.scope}/leader`);
  }

  /** The app-config of target `orders-db` on this cluster (members matched by host:port). */
  targetConfig(options: TargetConfigOptions): object {
    return ordersDbTargetConfig(this.nodes, options);
  }

  /** The members' and etcd's logs, for a failure message. */
  async logs(): Promise<string> {
    const parts: string[] = [];
    for (const name of ['etcd', ...this.nodes.map(n => n.name)]) {
      const text = await fs
        .readFile(path.join(this.root, `${name}.log`), 'utf8')
        .catch(() => '');
      parts.push(`--- ${name}.log (end)\n${text.slice(-3000)}`);
    }
    return parts.join('\n');
  }

  /**
   * Stops the members (Patroni stops its PostgreSQL on SIGTERM), then etcd;
   * kills what did not stop; removes the directory. Returns what was left:
   * processes naming the directory, ports still open.
   */
  async stop(): Promise<string[]> {
    const exited = (child: ChildProcess) =>
      child.exitCode !== null || child.signalCode !== null
        ? Promise.resolve()
        : new Promise<void>(resolve => child.once('exit', () => resolve()));
    const members = this.#processes.slice(1);
    const etcd = this.#processes[0];
    for (const [group, graceMs] of [
      [members, 30_000],
      [etcd ? [etcd] : [], 10_000],
    ] as const) {
      for (const child of group) {
        child.kill('SIGTERM');
      }
      await Promise.race([
        Promise.all(group.map(exited)),
        new Promise(resolve => setTimeout(resolve, graceMs)),
      ]);
      for (const child of group) {
        if (child.exitCode === null && child.signalCode === null) {
          child.kill('SIGKILL');
          await exited(child);
        }
      }
    }
    // A member killed hard leaves its postmaster behind.
    for (const node of this.nodes) {
      await stopPostgresAtOnce(node).catch(() => {});
    }
    const left = await processesNaming(this.root);
    const ports = [
      this.etcdPort,
      ...this.nodes.flatMap(n => [n.pgPort, n.apiPort]),
    ];
    for (const p of ports) {
      if (await portOpen(p)) {
        left.push(`port ${p} still open`);
      }
    }
    await fs.rm(this.root, { recursive: true, force: true });
    return left;
  }
}
