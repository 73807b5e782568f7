import { compareMysqlWithManifest } from './manifestComparison';
import { MysqlOutline } from './outline';
import { compareRowHashes, stableCutoff } from './stableRows';
import { parseCheckOutput, tableCheckVerifications } from './tableCheck';
import { MysqlBackupManifest } from '../backup/manifest';

const manifest: MysqlBackupManifest = {
  version: 1,
  engine: 'mysql',
  database: 'maintenance',
  snapshotTime: '2026-12-03T05:00:00.000Z',
  tables: [
    { table: 'notes', rows: '3', checksum: '11' },
    { table: 'tasks', rows: '5', checksum: '22' },
  ],
  views: ['open_tasks'],
  routines: ['procedure close_task'],
  triggers: ['tasks_audit'],
  events: [],
};

function outline(changes: Partial<MysqlOutline> = {}): MysqlOutline {
  return {
    tables: ['notes', 'tasks'],
    views: ['open_tasks'],
    routines: ['procedure close_task'],
    triggers: ['tasks_audit'],
    events: [],
    contents: new Map([
      ['notes', { rows: '3', checksum: '11' }],
      ['tasks', { rows: '5', checksum: '22' }],
    ]),
    ...changes,
  };
}

const failures = (items: Array<{ passed: boolean; failure?: string }>) =>
  items.filter(item => !item.passed).map(item => item.failure);

describe('compareMysqlWithManifest', () => {
  it('passes an equal copy', () => {
    expect(failures(compareMysqlWithManifest(manifest, outline()))).toEqual([]);
  });

  it('fails what differs from the manifest, naming the table or object', () => {
    const copy = outline({
      tables: ['notes', 'tasks', 'tmp'],
      triggers: [],
      contents: new Map([
        ['notes', { rows: '3', checksum: '12' }],
        ['tasks', { rows: '4', checksum: '22' }],
        ['tmp', { rows: '1', checksum: '1' }],
      ]),
    });
    expect(failures(compareMysqlWithManifest(manifest, copy))).toEqual([
      "table notes: the restored rows differ from the backup's manifest (3 rows as listed, CHECKSUM TABLE 12 instead of 11)",
      "table tasks: the restored copy has 4 rows, the backup's manifest 5",
      "table tmp is in the restored copy but not in the backup's manifest",
      'trigger tasks_audit is missing from the restored copy',
    ]);
    expect(
      failures(
        compareMysqlWithManifest(
          manifest,
          outline({ tables: ['tasks'], contents: new Map() }),
        ),
      )[0],
    ).toBe(
      "table notes is missing from the restored copy (the backup's manifest lists 3 rows)",
    );
  });
});

describe('stable rows', () => {
  it('counts rows missing and different by key; rows only in the copy are deletions since', () => {
    const source = new Map([
      ['[1]', 'a'],
      ['[2]', 'b'],
      ['[3]', 'c'],
    ]);
    const copy = new Map([
      ['[1]', 'a'],
      ['[2]', 'x'],
      ['[9]', 'z'],
    ]);
    expect(compareRowHashes(source, copy)).toEqual({
      missing: 1,
      differing: 1,
      extra: 1,
    });
  });

  it('compares rows dated a minute before the backup, in UTC as the sessions read times', () => {
    expect(stableCutoff(new Date('2026-12-03T05:00:00.250Z'))).toBe(
      '2026-12-03 04:59:00.250',
    );
  });
});

describe('mariadb-check output', () => {
  const output = [
    'maintenance.audit                                  OK',
    'maintenance.notes',
    'warning  : Size of indexfile is:     1121      Should be: 1024',
    'error    : Corrupt',
    'status   : OK',
    'maintenance.tasks                                  OK',
    '',
  ].join('\n');

  it('fails each table with errors or warnings, naming it', () => {
    const parsed = parseCheckOutput(output);
    expect(parsed.tables).toEqual([
      'maintenance.audit',
      'maintenance.notes',
      'maintenance.tasks',
    ]);
    expect(failures(tableCheckVerifications('maintenance', parsed))).toEqual([
      'mariadb-check found problems in table maintenance.notes of the restored copy: warning: Size of indexfile is:     1121      Should be: 1024; error: Corrupt',
    ]);
  });

  it('passes when every table is OK', () => {
    expect(
      tableCheckVerifications(
        'maintenance',
        parseCheckOutput('maintenance.tasks     OK\n'),
      ),
    ).toEqual([
      {
        name: 'mariadb-check',
        passed: true,
        expected: 'every table of maintenance OK',
        actual: '1 tables OK',
      },
    ]);
  });
});
