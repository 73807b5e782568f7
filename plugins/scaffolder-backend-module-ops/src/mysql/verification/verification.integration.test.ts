import fs from 'node:fs/promises';
import path from 'node:path';
import type { Connection } from 'mysql2/promise';
import { dumpMysqlWithManifest } from '../backup/take';
import { connectToEndpoint } from '../connections';
import {
  MysqlScratchInstance,
  scratchClientUser,
} from '../scratch/scratchInstance';
import {
  instanceOptions,
  makeWorkDir,
  MARIADB_BIN,
  MARIADB_MISSING,
  startedInstance,
} from '../testUtils/mariadbTestServer';
import {
  BACKUP_PASSWORD,
  BACKUP_USER,
  DATABASE,
  restoreAsTheDrill,
  seedSource,
  startWriter,
} from './testing/liveSource';
import { readOutline } from './outline';
import { verifyRestoredMysqlCopy } from './verification';

// A real MariaDB source taking writes while it is dumped, and a real scratch
// copy the dump is restored into (both on free loopback ports, in a work
// directory of their own, as the mysql user when the tests run as root).

jest.setTimeout(300_000);

const ROWS = 20_000;
let workDir: string;
let source: MysqlScratchInstance;
let sourceAdmin: Connection;
let dumpPath: string;
let backupTime: Date;
let writesDuringDump: number;

function endpoint() {
  return {
    host: '127.0.0.1',
    port: source.port!,
    database: DATABASE,
    user: BACKUP_USER,
    password: BACKUP_PASSWORD,
  };
}

/** A fresh copy with the dump restored (edited), verified, then destroyed. */
async function verifyCopy(options: {
  manifest: boolean;
  edit?: (sql: string) => string;
  stableRows?: Array<{ table: string; column: string }>;
  checks?: Array<{ name: string; sql: string; expect?: string }>;
}) {
  const copy = await startedInstance(workDir);
  const sourceSession = await connectToEndpoint(endpoint());
  let restored: Connection | undefined;
  try {
    await restoreAsTheDrill(copy, dumpPath, options.edit);
    restored = await copy.connection(DATABASE);
    const manifest = options.manifest
      ? JSON.parse(await fs.readFile(`${dumpPath}.manifest.json`, 'utf8'))
      : undefined;
    const result = await verifyRestoredMysqlCopy({
      restored,
      restoredDatabase: DATABASE,
      manifest,
      source: sourceSession,
      sourceDatabase: DATABASE,
      backupTime,
      checks: options.checks ?? [
        { name: 'open tasks', sql: 'SELECT open_count()' },
        {
          name: 'no orphan notes',
          sql: 'SELECT COUNT(*) FROM notes WHERE task_id > 1000000',
          expect: '0',
        },
      ],
      samplesPerTable: 20,
      stableRows: options.stableRows ?? [],
      tableCheck: {
        binDir: MARIADB_BIN,
        socket: copy.paths.socket,
        user: scratchClientUser(),
      },
    });
    const outline = await readOutline(restored, DATABASE);
    return {
      ...result,
      outline,
      failures: result.verification.filter(item => !item.passed),
    };
  } finally {
    await restored?.end();
    await sourceSession.end();
    expect((await copy.destroy()).clean).toBe(true);
  }
}

const describeWithMariadb = MARIADB_MISSING ? describe.skip : describe;

