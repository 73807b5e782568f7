import { withoutServerPaths } from './serverPaths';

describe('withoutServerPaths', () => {
  it('names a backup by its file name', () => {
    expect(
      withoutServerPaths(
        'pg_restore -j 4 of /var/lib/opsdeck/backups/payments-db-20261202T101500Z.dump into payments',
      ),
    ).toBe(
      'pg_restore -j 4 of payments-db-20261202T101500Z.dump into payments',
    );
    expect(withoutServerPaths('could not open "/srv/dumps/x.dump"')).toBe(
      'could not open "x.dump"',
    );
  });

  it('does not name the scratch directories', () => {
    expect(
      withoutServerPaths(
        'Nothing left: no process runs from /tmp/opsdeck-drill-0123456789ab-XyZ123; /tmp/opsdeck-drill-0123456789ab-XyZ123 removed; started it: /tmp/opsdeck-drill-0123456789ab-XyZ123/data',
      ),
    ).toBe(
      'Nothing left: no process runs from the scratch directory; the scratch directory removed; started it: the scratch directory',
    );
    expect(
      withoutServerPaths('replayed WAL from /var/scratch/opsdeck-wal-Ab12Cd/'),
    ).toBe('replayed WAL from the scratch directory');
  });

  it('keeps the name of a directory that only starts like a scratch one', () => {
    expect(
      withoutServerPaths(
        'The latest backup /tmp/opsdeck-drill-it-N3L7w9/backups/orders-newest is unreadable',
      ),
    ).toBe('The latest backup orders-newest is unreadable');
  });

  it('leaves what is not an absolute path alone', () => {
    const text =
      'component:default/orders-api at http://127.0.0.1:5432/db, 3/4 passed, RTO 4m / 1h, ./relative/x and heap/btree';
    expect(withoutServerPaths(text)).toBe(text);
  });
});
