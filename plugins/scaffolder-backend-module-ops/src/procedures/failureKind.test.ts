import { classifyDrillFailure } from './failureKind';

describe('classifyDrillFailure', () => {
  it.each([
    'could not extend file "base/16384/16390": No space left on device',
    'mkdtemp failed: ENOSPC',
    'runuser could not be started (spawn runuser ENOENT)',
    'could not bind IPv4 address "127.0.0.1": Address already in use',
    'open /var/lib/pgbackrest/backup.info: Permission denied',
    '/usr/lib/postgresql/15/bin/pg_ctl is not an executable on the backend',
    'password authentication failed for user "drill_reader"',
  ])('blames the drill’s infrastructure for %s', message => {
    expect(classifyDrillFailure(message)).toBe('infrastructure');
  });

  it.each([
    'pg_restore exited with code 1: could not read from input file: incorrect data check',
    'pgbackrest verify of stanza orders found a damaged repository: checksum invalid: 1',
    'The pgBackRest stanza orders has no backup (status 2: no valid backups)',
    'The restored server stopped during recovery: FATAL: recovery ended before configured recovery target was reached',
  ])('blames the backup for %s', message => {
    expect(classifyDrillFailure(message)).toBe('backup');
  });
});