describeWithMariadb(`verifyRestoredMysqlCopy${MARIADB_MISSING ?? ''}`, () => {
  beforeAll(async () => {
    workDir = await makeWorkDir();
    source = await startedInstance(workDir);
    sourceAdmin = await source.connection();
    await seedSource(sourceAdmin, ROWS);
    const backups = path.join(workDir, 'backups');
    await fs.mkdir(backups);
    dumpPath = path.join(backups, 'maintenance-db-20261203T050000Z.sql.gz');

    // The dump and its manifest while a writer keeps changing the source.
    const writerSession = await source.connection();
    const writer = startWriter(writerSession);
    await new Promise(resolve => setTimeout(resolve, 300));
    const before = writer.statements();
    const taken = await dumpMysqlWithManifest({
      endpoint: endpoint(),
      binDir: MARIADB_BIN,
      file: dumpPath,
    });
    writesDuringDump = writer.statements() - before;
    await new Promise(resolve => setTimeout(resolve, 300));
    await writer.stop();
    await writerSession.end();
    backupTime = new Date(taken.manifest.snapshotTime);
  });

  afterAll(async () => {
    await sourceAdmin?.end();
    await source?.destroy();
    await MysqlScratchInstance.removeLeftovers(instanceOptions(workDir));
    await fs.rm(workDir, { recursive: true, force: true });
  });

  it('writes the dump and the manifest of its snapshot, which the live source no longer matches', async () => {
    expect((await fs.readdir(path.dirname(dumpPath))).sort()).toEqual([
      'maintenance-db-20261203T050000Z.sql.gz',
      'maintenance-db-20261203T050000Z.sql.gz.manifest.json',
    ]);
    const manifest = JSON.parse(
      await fs.readFile(`${dumpPath}.manifest.json`, 'utf8'),
    );
    expect(manifest).toMatchObject({
      engine: 'mysql',
      database: DATABASE,
      views: ['open_tasks'],
      routines: ['function open_count', 'procedure close_task'],
      triggers: ['tasks_audit'],
      events: ['purge_done'],
    });
    expect(manifest.tables.map((t: any) => t.table)).toEqual([
      'audit',
      'notes',
      'tasks',
    ]);
    expect(writesDuringDump).toBeGreaterThan(0);
    // The writer went on after the snapshot: the source moved on.
    const now = await readOutline(sourceAdmin, DATABASE);
    const tasks = manifest.tables.find((t: any) => t.table === 'tasks');
    expect(now.contents.get('tasks')).not.toEqual({
      rows: tasks.rows,
      checksum: tasks.checksum,
    });
  });

  it('passes a copy restored from the dump against its manifest exactly, with the checks and mariadb-check', async () => {
    const { verification, failures, summary } = await verifyCopy({
      manifest: true,
    });
    expect(failures).toEqual([]);
    expect(verification.map(item => item.name)).toEqual([
      'rows of audit',
      'rows of notes',
      'rows of tasks',
      'views present',
      'routines present',
      'triggers present',
      'events present',
      'sampled rows of audit',
      'sampled rows of notes',
      'sampled rows of tasks',
      'check open tasks',
      'check no orphan notes',
      'mariadb-check',
    ]);
    expect(summary).toMatch(/3 tables, rows and checksums equal on 3/);
  });

  it('without a manifest, reports the writes since the dump as drift and passes', async () => {
    const { verification, failures } = await verifyCopy({
      manifest: false,
      stableRows: [
        { table: 'tasks', column: 'updated_at' },
        { table: 'notes', column: 'created_at' },
      ],
    });
    expect(failures).toEqual([]);
    const tasks = verification.find(item => item.name === 'row count of tasks');
    expect(tasks?.actual).toMatch(
      /drift since the backup: [+-]\d+ rows? on the source/,
    );
    expect(
      verification.find(item => item.name === 'stable rows of tasks')?.actual,
    ).toMatch(/no longer on the source \(drift since the backup\)/);
    expect(
      verification.find(item => item.name === 'stable rows of notes')?.actual,
    ).toBe(`${ROWS} rows, equal`);
  });

  it("fails a dump lacking a table's rows, naming the table, with or without the manifest", async () => {
    // mariadb-dump writes a table's rows as INSERT statements over many lines.
    const withoutNotes = (sql: string) =>
      sql.replace(/^INSERT INTO `notes` VALUES[\s\S]*?\);$/gm, '');
    const withManifest = await verifyCopy({
      manifest: true,
      edit: withoutNotes,
    });
    expect(withManifest.failures.map(item => item.failure)).toEqual([
      expect.stringMatching(
        /^table notes: the restored copy has 0 rows, the backup's manifest 20000$/,
      ),
    ]);
    const againstSource = await verifyCopy({
      manifest: false,
      edit: withoutNotes,
      stableRows: [{ table: 'notes', column: 'created_at' }],
    });
    expect(againstSource.failures.map(item => item.failure)).toEqual([
      expect.stringMatching(
        /^stable rows of notes \(created_at before .*\): 20000 missing of the source's 20000 rows/,
      ),
    ]);
  });

  it('fails a check that does not hold or tries to write, and the copy keeps its rows', async () => {
    const { failures, outline } = await verifyCopy({
      manifest: true,
      checks: [
        {
          name: 'all done',
          sql: 'SELECT COUNT(*) FROM tasks WHERE done = 0',
          expect: '0',
        },
        { name: 'purge', sql: 'DELETE FROM notes' },
      ],
    });
    expect(failures.map(item => item.failure)).toEqual([
      expect.stringMatching(
        /^check all done: restored copy returned \d+, expected 0$/,
      ),
      expect.stringMatching(
        /^check purge failed on the restored copy: .*READ ONLY/,
      ),
    ]);
    expect(outline.contents.get('notes')?.rows).toBe(String(ROWS));
  });

  it('fails a dump lacking a table, naming it', async () => {
    // The table's whole section: structure, locks, rows.
    const withoutAudit = (sql: string) =>
      sql.replace(
        /-- Table structure for table `audit`[\s\S]*?(?=-- Table structure for table)/,
        '',
      );
    const { failures } = await verifyCopy({
      manifest: false,
      edit: withoutAudit,
    });
    expect(failures.map(item => item.failure)).toEqual([
      expect.stringMatching(
        /^audit is missing from the restored copy \(source has \d+ rows\)$/,
      ),
    ]);
  });
});
