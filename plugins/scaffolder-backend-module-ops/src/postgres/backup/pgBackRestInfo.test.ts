import { parsePgBackRestInfo, pgBackRestTime } from './pgBackRestInfo';
import { newestTransactionEnd, previousSegment } from './pgBackRestWal';

describe('pgBackRest source parsing', () => {
  const info = (stanza: object) => JSON.stringify([stanza]);

  it('takes the newest backup and the newest archived segment of its database', () => {
    const parsed = parsePgBackRestInfo(
      info({
        name: 'orders',
        status: { code: 0, message: 'ok' },
        backup: [
          {
            label: '20261201-010000F',
            type: 'full',
            timestamp: { start: 1, stop: 2 },
            database: { id: 1 },
          },
          {
            label: '20261202-010000F_20261202-020000I',
            type: 'incr',
            timestamp: { start: 3, stop: 4 },
            database: { id: 1 },
          },
        ],
        archive: [
          {
            database: { id: 1 },
            min: '000000010000000000000001',
            max: '00000002000000000000000A',
          },
        ],
      }),
      'orders',
    );
    expect(parsed.backup.label).toBe('20261202-010000F_20261202-020000I');
    expect(parsed.newestSegment).toBe('00000002000000000000000A');
  });

  it("says pgBackRest's own status when the stanza has no backup", () => {
    expect(() =>
      parsePgBackRestInfo(
        info({
          name: 'orders',
          status: { code: 2, message: 'no valid backups' },
          backup: [],
        }),
        'orders',
      ),
    ).toThrow(
      'The pgBackRest stanza orders has no backup (status 2: no valid backups)',
    );
    expect(() => parsePgBackRestInfo('[]', 'orders')).toThrow(
      'pgbackrest info does not list the stanza orders',
    );
  });

  it('reads the newest transaction end of pg_waldump output, in UTC', () => {
    expect(
      newestTransactionEnd(
        [
          'rmgr: Transaction len (rec/tot): 34/34, tx: 730, lsn: 0/03000060, prev 0/03000028, desc: COMMIT 2026-12-02 15:30:38.123456 UTC',
          'rmgr: Transaction len (rec/tot): 34/34, tx: 731, lsn: 0/03000090, prev 0/03000060, desc: ABORT 2026-12-02 15:30:39.5 UTC',
          'rmgr: Transaction len (rec/tot): 34/34, tx: 729, lsn: 0/03000010, prev 0/03000000, desc: COMMIT 2026-12-02 15:30:37.000001 UTC',
        ].join('\n'),
      )?.toISOString(),
    ).toBe('2026-12-02T15:30:39.500Z');
    expect(newestTransactionEnd('rmgr: XLOG desc: SWITCH')).toBeUndefined();
  });

  it('steps back one segment, and stops where the previous one depends on the segment size', () => {
    expect(previousSegment('00000001000000000000000A')).toBe(
      '000000010000000000000009',
    );
    expect(previousSegment('000000010000000100000000')).toBeUndefined();
    expect(previousSegment('not a segment')).toBeUndefined();
  });

  it('writes a target time the way pgBackRest reads it', () => {
    expect(pgBackRestTime(new Date('2026-12-02T09:30:00Z'))).toBe(
      '2026-12-02 09:30:00.000+00',
    );
  });
});
