// What a scratch MariaDB server is told, on its command line only
// (--no-defaults: the machine's /etc/mysql must never change a drill). The
// same settings serve the drill and the bench's bare restore, so the two
// measure the same server.

/**
 * Settings of a bulk load into a throwaway server: nothing but the restore
 * writes to it and its data is thrown away, so durability at each commit
 * (the redo log flushed per transaction, the doublewrite buffer, binary log
 * syncs) buys nothing. The redo log is large enough that a 1 GB load does
 * not stall on checkpoints, and the buffer pool holds a good part of it.
 * `innodb_fast_shutdown = 3` makes shutdown skip flushing the buffer pool:
 * the next start would recover from the redo log, but there is none.
 * Restored events must never fire and change the copy before it is
 * verified, hence the event scheduler off. `max_allowed_packet` takes the
 * long extended INSERTs of a dump.
 *
 * @public
 */
export const MYSQL_SCRATCH_SERVER_SETTINGS: readonly string[] = [
  '--innodb-flush-log-at-trx-commit=0',
  '--innodb-doublewrite=0',
  '--sync-binlog=0',
  '--innodb-buffer-pool-size=1G',
  '--innodb-log-file-size=512M',
  '--innodb-fast-shutdown=3',
  '--event-scheduler=OFF',
  '--max-allowed-packet=1G',
];

/**
 * Settings that decide how the data files are laid out: given to
 * mariadb-install-db too, so the redo log is created at its final size
 * instead of being resized at the first start.
 */
export const MYSQL_DATA_DIR_SETTINGS: readonly string[] = [
  '--innodb-buffer-pool-size=1G',
  '--innodb-log-file-size=512M',
];

/** Where the server keeps what it needs, all inside the instance's directory. */
export interface MysqlServerPaths {
  dataDir: string;
  socket: string;
  pidFile: string;
  errorLog: string;
  tmpDir: string;
}

/**
 * The argv of the scratch server after the program: networking limited to
 * loopback (no name resolution, no binary log, no file access outside the
 * instance's tmp directory) and the bulk-load settings.
 */
export function scratchServerArgs(options: {
  paths: MysqlServerPaths;
  /** The loopback port; none for a server reached over its socket only. */
  port?: number;
  /**
   * Without grant tables: for a physical copy, whose accounts are the
   * source's and may not let this backend in. Anyone who reaches such a
   * server is let in, so it gets no TCP port at all.
   */
  skipGrantTables?: boolean;
  /** The unprivileged user mariadbd switches to when started as root. */
  runAsUser?: string;
}): string[] {
  const { paths, port, runAsUser, skipGrantTables } = options;
  const network =
    port === undefined || skipGrantTables
      ? [
          '--skip-networking',
          ...(skipGrantTables ? ['--skip-grant-tables'] : []),
        ]
      : [`--port=${port}`, '--bind-address=127.0.0.1'];
  return [
    // Must come first, or mariadbd ignores it.
    '--no-defaults',
    `--datadir=${paths.dataDir}`,
    `--socket=${paths.socket}`,
    ...network,
    `--pid-file=${paths.pidFile}`,
    `--log-error=${paths.errorLog}`,
    `--tmpdir=${paths.tmpDir}`,
    // A restored dump could otherwise read or write the server's files.
    `--secure-file-priv=${paths.tmpDir}`,
    '--local-infile=0',
    '--skip-name-resolve',
    '--skip-log-bin',
    '--skip-slave-start',
    ...(runAsUser ? [`--user=${runAsUser}`] : []),
    ...MYSQL_SCRATCH_SERVER_SETTINGS,
  ];
}
