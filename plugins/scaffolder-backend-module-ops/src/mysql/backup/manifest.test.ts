import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {
  MysqlBackupManifest,
  mysqlManifestOf,
  parseMysqlManifest,
  readMysqlManifestOf,
  writeMysqlManifest,
} from './manifest';

const manifest: MysqlBackupManifest = {
  version: 1,
  engine: 'mysql',
  database: 'maintenance',
  snapshotTime: '2026-12-02T10:00:00.000Z',
  tables: [{ table: 'tasks', rows: '5', checksum: '1172721519' }],
  views: ['open_tasks'],
  routines: ['procedure close_task'],
  triggers: ['tasks_touch'],
  events: ['purge_done'],
};

let dir: string;
beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'opsdeck-my-manifest-'));
});
afterEach(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

describe('MySQL backup manifests', () => {
  it('is written beside the dump, atomically, and read back', async () => {
    const dump = path.join(dir, 'maintenance-db-20261202T100000Z.sql.gz');
    expect(await writeMysqlManifest(dump, manifest)).toBe(
      `${dump}.manifest.json`,
    );
    expect(await fs.readdir(dir)).toEqual([
      'maintenance-db-20261202T100000Z.sql.gz.manifest.json',
    ]);
    expect(await readMysqlManifestOf(dump)).toEqual(manifest);
  });

  it('is undefined for a dump without one', async () => {
    expect(
      await readMysqlManifestOf(path.join(dir, 'nightly.sql')),
    ).toBeUndefined();
  });

  it('is built from an outline, every table with its contents', () => {
    expect(
      mysqlManifestOf({
        database: 'maintenance',
        snapshotTime: new Date('2026-12-02T10:00:00Z'),
        outline: {
          tables: ['tasks'],
          views: ['open_tasks'],
          routines: ['procedure close_task'],
          triggers: ['tasks_touch'],
          events: ['purge_done'],
          contents: new Map([['tasks', { rows: '5', checksum: '1172721519' }]]),
        },
      }),
    ).toEqual(manifest);
  });

  it('refuses an invalid manifest, naming the file and the field', () => {
    const file = '/backups/m-1.sql.gz.manifest.json';
    const parse = (value: unknown) =>
      parseMysqlManifest(JSON.stringify(value), file);
    expect(() => parseMysqlManifest('{', file)).toThrow(
      /^The backup manifest \/backups\/m-1\.sql\.gz\.manifest\.json is invalid: not JSON/,
    );
    expect(() => parse({ ...manifest, engine: 'postgres' })).toThrow(
      `The backup manifest ${file} is invalid: engine "postgres" is not mysql (a manifest of another engine's backup)`,
    );
    expect(() => parse({ ...manifest, version: 2 })).toThrow(
      'version 2 is not 1, the version this OpsDeck reads',
    );
    expect(() =>
      parse({
        ...manifest,
        tables: [{ table: 'tasks', rows: 5, checksum: '1' }],
      }),
    ).toThrow(`${file} is invalid: tables[0].rows must be a string`);
    expect(() =>
      parse({
        ...manifest,
        tables: [{ table: 'tasks', rows: '5', checksum: '-1' }],
      }),
    ).toThrow('tables[0] (tasks) must hold whole numbers as text');
    expect(() => parse({ ...manifest, triggers: [1] })).toThrow(
      'triggers must be an array of names',
    );
  });
});
