import fs from 'node:fs/promises';
import path from 'node:path';
import { MARIADB_MISSING } from '../../mysql/testUtils/mariadbTestServer';
import { findFreeLoopbackPort } from '../../postgres/scratch/network';
import {
  drillOf,
  editedDump,
  editSql,
  startMysqlDrillWorld,
  world,
} from '../../__testUtils__/mysqlDrillWorld';

// Bad MySQL targets refused before a scratch instance exists, against a real
// MariaDB source (__testUtils__/mysqlDrillWorld.ts): an unreachable source
// is refused before anything is recorded; a missing or too old dump is a
// finding of the drill (recorded as failed at "Find latest backup", as for
// PostgreSQL), with no scratch directory made.

jest.setTimeout(300_000);

/** The drill's record: found no backup to restore, made no scratch instance. */
function expectRefusedBeforeRestoring(
  drill: Awaited<ReturnType<typeof drillOf>>,
) {
  expect(drill.opsClient.finalSteps()).toEqual([
    ['Find latest backup', 'failed'],
    ['Create scratch instance', 'skipped'],
    ['Restore', 'skipped'],
    ['Verify', 'skipped'],
    ['Clean up', 'succeeded'],
  ]);
  expect(drill.opsClient.step('Clean up')?.output).toBe(
    'No scratch instance was created',
  );
  expect(drill.opsClient.lastUpdate().status).toBe('failed');
}

const describeWithMariadb = MARIADB_MISSING ? describe.skip : describe;

describeWithMariadb(
  `ops:mysql:backup-drill refusals${MARIADB_MISSING ?? ''}`,
  () => {
    let stopWorld: (() => Promise<void>) | undefined;
    beforeAll(async () => {
      stopWorld = await startMysqlDrillWorld();
    });
    afterAll(() => stopWorld?.());

    it('refuses an unreachable source before recording anything or making a directory', async () => {
      const port = await findFreeLoopbackPort();
      const drill = await drillOf('unreachable', { port });
      await expect(drill.action.handler(drill.ctx())).rejects.toThrow(
        new RegExp(
          `^Cannot reach backup@127\\.0\\.0\\.1:${port}/maintenance \\(ops\\.databases\\.maintenance-db\\.primary\\), which the drill compares the restored copy with: .*ECONNREFUSED`,
        ),
      );
      expect(drill.opsClient.calls).toEqual([]);
      expect(await fs.readdir(drill.workDir)).toEqual([]);
    });

    it('refuses a dry run against an unreachable source too', async () => {
      const drill = await drillOf('unreachable-dry-run', {
        port: await findFreeLoopbackPort(),
      });
      const ctx = drill.ctx();
      (ctx as { isDryRun?: boolean }).isDryRun = true;
      await expect(drill.action.handler(ctx)).rejects.toThrow(/^Cannot reach /);
      expect(drill.opsClient.calls).toEqual([]);
    });

    it('finds no dump in an empty backup directory, naming the directory', async () => {
      const empty = path.join(world.root, 'backups', 'empty');
      await fs.mkdir(empty, { recursive: true });
      const drill = await drillOf('empty', { backupDirectory: empty });
      await expect(drill.action.handler(drill.ctx())).rejects.toThrow(
        /^Backup drill of maintenance-db failed: Find latest backup failed: .*empty/,
      );
      expectRefusedBeforeRestoring(drill);
      expect(await fs.readdir(drill.workDir)).toEqual([]);
    });

    it('finds no dump when the backup directory is missing, naming it', async () => {
      const drill = await drillOf('missing', {
        backupDirectory: path.join(world.root, 'backups', 'never-written'),
      });
      await expect(drill.action.handler(drill.ctx())).rejects.toThrow(
        /^Backup drill of maintenance-db failed: Find latest backup failed: .*never-written/,
      );
      expectRefusedBeforeRestoring(drill);
      expect(await fs.readdir(drill.workDir)).toEqual([]);
    });

    it('refuses to restore a dump older than the RPO objective', async () => {
      // The dump's own header dates it; a week-old nightly dump.
      const stale = await editedDump(
        'stale',
        editSql(sql =>
          sql.replace(
            /^-- Dump completed on .*$/m,
            `-- Dump completed on ${new Date(Date.now() - 7 * 86_400_000)
              .toISOString()
              .replace('T', ' ')
              .slice(0, 19)}`,
          ),
        ),
      );
      const drill = await drillOf('stale', {
        backupDirectory: stale,
        rpoMinutes: 60,
      });
      await expect(drill.action.handler(drill.ctx())).rejects.toThrow(
        /Find latest backup failed: .*more than the RPO objective 1h/,
      );
      expectRefusedBeforeRestoring(drill);
      expect(drill.opsClient.lastUpdate().rpoSeconds).toBeGreaterThan(
        6 * 86_400,
      );
      expect(await fs.readdir(drill.workDir)).toEqual([]);
    });
  },
);
