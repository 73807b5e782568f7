import path from 'node:path';
import { loopbackTargetConfig } from '../testUtils/targetConfig';
import { BIN } from './postgresTestCluster';
import { RUN_AS } from '../testUtils/serverOwner';

// The configuration files of PatroniTestCluster: each member's Patroni
// config (loopback only, the cluster's etcd, password authentication on
// TCP, Debian's PostgreSQL 15) and OpsDeck's target `orders-db` on it.

/**
 * Patroni's DCS timings for the tests. Patroni 3.0 accepts ttl 10 and
 * loop_wait 1, but on a loaded 2-core machine the leader then missed its
 * lock renewal and the replica took over by itself mid-test: keep Patroni's
 * ttl (30 s, at least loop_wait + 2 × retry_timeout) and shorten only the
 * loop, which the switchover and the rejoin wait on.
 */
const DCS = { ttl: 30, loop_wait: 2, retry_timeout: 10 };

export interface PatroniNodeInfo {
  name: string;
  pgPort: number;
  apiPort: number;
  apiUrl: string;
  dataDir: string;
  socketDir: string;
}

export function memberConfig(options: {
  scope: string;
  node: PatroniNodeInfo;
  etcdPort: number;
  root: string;
}): string {
  const { node } = options;
  // JSON is YAML: no YAML library needed, no quoting surprises.
  return JSON.stringify(
    {
      scope: options.scope,
      name: node.name,
      log: { level: 'INFO' },
      restapi: {
        listen: `127.0.0.1:${node.apiPort}`,
        connect_address: `127.0.0.1:${node.apiPort}`,
      },
      etcd3: { hosts: [`127.0.0.1:${options.etcdPort}`] },
      bootstrap: {
        dcs: {
          ...DCS,
          maximum_lag_on_failover: 16 * 1024 * 1024,
          postgresql: {
            use_pg_rewind: false,
            parameters: {
              wal_level: 'replica',
              hot_standby: 'on',
              max_wal_senders: 10,
              max_replication_slots: 10,
              wal_keep_size: '256MB',
              fsync: 'off',
            },
          },
        },
        initdb: [{ encoding: 'UTF8' }, 'no-locale', { username: 'postgres' }],
      },
      postgresql: {
        listen: `127.0.0.1:${node.pgPort}`,
        connect_address: `127.0.0.1:${node.pgPort}`,
        data_dir: node.dataDir,
        bin_dir: BIN,
        pgpass: path.join(options.root, `${node.name}.pgpass`),
        use_unix_socket: true,
        authentication: {
          superuser: { username: 'postgres', password: 'patroni-super' },
          replication: { username: 'replicator', password: 'patroni-repl' },
        },
        parameters: {
          unix_socket_directories: node.socketDir,
          wal_receiver_status_interval: '1s',
        },
        pg_hba: [
          'local all all trust',
          'host replication replicator 127.0.0.1/32 scram-sha-256',
          'host all all 127.0.0.1/32 scram-sha-256',
        ],
      },
      watchdog: { mode: 'off' },
      tags: { nofailover: false, noloadbalance: false, clonefrom: false },
    },
    null,
    2,
  );
}

export interface TargetConfigOptions {
  workDir: string;
  failover?: Record<string, unknown>;
  ha?: Record<string, unknown>;
  objectives?: Record<string, unknown>;
}

/** The app-config of target `orders-db` on these members (matched by host:port). */
export function ordersDbTargetConfig(
  nodes: PatroniNodeInfo[],
  options: TargetConfigOptions,
): object {
  return loopbackTargetConfig({
    name: 'orders-db',
    entityRef: 'component:default/orders-api',
    primaryPort: nodes[0].pgPort,
    replicaPorts: nodes.slice(1).map(n => n.pgPort),
    workDir: options.workDir,
    binDir: BIN,
    runAsUser: RUN_AS,
    objectives: options.objectives,
    failover: {
      ha: {
        type: 'patroni',
        members: nodes.map(n => ({ name: n.name, url: n.apiUrl })),
        timeout: '30s',
        ...options.ha,
      },
      ...options.failover,
    },
  });
}
