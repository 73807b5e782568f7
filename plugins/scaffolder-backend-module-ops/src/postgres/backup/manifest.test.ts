import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { listBackupCandidates } from './discovery';
import {
  BackupManifest,
  manifestPathOf,
  parseManifest,
  readManifestOf,
  writeManifest,
} from './manifest';

const manifest: BackupManifest = {
  version: 1,
  database: 'orders',
  snapshotTime: '2026-12-02T10:00:00.000Z',
  tables: [{ table: 'public.orders', rows: '5', checksum: '-12' }],
  indexes: ['public.orders_pkey'],
  sequences: ['public.orders_id_seq'],
};

let dir: string;
beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'opsdeck-manifest-'));
});
afterEach(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

describe('backup manifests', () => {
  it('is written beside the dump, atomically, and read back', async () => {
    const dump = path.join(dir, 'orders-db-20261202T100000Z');
    expect(await writeManifest(dump, manifest)).toBe(`${dump}.manifest.json`);
    expect(await fs.readdir(dir)).toEqual([
      'orders-db-20261202T100000Z.manifest.json',
    ]);
    expect(await readManifestOf(dump)).toEqual(manifest);
    expect(manifestPathOf(`${dump}/`)).toBe(`${dump}.manifest.json`);
  });

  it('is undefined for a dump without one', async () => {
    expect(await readManifestOf(path.join(dir, 'orders.dump'))).toBeUndefined();
  });

  it('is never taken for a backup by discovery, in either format', async () => {
    const directoryDump = path.join(dir, 'orders-1');
    await fs.mkdir(directoryDump);
    await fs.writeFile(path.join(directoryDump, 'toc.dat'), 'PGDMP');
    await fs.writeFile(path.join(dir, 'orders-2.dump'), 'PGDMP...');
    await writeManifest(directoryDump, manifest);
    await writeManifest(path.join(dir, 'orders-2.dump'), manifest);
    expect(
      (await listBackupCandidates(dir, 'directory')).map(c => c.name),
    ).toEqual(['orders-1']);
    expect(
      (await listBackupCandidates(dir, 'custom')).map(c => c.name),
    ).toEqual(['orders-2.dump']);
  });

  it('refuses an invalid manifest, naming the file and the field', () => {
    const file = '/backups/orders-1.manifest.json';
    expect(() => parseManifest('{', file)).toThrow(
      /^The backup manifest \/backups\/orders-1\.manifest\.json is invalid: not JSON/,
    );
    expect(() =>
      parseManifest(JSON.stringify({ ...manifest, version: 2 }), file),
    ).toThrow(
      'The backup manifest /backups/orders-1.manifest.json is invalid: version 2 is not 1, the version this OpsDeck reads',
    );
    expect(() =>
      parseManifest(
        JSON.stringify({
          ...manifest,
          tables: [{ table: 'public.orders', rows: 5, checksum: '1' }],
        }),
        file,
      ),
    ).toThrow(
      'The backup manifest /backups/orders-1.manifest.json is invalid: tables[0].rows must be a string',
    );
    expect(() =>
      parseManifest(JSON.stringify({ ...manifest, indexes: [1] }), file),
    ).toThrow('indexes must be an array of names');
  });
});
