import {
  ADMIN_PASSWORD,
  ADMIN_USER,
  APP_PASSWORD,
  APP_USER,
  DATABASE,
} from './replicatedCluster';

/**
 * The app-config of one database target on loopback test servers: the
 * application role on every server, the superuser role for the failover
 * (with what `failover` adds: a connection file, an HA manager), backups in
 * `workDir`. Shared by the plain replicated cluster and the Patroni one, so
 * that both are configured as a user would configure them.
 */
export function loopbackTargetConfig(target: {
  name: string;
  entityRef: string;
  primaryPort: number;
  replicaPorts: number[];
  workDir: string;
  binDir: string;
  runAsUser: string | undefined;
  objectives?: Record<string, unknown>;
  failover: Record<string, unknown>;
}): object {
  const endpoint = (port: number) => ({
    host: '127.0.0.1',
    port,
    database: DATABASE,
    user: APP_USER,
    password: APP_PASSWORD,
  });
  return {
    ops: {
      databases: {
        [target.name]: {
          entities: [target.entityRef],
          primary: endpoint(target.primaryPort),
          replicas: target.replicaPorts.map(endpoint),
          backup: { format: 'directory', directory: target.workDir },
          objectives: target.objectives,
          scratch: { binDir: target.binDir, runAsUser: target.runAsUser },
          failover: {
            user: ADMIN_USER,
            password: ADMIN_PASSWORD,
            ...target.failover,
          },
        },
      },
    },
  };
}
