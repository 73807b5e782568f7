/**
 * Whose failure a failed drill is: the backup's (it could not be found,
 * read, restored, or the copy is wrong) or the drill's own infrastructure's
 * (no disk, no port, a missing program, a permission), which says nothing
 * about the backup and must not be reported as a bad one.
 *
 * @public
 */
export type DrillFailureKind = 'backup' | 'infrastructure';

// Messages of the operating system and of PostgreSQL and pgBackRest that
// blame the machine the drill runs on, not the backup.
const INFRASTRUCTURE = [
  /ENOSPC|No space left on device|disk full|could not extend file/i,
  /EACCES|EPERM|Permission denied|permission denied for (directory|file)|Operation not permitted/,
  /ENOENT.*spawn|could not be started|command not found|No such file or directory.*(pg_ctl|pgbackrest|initdb|postgres)\b/i,
  /could not (bind|create listen)|Address already in use|EADDRINUSE|No free loopback port/i,
  /ENOMEM|out of memory|could not fork|Resource temporarily unavailable/i,
  /is not an executable on the backend|socket path .* is longer/i,
  // The drill could not reach the source it compares with.
  /ECONNREFUSED|ETIMEDOUT|EHOSTUNREACH|password authentication failed|Counting the rows of the source failed/i,
];

/** Classifies a drill step's failure by what its message blames. */
export function classifyDrillFailure(message: string): DrillFailureKind {
  return INFRASTRUCTURE.some(pattern => pattern.test(message))
    ? 'infrastructure'
    : 'backup';
}

/** How a failure kind reads in a reason or a report. */
export function describeFailureKind(kind: DrillFailureKind): string {
  return kind === 'infrastructure'
    ? "the drill's own infrastructure failed, not the backup"
    : 'the backup failed';
}
