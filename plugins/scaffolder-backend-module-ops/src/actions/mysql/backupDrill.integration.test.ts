import fs from 'node:fs/promises';
import path from 'node:path';
import { MARIADB_MISSING } from '../../mysql/testUtils/mariadbTestServer';
import {
  drillOf,
  editedDump,
  editSql,
  expectBlamesTheBackup,
  expectNothingLeft,
  ROWS,
  startMysqlDrillWorld,
  whileWriting,
  world,
} from '../../__testUtils__/mysqlDrillWorld';

// ops:mysql:backup-drill against a real MariaDB source and its nightly-style
// dump (__testUtils__/mysqlDrillWorld.ts), with the drill's own scratch instances: it
// passes while the source takes writes, and fails naming what the backup
// lacks; nothing is left behind either way.

jest.setTimeout(300_000);

const describeWithMariadb = MARIADB_MISSING ? describe.skip : describe;

describeWithMariadb(`ops:mysql:backup-drill${MARIADB_MISSING ?? ''}`, () => {
  let stopWorld: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    stopWorld = await startMysqlDrillWorld();
  });
  afterAll(() => stopWorld?.());

  it('passes on a nightly dump without manifest while the source takes writes, reporting drift as information', async () => {
    const { opsClient, workDir, action, ctx } = await drillOf('nightly');
    const context = ctx();
    await whileWriting(() => action.handler(context));

    expect(opsClient.finalSteps()).toEqual([
      ['Find latest backup', 'succeeded'],
      ['Create scratch instance', 'succeeded'],
      ['Restore', 'succeeded'],
      ['Verify', 'succeeded'],
      ['Clean up', 'succeeded'],
    ]);
    const update = opsClient.lastUpdate();
    expect(update.status).toBe('passed');
    expect(update.verification?.filter(item => !item.passed)).toEqual([]);
    const names = update.verification?.map(item => item.name) ?? [];
    expect(names).toEqual(
      expect.arrayContaining([
        'row count of tasks',
        'views present',
        'routines present',
        'triggers present',
        'events present',
        'stable rows of tasks',
        'stable rows of notes',
        'check open tasks',
        'check no orphan notes',
      ]),
    );
    expect(
      update.verification?.find(item => item.name === 'stable rows of notes')
        ?.actual,
    ).toBe(`${ROWS} rows, equal`);
    // The writer's changes since the dump are reported, and pass.
    expect(
      update.verification?.filter(item =>
        /drift since the backup/.test(item.actual ?? ''),
      ).length,
    ).toBeGreaterThan(0);
    expect(opsClient.step('Verify')?.output).toContain(
      'the dump has no manifest: differences since the dump are drift',
    );
    expect(context.output).toHaveBeenCalledWith('passed', true);
    expect(update.report).toContain(
      '## PASSED: backup-restore drill of maintenance-db',
    );
    await expectNothingLeft(workDir, opsClient);
  });

  it('takes a dump with its manifest first and passes against the manifest exactly while the source takes writes', async () => {
    const backups = path.join(world.root, 'backups', 'taken');
    await fs.mkdir(backups);
    const { opsClient, workDir, action, ctx } = await drillOf('taken', {
      backupDirectory: backups,
      check: true,
    });
    await whileWriting(() => action.handler(ctx({ takeBackup: true })));

    expect(opsClient.finalSteps()).toEqual([
      ['Take backup', 'succeeded'],
      ['Find latest backup', 'succeeded'],
      ['Create scratch instance', 'succeeded'],
      ['Restore', 'succeeded'],
      ['Verify', 'succeeded'],
      ['Clean up', 'succeeded'],
    ]);
    const update = opsClient.lastUpdate();
    expect(update.status).toBe('passed');
    expect(update.verification?.filter(item => !item.passed)).toEqual([]);
    expect(update.verification?.map(item => item.name)).toEqual(
      expect.arrayContaining([
        'rows of audit',
        'rows of notes',
        'rows of tasks',
        'mariadb-check',
      ]),
    );
    expect(opsClient.step('Verify')?.output).toMatch(
      /^Against the dump's manifest.*, and mariadb-check of the copy: /,
    );
    expect((await fs.readdir(backups)).sort()).toEqual([
      expect.stringMatching(/^maintenance-db-.*\.sql\.gz$/),
      expect.stringMatching(/^maintenance-db-.*\.sql\.gz\.manifest\.json$/),
    ]);
    await expectNothingLeft(workDir, opsClient);
  });

  it("fails naming the table when the dump lacks the table's rows, with and without a manifest", async () => {
    // Without a manifest: the stable rows of notes are dated before the dump.
    const withoutManifest = await drillOf('no-notes', {
      backupDirectory: await editedDump(
        'no-notes-rows',
        editSql(sql =>
          sql.replace(/^INSERT INTO `notes` VALUES[\s\S]*?\);$/gm, ''),
        ),
      ),
    });
    await expect(
      withoutManifest.action.handler(withoutManifest.ctx()),
    ).rejects.toThrow(
      /stable rows of notes \(created_at before .*\): 5000 missing of the source's 5000 rows in the restored copy \(by primary key\); these rows predate the backup/,
    );
    const update = withoutManifest.opsClient.lastUpdate();
    expect(update.status).toBe('failed');
    expect(
      update.verification?.filter(item => !item.passed).map(item => item.name),
    ).toEqual(expect.arrayContaining(['stable rows of notes']));
    await expectNothingLeft(withoutManifest.workDir, withoutManifest.opsClient);

    // With a manifest (taken by the drill's own dump, then edited).
    const taken = path.join(world.root, 'backups', 'taken');
    const [dump] = (await fs.readdir(taken)).filter(f => f.endsWith('.gz'));
    const edited = path.join(world.root, 'backups', 'taken-no-notes');
    await fs.mkdir(edited);
    await fs.writeFile(
      path.join(edited, dump),
      editSql(sql =>
        sql.replace(/^INSERT INTO `notes` VALUES[\s\S]*?\);$/gm, ''),
      )(await fs.readFile(path.join(taken, dump))),
    );
    await fs.copyFile(
      path.join(taken, `${dump}.manifest.json`),
      path.join(edited, `${dump}.manifest.json`),
    );
    const withManifest = await drillOf('no-notes-manifest', {
      backupDirectory: edited,
      stableRows: false,
    });
    await expect(
      withManifest.action.handler(withManifest.ctx()),
    ).rejects.toThrow(
      `table notes: the restored copy has 0 rows, the backup's manifest ${ROWS}`,
    );
    expect(
      withManifest.opsClient
        .lastUpdate()
        .verification?.filter(item => !item.passed)
        .map(item => item.name),
    ).toEqual(['rows of notes']);
    await expectNothingLeft(withManifest.workDir, withManifest.opsClient);
  });

  it('fails at Restore with the client error when a statement in the middle of the dump is garbled', async () => {
    const { opsClient, workDir, action, ctx } = await drillOf('garbled', {
      backupDirectory: await editedDump(
        'garbled',
        editSql(sql =>
          sql.replace(
            /^INSERT INTO `notes` VALUES/m,
            'INSERT INTO `notes` VALUSE',
          ),
        ),
      ),
    });
    await expect(action.handler(ctx())).rejects.toThrow(
      /Restore failed: mariadb exited with code 1 restoring maintenance-db-nightly\.sql\.gz: ERROR 1064 \(42000\) at line \d+: You have an error in your SQL syntax.*near 'VALUSE/,
    );
    expect(opsClient.finalSteps()).toEqual([
      ['Find latest backup', 'succeeded'],
      ['Create scratch instance', 'succeeded'],
      ['Restore', 'failed'],
      ['Verify', 'skipped'],
      ['Clean up', 'succeeded'],
    ]);
    expect(opsClient.lastUpdate().status).toBe('failed');
    expectBlamesTheBackup(opsClient);
    await expectNothingLeft(workDir, opsClient);
  });

  it('fails at Restore when the .sql.gz is truncated', async () => {
    const { opsClient, workDir, action, ctx } = await drillOf('truncated', {
      backupDirectory: await editedDump('truncated', gz =>
        gz.subarray(0, Math.floor(gz.length / 2)),
      ),
    });
    await expect(action.handler(ctx())).rejects.toThrow(
      'Restore failed: The dump maintenance-db-nightly.sql.gz could not be read to its end (unexpected end of file); the restore was stopped',
    );
    expect(opsClient.step('Restore')?.status).toBe('failed');
    expectBlamesTheBackup(opsClient);
    await expectNothingLeft(workDir, opsClient);
  });
});
