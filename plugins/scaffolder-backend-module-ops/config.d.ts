import { HumanDuration } from '@backstage/types';

export interface Config {
  ops?: {
    /**
     * Database targets, by name. Entities name theirs in the
     * `opsdeck.dev/databases` annotation; the backup-restore drill
     * (`ops:postgres:backup-drill`) only runs against a target that is both
     * configured here and named by the entity.
     * @visibility backend
     */
    databases?: {
      [name: string]: {
        /**
         * The primary server. The drill only reads from it (row counts,
         * sampled rows, checks) unless a replica is configured, and takes a
         * backup from it when asked to.
         * @visibility backend
         */
        primary: {
          /** @visibility backend */
          host: string;
          /** @visibility backend */
          port?: number;
          /** @visibility backend */
          database: string;
          /** @visibility backend */
          user: string;
          /**
           * Name of the environment variable of the backend that holds the
           * password; never the password itself.
           * @visibility backend
           */
          passwordEnv?: string;
        };
        /**
         * Read replicas, same shape as the primary. When present, the drill
         * compares the restored copy with the first replica instead of the
         * primary.
         * @visibility backend
         */
        replicas?: Array<{
          /** @visibility backend */
          host: string;
          /** @visibility backend */
          port?: number;
          /** @visibility backend */
          database: string;
          /** @visibility backend */
          user: string;
          /** @visibility backend */
          passwordEnv?: string;
        }>;
        /**
         * Where the pg_dump outputs of this database are.
         * @visibility backend
         */
        backup: {
          /**
           * `directory` for `pg_dump -Fd` outputs (one directory each),
           * `custom` for `pg_dump -Fc` files.
           * @visibility backend
           */
          format: 'directory' | 'custom';
          /**
           * Absolute path of the directory holding the backups; the newest is
           * restored.
           * @visibility backend
           */
          directory: string;
        };
        /**
         * Recovery objectives the drill is judged against. Default: RTO 1
         * hour, RPO 15 minutes.
         * @visibility backend
         */
        objectives?: {
          /** @visibility backend */
          rto?: HumanDuration | string;
          /** @visibility backend */
          rpo?: HumanDuration | string;
        };
        /**
         * Read-only SQL checks, run in a read-only transaction. Without
         * `expect`, the result on the restored copy must equal the result on
         * the source; with it, the first column of the first row on the
         * restored copy must equal `expect`.
         * @visibility backend
         */
        checks?: Array<{
          /** @visibility backend */
          name: string;
          /** @visibility backend */
          sql: string;
          /** @visibility backend */
          expect?: string;
        }>;
        /**
         * Rows sampled per table (by primary key) whose checksums are
         * compared with the source. Default 10.
         * @visibility backend
         */
        samplesPerTable?: number;
        /**
         * The scratch PostgreSQL instance the backup is restored into.
         * @visibility backend
         */
        scratch?: {
          /**
           * PostgreSQL server and client binaries (initdb, pg_ctl,
           * pg_restore, pg_dump). Default /usr/lib/postgresql/15/bin.
           * @visibility backend
           */
          binDir?: string;
          /**
           * Where the scratch instance's directory is created. Default: the
           * operating system's temporary directory.
           * @visibility backend
           */
          workDir?: string;
          /**
           * The unprivileged user that runs the scratch server (via `runuser
           * -u <user> --`). Required when the backend runs as root, because
           * PostgreSQL refuses to run as root; for example `postgres`.
           * @visibility backend
           */
          runAsUser?: string;
        };
      };
    };
  };
}
