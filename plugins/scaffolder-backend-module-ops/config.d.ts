import { HumanDuration } from '@backstage/types';

export interface Config {
  ops?: {
    /**
     * Database targets, by name. Entities name theirs in the
     * `opsdeck.dev/databases` annotation; the backup-restore drills
     * (`ops:postgres:backup-drill`, `ops:mysql:backup-drill`) and the failover
     * (`ops:postgres:failover`) only run against a target that is
     * configured here, named by the entity AND bound to it by `entities` or
     * `owners` (a target with neither is refused to every entity).
     * @visibility backend
     */
    databases?: {
      [name: string]: {
        /**
         * The target's engine: `postgres` (default) or `mysql` (MySQL and
         * MariaDB, drilled with `ops:mysql:backup-drill`; primary.port
         * defaults to 3306 and primary.database is the schema drilled).
         * Visible to the frontend, which offers a failover only for
         * PostgreSQL targets.
         * @visibility frontend
         */
        engine?: 'postgres' | 'mysql';
        /**
         * Entity refs allowed to use the target (default kind Component,
         * namespace default), e.g. `component:default/payments-api`.
         * Naming a target in an entity's annotation is not enough: without
         * `entities` or `owners` no entity may drill it, fail it over or
         * hold its lease.
         * @visibility backend
         */
        entities?: string[];
        /**
         * Owners (an entity's `spec.owner`, default kind Group) whose
         * entities may use the target, e.g. `group:default/payments-team`.
         * @visibility backend
         */
        owners?: string[];
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
          /**
           * The password, written as a substitution from the backend's
           * environment (`password: ${ORDERS_DB_PASSWORD}`), never
           * literally. Set this or `passwordEnv`, not both.
           * @visibility secret
           */
          password?: string;
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
          /** @visibility secret */
          password?: string;
        }>;
        /**
         * Where the pg_dump outputs of this database are.
         * @visibility backend
         */
        backup: {
          /**
           * What wrote the backups. PostgreSQL: `pgdump` (default; `format`
           * and `directory` below) or `pgbackrest` (`stanza` and how to
           * reach the repository). MySQL/MariaDB: `mysqldump` (default;
           * `*.sql` and `*.sql.gz` files in `directory`, the newest by its
           * "Dump completed on" line) or `mariadb-backup` (full backup
           * directories under `directory`, prepared on a copy).
           * @visibility backend
           */
          source?: 'pgdump' | 'pgbackrest' | 'mysqldump' | 'mariadb-backup';
          /**
           * pg_dump: `directory` for `pg_dump -Fd` outputs (one directory
           * each), `custom` for `pg_dump -Fc` files.
           * @visibility backend
           */
          format?: 'directory' | 'custom';
          /**
           * pg_dump: the directory holding the backups; the newest is
           * restored. A relative path is relative to the backend's working
           * directory, as for the catalog's file locations.
           * @visibility backend
           */
          directory?: string;
          /**
           * pgBackRest: the stanza whose newest backup is drilled.
           * @visibility backend
           */
          stanza?: string;
          /**
           * pgBackRest: the config file that says how to reach the
           * repository (`pgbackrest --config`), readable by
           * `scratch.runAsUser`.
           * @visibility backend
           */
          configFile?: string;
          /**
           * pgBackRest: the repository's path for a repository on a local
           * or mounted file system (`--repo1-path`), instead of or on top of
           * the config file.
           * @visibility backend
           */
          repoPath?: string;
          /**
           * pgBackRest: run `pgbackrest verify` as a drill step before
           * restoring (reads every file of the repository).
           * @visibility backend
           */
          verify?: boolean;
          /**
           * pgBackRest: options given through the environment, each naming
           * the backend variable that holds the value (never the value), e.g.
           * `PGBACKREST_REPO1_CIPHER_PASS: ORDERS_REPO_PASS`.
           * @visibility backend
           */
          env?: { [option: string]: string };
        };
        /**
         * How often this target is drilled. The readiness check flags a
         * target whose last passed backup-restore drill is older than
         * `everyDays` (default 91, quarterly) whether this block is present
         * or not. With the block, the backend's scheduler also runs the
         * drill itself when the last drill of the target started
         * `everyDays` or more ago, for every entity naming the target.
         * @visibility backend
         */
        drillSchedule?: {
          /**
           * Days between two drills. Default 91.
           * @visibility backend
           */
          everyDays?: number;
          /**
           * Whether the scheduler runs overdue drills. Default true when the
           * block is present; false keeps only the interval.
           * @visibility backend
           */
          enabled?: boolean;
          /**
           * pg_restore -j of scheduled drills. Default 4.
           * @visibility backend
           */
          jobs?: number;
          /**
           * Take a fresh backup with pg_dump before each scheduled drill.
           * Default false: drill the latest existing backup.
           * @visibility backend
           */
          takeBackup?: boolean;
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
         * Read-only SQL checks, run in a read-only transaction. With
         * `expect`, the first column of the first row on the restored copy
         * must equal `expect`, and the drill fails otherwise. Without it,
         * the result is compared with the live source: a difference is
         * reported as drift since the backup (the source keeps changing),
         * only an error fails the drill.
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
         * What the backup-restore drill verifies beyond row counts, samples
         * and checks. A backup made by OpsDeck (or by `opsdeck-pg-dump`) has
         * a manifest of its own snapshot and is compared with it exactly;
         * without one, the copy is compared with the live source, where
         * only what the backup can be blamed for fails and the rest is
         * reported as drift.
         * @visibility backend
         */
        verification?: {
          /**
           * Run pg_amcheck (heap and btree checks) on the restored copy, as
           * a step of the drill; every finding fails the drill. The amcheck
           * extension is created in the scratch copy only. Default false.
           * @visibility backend
           */
          amcheck?: boolean;
          /**
           * MySQL/MariaDB: run `mariadb-check` on the restored copy's
           * tables; every finding fails the drill. Default false.
           * @visibility backend
           */
          check?: boolean;
          /**
           * Rows that must be in the restored copy unchanged when the
           * backup has no manifest: the rows a timestamp column dates
           * before the backup (`column`), or, for an append-only table
           * (`appendOnly: true`), the rows whose primary key is at most the
           * copy's largest. A sampled row of such a table that differs from
           * the source fails too; elsewhere it is drift.
           * @visibility backend
           */
          stableRows?: Array<{
            /** PostgreSQL: `schema.table` (or `table`, in public), as the catalog stores it; MySQL: the table's name. @visibility backend */
            table: string;
            /** A timestamp column set when the row is written and never after. @visibility backend */
            column?: string;
            /** Rows are only ever appended, with growing primary keys. @visibility backend */
            appendOnly?: boolean;
          }>;
        };
        /**
         * The scratch instance (PostgreSQL, or MariaDB for a MySQL target)
         * the backup is restored into.
         * @visibility backend
         */
        scratch?: {
          /**
           * PostgreSQL server and client binaries (initdb, pg_ctl,
           * pg_restore, pg_dump), default the newest under
           * /usr/lib/postgresql; MySQL: the client programs (mariadb,
           * mariadb-install-db, mariadb-dump, mariadb-backup), default
           * /usr/bin.
           * @visibility backend
           */
          binDir?: string;
          /**
           * MySQL/MariaDB: the server program, default /usr/sbin/mariadbd
           * (or /usr/sbin/mysqld).
           * @visibility backend
           */
          server?: string;
          /**
           * Where the scratch instance's directory is created. Default: the
           * operating system's temporary directory. The never-started
           * template cluster that scratch instances copy (about 40 MB per
           * PostgreSQL installation) is kept there too.
           * @visibility backend
           */
          workDir?: string;
          /**
           * The unprivileged user that runs the scratch server (via `runuser
           * -u <user> --`). Required when the backend runs as root, because
           * PostgreSQL and mariadbd refuse to run as root; for example
           * `postgres` or `mysql`.
           * @visibility backend
           */
          runAsUser?: string;
        };
        /**
         * The primary-replica failover (`ops:postgres:failover`, SOP-02).
         * Needs `replicas`.
         * @visibility backend
         */
        failover?: {
          /**
           * The role of the failover's sessions on the primary and the
           * replicas. It ends sessions and sets a server parameter on the old
           * primary, promotes the replica (`pg_promote`) and writes the canary
           * row: a superuser, or a role granted pg_signal_backend, ALTER
           * SYSTEM on default_transaction_read_only, EXECUTE on pg_promote
           * and CREATE on the database. Default: each endpoint's own `user`.
           * @visibility backend
           */
          user?: string;
          /**
           * Name of the backend's environment variable holding that role's
           * password.
           * @visibility backend
           */
          passwordEnv?: string;
          /**
           * Largest replay lag of the replica (time since the last replayed
           * transaction, when replay is behind) a failover accepts without
           * `force`. Default 1 minute, the operations manual's limit.
           * @visibility backend
           */
          maxReplayLag?: HumanDuration | string;
          /**
           * Largest replay lag in bytes of WAL behind the primary (or behind
           * what the replica received, when the primary is unreachable).
           * Default 16 MiB.
           * @visibility backend
           */
          maxReplayLagBytes?: number;
          /**
           * How long to wait for the replica to replay everything the
           * fenced primary wrote before giving the writers back to the old
           * primary and failing. Default 1 minute.
           * @visibility backend
           */
          catchUpTimeout?: HumanDuration | string;
          /**
           * How long `pg_promote` may take. Default 1 minute.
           * @visibility backend
           */
          promoteTimeout?: HumanDuration | string;
          /**
           * How writers are kept off the old primary.
           * @visibility backend
           */
          fence?: {
            /**
             * `read-only` (default): ALTER SYSTEM SET
             * default_transaction_read_only = on, reload, end every client
             * session. `stop`: pg_ctl stop -m fast (a server on the
             * backend's host, see `dataDir`).
             * @visibility backend
             */
            method?: 'read-only' | 'stop';
            /**
             * The old primary's data directory, for `stop`; pg_ctl runs from
             * `scratch.binDir` as `scratch.runAsUser`.
             * @visibility backend
             */
            dataDir?: string;
          };
          /**
           * A file clients read the primary's address from, rewritten
           * atomically after the promotion.
           * @visibility backend
           */
          connectionFile?: {
            /** @visibility backend */
            path: string;
            /**
             * `json` (default): host, port, database, timeline, promotedAt;
             * `env`: PGHOST, PGPORT, PGDATABASE lines.
             * @visibility backend
             */
            format?: 'json' | 'env';
          };
          /**
           * Clients that reach the primary through PgBouncer: the failover
           * PAUSEs the database before the fence, rewrites its entry in
           * `includeFile`, RELOADs, and RESUMEs once the new primary accepts
           * writes; on a failure it RESUMEs with the old entry.
           * @visibility backend
           */
          repoint?: {
            /** The one kind for now. @visibility backend */
            type: 'pgbouncer';
            /**
             * PgBouncer's admin console (database `pgbouncer`), as a user in
             * its `admin_users` (PAUSE, RESUME, RELOAD need it).
             * @visibility backend
             */
            admin: {
              /** @visibility backend */
              host: string;
              /** @visibility backend */
              port: number;
              /** @visibility backend */
              user: string;
              /**
               * Name of the backend's environment variable holding the
               * admin user's password.
               * @visibility backend
               */
              passwordEnv?: string;
              /** @visibility secret */
              password?: string;
            };
            /**
             * The `[databases]` entry the clients connect to.
             * @visibility backend
             */
            database: string;
            /**
             * Absolute path of the file the backend owns and rewrites
             * atomically; pgbouncer.ini `%include`s it. Other entries in it
             * are kept.
             * @visibility backend
             */
            includeFile: string;
            /**
             * How long PAUSE may wait for the transactions in flight to
             * finish before the failover gives up. Default 30 seconds.
             * @visibility backend
             */
            pauseTimeout?: HumanDuration | string;
          };
          /**
           * The table the verification writes one row into on the new
           * primary (created when missing). Default opsdeck_failover_canary.
           * @visibility backend
           */
          canaryTable?: string;
          /**
           * Severity of the incident the failover declares. Default SEV2.
           * @visibility backend
           */
          incidentSeverity?: string;
          /**
           * An HA manager owns this target's promotion and fencing: OpsDeck
           * never calls pg_promote or ALTER SYSTEM on it, it asks the manager
           * to switch over. `primary` and `replicas` list the members'
           * PostgreSQL endpoints (matched by the host:port Patroni reports in
           * GET /cluster) for the SQL lag checks and the canary write.
           * @visibility backend
           */
          ha?: {
            /** The only one today. */
            type: 'patroni';
            /**
             * Each member's name in the Patroni cluster and its REST API root
             * (http or https, no credentials in the URL).
             * @visibility backend
             */
            members: Array<{ name: string; url: string }>;
            /**
             * Names of the backend's environment variables holding the REST
             * API's basic-auth user and password (restapi.authentication);
             * both or neither.
             * @visibility backend
             */
            usernameEnv?: string;
            passwordEnv?: string;
            /**
             * How long to wait for the candidate to lead and the old leader
             * to stream from it again. Default 60 s.
             * @visibility backend
             */
            timeout?: HumanDuration | string;
          };
        };
      };
    };
  };
}
