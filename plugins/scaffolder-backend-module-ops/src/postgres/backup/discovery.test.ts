import fs from 'node:fs/promises';
import path from 'node:path';
import { createMockDirectory } from '@backstage/backend-test-utils';
import {
  backupAgeSeconds,
  BackupInfo,
  listBackupCandidates,
  orderNewestFirst,
  parseArchiveHeader,
} from './discovery';

const LISTING = `;
; Archive created at 2026-11-24 08:59:25 UTC
;     dbname: orders
;     TOC Entries: 8
;     Compression: -1
;     Dump Version: 1.14-0
;     Format: DIRECTORY
;
; Selected TOC Entries:
;
214; 1259 16384 TABLE public t postgres
`;

describe('parseArchiveHeader', () => {
  it('reads the creation time, the database and the entry count', () => {
    expect(parseArchiveHeader(LISTING)).toEqual({
      createdAt: new Date('2026-11-24T08:59:25Z'),
      database: 'orders',
      tocEntries: 8,
    });
  });

  it('ignores a time in a zone other than UTC, which would be ambiguous', () => {
    expect(
      parseArchiveHeader(LISTING.replace('08:59:25 UTC', '09:59:25 CET'))
        .createdAt,
    ).toBeUndefined();
  });

  it('reads nothing from something that is not a pg_restore listing', () => {
    expect(parseArchiveHeader('hello')).toEqual({
      createdAt: undefined,
      database: undefined,
      tocEntries: undefined,
    });
  });
});

describe('orderNewestFirst', () => {
  const at = (iso: string, name: string) => ({
    name,
    path: `/b/${name}`,
    modifiedAt: new Date(iso),
  });

  it('puts the newest backup first, by modification time, not by name', () => {
    expect(
      orderNewestFirst([
        at('2026-11-23T00:00:00Z', 'orders-3'),
        at('2026-11-24T00:00:00Z', 'orders-1'),
        at('2026-11-22T00:00:00Z', 'orders-2'),
      ]).map(backup => backup.name),
    ).toEqual(['orders-1', 'orders-3', 'orders-2']);
  });

  it('breaks ties by name, latest name first, so the choice is stable', () => {
    expect(
      orderNewestFirst([
        at('2026-11-24T00:00:00Z', 'a'),
        at('2026-11-24T00:00:00Z', 'c'),
        at('2026-11-24T00:00:00Z', 'b'),
      ]).map(backup => backup.name),
    ).toEqual(['c', 'b', 'a']);
  });
});

describe('backupAgeSeconds', () => {
  it('is the time since the dump was taken, never negative', () => {
    const backup = {
      createdAt: new Date('2026-11-24T08:00:00Z'),
    } as BackupInfo;
    expect(backupAgeSeconds(backup, new Date('2026-11-24T08:14:59.6Z'))).toBe(
      900,
    );
    expect(backupAgeSeconds(backup, new Date('2026-11-24T07:00:00Z'))).toBe(0);
  });
});

describe('listBackupCandidates', () => {
  const mockDir = createMockDirectory();

  beforeEach(() => {
    mockDir.setContent({
      // directory format: finished ones have toc.dat
      'orders-1': { 'toc.dat': 'toc', '3341.dat.gz': 'data' },
      'orders-2': { '3341.dat.gz': 'a dump still being written' },
      '.orders-3.partial': { 'toc.dat': 'toc' },
      // custom format: files that start with PGDMP
      'orders-1.dump': 'PGDMP...',
      'orders-2.dump.tmp': 'PGDMP...',
      'notes.txt': 'not a dump',
    });
  });

  it('finds finished directory dumps only, dated by their toc.dat', async () => {
    const toc = path.join(mockDir.path, 'orders-1', 'toc.dat');
    const time = new Date('2026-11-20T10:00:00Z');
    await fs.utimes(toc, time, time);
    expect(await listBackupCandidates(mockDir.path, 'directory')).toEqual([
      {
        name: 'orders-1',
        path: path.join(mockDir.path, 'orders-1'),
        modifiedAt: time,
      },
    ]);
  });

  it('finds finished custom-format dumps only, by their magic', async () => {
    const found = await listBackupCandidates(mockDir.path, 'custom');
    expect(found.map(backup => backup.name)).toEqual(['orders-1.dump']);
  });

  it('fails clearly when the backup directory cannot be read', async () => {
    await expect(
      listBackupCandidates(path.join(mockDir.path, 'missing'), 'custom'),
    ).rejects.toThrow(
      `Cannot read the backup directory ${path.join(
        mockDir.path,
        'missing',
      )}: ENOENT`,
    );
  });
});
