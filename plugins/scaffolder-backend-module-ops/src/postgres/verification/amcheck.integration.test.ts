import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {
  BIN,
  requirePostgresPrograms,
  SourceCluster,
} from '../../__testUtils__/postgresTestCluster';
import { asOwner } from '../../testUtils/serverOwner';
import { runAmcheck } from './amcheck';

// pg_amcheck of the PostgreSQL installation against a real cluster: clean,
// then with a heap page whose line pointers were overwritten on disk (what a
// bad disk or a broken copy does). The drill runs the same function on its
// scratch copy.

jest.setTimeout(60_000);

let root: string;
let cluster: SourceCluster;

function amcheck() {
  return runAmcheck({
    binDir: BIN,
    connection: {
      host: cluster.socketDir,
      port: cluster.port,
      user: 'postgres',
      database: 'shop',
    },
    jobs: 1,
  });
}

beforeAll(async () => {
  await requirePostgresPrograms(['initdb', 'pg_ctl', 'pg_amcheck', 'psql']);
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'opsdeck-amcheck-it-'));
  await fs.chmod(root, 0o755);
  cluster = await SourceCluster.start({
    root,
    firstPort: Number(process.env.OPSDECK_AMCHECK_IT_FIRST_PORT ?? 5800),
  });
  await cluster.psql('postgres', { command: 'CREATE DATABASE shop' });
  await cluster.psql('shop', {
    command: `CREATE TABLE items (id int PRIMARY KEY, name text NOT NULL);
      INSERT INTO items SELECT g, 'item ' || g FROM generate_series(1, 2000) g;
      CREATE TABLE untouched (id int PRIMARY KEY);
      INSERT INTO untouched SELECT generate_series(1, 100);`,
  });
});

afterAll(async () => {
  await cluster?.stop();
  if (root) {
    await fs.rm(root, { recursive: true, force: true });
  }
});

describe('runAmcheck', () => {
  it('finds nothing on a sound database, installing amcheck there', async () => {
    expect(await amcheck()).toEqual([]);
    expect(
      await cluster.psql('shop', {
        command: "SELECT count(*) FROM pg_extension WHERE extname = 'amcheck'",
      }),
    ).toBe('1');
  });

  it('names the table and the problem of a corrupted heap page', async () => {
    const file = path.join(
      cluster.dir,
      'data',
      await cluster.psql('shop', {
        command: "SELECT pg_relation_filepath('items')",
      }),
    );
    const data = path.join(cluster.dir, 'data');
    await asOwner(path.join(BIN, 'pg_ctl'), [
      'stop',
      `--pgdata=${data}`,
      '--mode=fast',
      '--wait',
    ]);
    // The line pointers of the first page follow its 24-byte header. Make
    // the first four point past the end of the page: lp_off 32752, lp_flags
    // 1 (normal), lp_len 64, little-endian bit fields.
    const pointer = 32752 | (1 << 15) | (64 << 17);
    const pointers = Buffer.alloc(16);
    for (let index = 0; index < 4; index++) {
      pointers.writeUInt32LE(pointer, index * 4);
    }
    const handle = await fs.open(file, 'r+');
    try {
      await handle.write(pointers, 0, 16, 24);
    } finally {
      await handle.close();
    }
    await asOwner(path.join(BIN, 'pg_ctl'), [
      'start',
      `--pgdata=${data}`,
      '--wait',
      `--log=${path.join(cluster.dir, 'server.log')}`,
    ]);

    const findings = await amcheck();
    expect(findings.length).toBeGreaterThan(0);
    expect(findings.map(finding => finding.relation)).toEqual(
      expect.arrayContaining(['public.items']),
    );
    expect(findings.map(finding => finding.relation)).not.toContain(
      'public.untouched',
    );
    expect(findings[0]).toEqual(
      expect.objectContaining({
        kind: 'heap table',
        location: expect.stringMatching(/^block 0, offset \d+/),
        problem: expect.stringMatching(/line pointer/),
      }),
    );
  });
});
