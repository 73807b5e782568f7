import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import {
  ScratchInstance,
  TEMPLATE_PREFIX,
  templateName,
} from './scratchInstance';
import {
  BIN,
  processesNaming,
  requirePostgresPrograms,
} from '../../__testUtils__/postgresTestCluster';
import { RUN_AS } from '../../testUtils/serverOwner';

// Real PostgreSQL 15 scratch instances (as the postgres user when the tests
// run as root) on free loopback ports, in a work directory of their own.

jest.setTimeout(60_000);

let workDir: string;

beforeAll(async () => {
  await requirePostgresPrograms(['initdb', 'pg_ctl', 'postgres']);
});

beforeEach(async () => {
  workDir = await fs.mkdtemp(path.join(os.tmpdir(), 'opsdeck-scratch-it-'));
  await fs.chmod(workDir, 0o755);
});

afterEach(async () => {
  await fs.rm(workDir, { recursive: true, force: true });
});

async function settings(instance: ScratchInstance, names: string[]) {
  const client = new Client(instance.connection('template1'));
  await client.connect();
  try {
    const shown: Record<string, string> = {};
    for (const name of names) {
      const { rows } = await client.query(
        'SELECT setting FROM pg_settings WHERE name = $1',
        [name],
      );
      shown[name] = rows[0]?.setting;
    }
    const { rows } = await client.query(
      'SELECT datname FROM pg_database ORDER BY datname',
    );
    shown.databases = rows.map(row => row.datname).join(', ');
    return shown;
  } finally {
    await client.end();
  }
}

describe('ScratchInstance', () => {
  it('copies one template cluster, built once even by instances started together, never started, replacing only an older one of its installation', async () => {
    const { installation, name } = await templateName({
      binDir: BIN,
      runAsUser: RUN_AS,
    });
    const older = `${TEMPLATE_PREFIX}${installation}-000000000000`;
    const otherInstallation = `${TEMPLATE_PREFIX}${
      installation === 'ffffffff' ? 'eeeeeeee' : 'ffffffff'
    }-000000000000`;
    await fs.mkdir(path.join(workDir, older));
    await fs.mkdir(path.join(workDir, otherInstallation));

    const instances = await Promise.all(
      [1, 2].map(() =>
        ScratchInstance.create({
          binDir: BIN,
          workDir,
          runAsUser: RUN_AS,
          prefix: 'opsdeck-scratch-it-',
        }),
      ),
    );
    try {
      await Promise.all(instances.map(instance => instance.start()));

      expect(instances.map(instance => instance.template?.name)).toEqual([
        name,
        name,
      ]);
      // Both may have built one; only the first rename counted.
      expect(
        instances.filter(instance => instance.template?.built),
      ).toHaveLength(1);
      for (const instance of instances) {
        expect((await fs.stat(instance.dataDir)).mode & 0o777).toBe(0o700);
        expect(
          await settings(instance, [
            'wal_level',
            'max_wal_senders',
            'autovacuum',
            'fsync',
            'wal_segment_size',
          ]),
        ).toEqual({
          wal_level: 'minimal',
          max_wal_senders: '0',
          autovacuum: 'off',
          fsync: 'on',
          wal_segment_size: String(1024 * 1024),
          // The template has no postgres database, so neither has a copy.
          databases: 'template0, template1',
        });
      }
      expect(await processesNaming(path.join(workDir, name))).toEqual([]);
      expect(
        await fs
          .access(path.join(workDir, name, 'data', 'postmaster.pid'))
          .then(
            () => true,
            () => false,
          ),
      ).toBe(false);
    } finally {
      const proofs = await Promise.all(
        instances.map(instance => instance.destroy()),
      );
      expect(proofs.map(proof => proof.clean)).toEqual([true, true]);
    }

    expect((await fs.readdir(workDir)).sort()).toEqual(
      [name, otherInstallation].sort(),
    );

    // The next instance copies the kept template instead of building one.
    const next = await ScratchInstance.create({
      binDir: BIN,
      workDir,
      runAsUser: RUN_AS,
      prefix: 'opsdeck-scratch-it-',
    });
    try {
      await next.start();
      expect(next.template).toEqual({ name, built: false });
    } finally {
      expect((await next.destroy()).clean).toBe(true);
    }
  });

  it.each([
    ['a file', path.join('base', '1', 'PG_VERSION')],
    ['a directory', 'global'],
  ])('builds the template anew when a kept one lost %s', async (_, lost) => {
    const options = {
      binDir: BIN,
      workDir,
      runAsUser: RUN_AS,
      prefix: 'opsdeck-scratch-it-',
    };
    const first = await ScratchInstance.create(options);
    await first.start();
    expect((await first.destroy()).clean).toBe(true);
    const name = first.template!.name;
    // What a temporary-directory cleaner does to files unused for days.
    await fs.rm(path.join(workDir, name, 'data', lost), { recursive: true });

    const next = await ScratchInstance.create(options);
    try {
      await next.start();
      expect(next.template).toEqual({ name, built: true });
      expect(
        await fs.readFile(
          path.join(next.dataDir, 'base', '1', 'PG_VERSION'),
          'utf8',
        ),
      ).toBe('15\n');
      expect(
        (await fs.readdir(path.join(next.dataDir, 'global'))).length,
      ).toBeGreaterThan(50);
    } finally {
      expect((await next.destroy()).clean).toBe(true);
    }
    expect(await fs.readdir(workDir)).toEqual([name]);
  });

  it('removing the leftovers of a drill never touches the template', async () => {
    const prefix = 'opsdeck-drill-0123456789ab-';
    const leftover = await ScratchInstance.create({
      binDir: BIN,
      workDir,
      runAsUser: RUN_AS,
      prefix,
    });
    await leftover.start();

    const proofs = await ScratchInstance.removeLeftovers({
      binDir: BIN,
      workDir,
      runAsUser: RUN_AS,
      prefix,
    });

    expect(proofs.map(proof => proof.clean)).toEqual([true]);
    expect(await fs.readdir(workDir)).toEqual([leftover.template?.name]);
  });
});
