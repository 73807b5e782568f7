// What a scratch instance's server is told: its postgresql.conf lines and
// its pg_hba.conf. Only this backend may reach the restored data, over the
// instance's own socket.

/**
 * Server settings of a bulk load, as PostgreSQL's documentation advises
 * ("Populating a Database"): with `wal_level = minimal` (which needs
 * `max_wal_senders = 0`) the COPY of a table that pg_restore created or
 * truncated in the same transaction writes no WAL, and the data files are
 * synced at commit instead. Nothing but the restore writes to a scratch
 * instance, so autovacuum would only compete with it. `fsync` stays on: the
 * measured RTO is that of a server whose restored data is on disk.
 */
export const SCRATCH_SERVER_SETTINGS = [
  'wal_level = minimal',
  'max_wal_senders = 0',
  'autovacuum = off',
];

/**
 * Settings of a physically restored copy: it must never archive (its WAL
 * would go into the source's repository) and cannot use the source's TLS
 * files or log collector paths. The recovery settings themselves
 * (restore_command, target) are the restore program's, in
 * postgresql.auto.conf. wal_level and the connection limits stay the
 * source's: hot standby needs them at least as high as the source's.
 */
export const PHYSICAL_RESTORE_SETTINGS = [
  'archive_mode = off',
  'ssl = off',
  'logging_collector = off',
  'autovacuum = off',
];

/** Quotes a value for postgresql.conf. */
export function confString(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;
}

/** pg_hba.conf of a scratch instance: local (socket) trust, every TCP connection rejected. */
export const SCRATCH_HBA = [
  '# OpsDeck backup drill scratch instance: only this backend, over its socket',
  'local all all trust',
  'host all all 0.0.0.0/0 reject',
  'host all all ::/0 reject',
  '',
].join('\n');

/**
 * The lines appended to a scratch instance's postgresql.conf: loopback only,
 * its own port and private socket, then the mode's settings. Later lines win
 * in postgresql.conf, so a retry on another port just appends again.
 */
export function scratchServerConf(options: {
  port: number;
  socketDir: string;
  settings: string[];
}): string {
  return [
    '',
    '# OpsDeck backup drill scratch instance',
    `listen_addresses = '127.0.0.1'`,
    `port = ${options.port}`,
    `unix_socket_directories = ${confString(options.socketDir)}`,
    'unix_socket_permissions = 0700',
    ...options.settings,
    '',
  ].join('\n');
}
