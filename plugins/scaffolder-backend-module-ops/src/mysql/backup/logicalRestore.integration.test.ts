import fs from 'node:fs/promises';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { runCommand } from '../../postgres/processes';
import { processesOfInstance } from '../../postgres/scratch/serverProcesses';
import { mysqlEnvironment } from '../scratch/programEnvironment';
import { MysqlScratchInstance } from '../scratch/scratchInstance';
import {
  instanceOptions,
  makeWorkDir,
  MARIADB_BIN,
  MARIADB_MISSING,
  startedInstance,
} from '../testUtils/mariadbTestServer';
import { findLatestDump } from './discovery';
import { restoreDump } from './logicalRestore';

// A seeded database in one real MariaDB instance (the source), dumped the
// way OpsDeck and the manual's nightly job do, restored into a second one.

jest.setTimeout(180_000);

const SEED = [
  'CREATE TABLE items (id INT PRIMARY KEY AUTO_INCREMENT, title VARCHAR(100), done BOOL, updated_at TIMESTAMP(6) DEFAULT CURRENT_TIMESTAMP(6))',
  'CREATE TABLE audit (id INT PRIMARY KEY AUTO_INCREMENT, item_id INT, note TEXT)',
  "INSERT INTO items (title, done) SELECT CONCAT('task ', seq), seq % 2 FROM seq_1_to_5000",
  "INSERT INTO audit (item_id, note) SELECT seq, REPEAT('x', 200) FROM seq_1_to_2000",
  'CREATE VIEW open_items AS SELECT id, title FROM items WHERE NOT done',
  'CREATE PROCEDURE close_item(p INT) UPDATE items SET done = 1 WHERE id = p',
  "CREATE TRIGGER items_audit AFTER UPDATE ON items FOR EACH ROW INSERT INTO audit (item_id, note) VALUES (NEW.id, 'updated')",
  'CREATE EVENT purge_audit ON SCHEDULE EVERY 1 DAY DO DELETE FROM audit WHERE id < 0',
];

const OUTLINE = `SELECT
  (SELECT COUNT(*) FROM items) AS items,
  (SELECT COUNT(*) FROM audit) AS audit,
  (SELECT COUNT(*) FROM open_items) AS open_items,
  (SELECT COUNT(*) FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = 'tasks') AS routines,
  (SELECT COUNT(*) FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = 'tasks') AS triggers,
  (SELECT COUNT(*) FROM information_schema.EVENTS WHERE EVENT_SCHEMA = 'tasks') AS events,
  (SELECT SUM(CRC32(CONCAT_WS('|', id, title, done, updated_at))) FROM items) AS items_crc`;

const describeWithMariadb = MARIADB_MISSING ? describe.skip : describe;

describeWithMariadb(`restoreDump${MARIADB_MISSING ?? ''}`, () => {
  let workDir: string;
  let backupDir: string;
  let source: MysqlScratchInstance;
  let copy: MysqlScratchInstance | undefined;
  let sourceOutline: unknown;

  async function outline(instance: MysqlScratchInstance) {
    const connection = await instance.connection('tasks');
    try {
      const [rows] = await connection.query(OUTLINE);
      return rows;
    } finally {
      await connection.end();
    }
  }

  async function dump(file: string, extra: string[] = []) {
    await runCommand(
      {
        file: path.join(MARIADB_BIN, 'mariadb-dump'),
        args: [
          ...source.clientArgs(),
          '--single-transaction',
          '--routines',
          '--triggers',
          '--events',
          `--result-file=${file}`,
          ...extra,
          'tasks',
        ],
      },
      { env: mysqlEnvironment() },
    );
    return file;
  }

  async function restoreNewest() {
    copy = await startedInstance(workDir);
    const backup = await findLatestDump({ directory: backupDir });
    return { backup, restored: await restoreDump({ backup, instance: copy }) };
  }

  beforeAll(async () => {
    workDir = await makeWorkDir();
    backupDir = path.join(workDir, 'backups');
    await fs.mkdir(backupDir);
    source = await startedInstance(workDir, { prefix: 'opsdeck-my-source-' });
    const connection = await source.connection();
    try {
      await connection.query('CREATE DATABASE tasks');
      await connection.query('USE tasks');
      for (const statement of SEED) {
        await connection.query(statement);
      }
    } finally {
      await connection.end();
    }
    sourceOutline = await outline(source);
  });

  afterEach(async () => {
    if (copy) {
      const proof = await copy.destroy();
      copy = undefined;
      if (!proof.clean) {
        throw new Error(proof.summary);
      }
    }
    for (const name of await fs.readdir(backupDir)) {
      await fs.rm(path.join(backupDir, name));
    }
  });

  afterAll(async () => {
    const proof = await source.destroy();
    await MysqlScratchInstance.removeLeftovers(instanceOptions(workDir));
    await fs.rm(workDir, { recursive: true, force: true });
    if (!proof.clean) {
      throw new Error(proof.summary);
    }
  });

  it('restores a single-database dump into a database it creates: rows, view, routine, trigger and event all there', async () => {
    await dump(path.join(backupDir, 'tasks.sql'));

    const { restored } = await restoreNewest();

    expect(restored.database).toBe('tasks');
    expect(restored.output).toMatch(/created for the single-database dump/);
    expect(await outline(copy!)).toEqual(sourceOutline);
    expect(sourceOutline).toEqual([
      expect.objectContaining({
        items: '5000',
        audit: '2000',
        routines: '1',
        triggers: '1',
        events: '1',
      }),
    ]);
  });

  it('restores a gzipped --databases dump, which creates its database itself', async () => {
    const plain = await dump(path.join(workDir, 'tasks.sql'), ['--databases']);
    await fs.writeFile(
      path.join(backupDir, 'tasks.sql.gz'),
      gzipSync(await fs.readFile(plain)),
    );
    await fs.rm(plain);

    const { backup, restored } = await restoreNewest();

    expect(backup.dump).toMatchObject({
      compressed: true,
      createsDatabase: true,
    });
    expect(restored.database).toBe('tasks');
    expect(await outline(copy!)).toEqual(sourceOutline);
  });

  it('fails on a corrupted dump, naming the line of the broken statement', async () => {
    const file = await dump(path.join(backupDir, 'tasks.sql'));
    const lines = (await fs.readFile(file, 'utf8')).split('\n');
    const insert = lines.findIndex(line =>
      line.startsWith('INSERT INTO `audit`'),
    );
    lines[insert] = lines[insert].replace('INSERT INTO', 'INSERT INOT');
    await fs.writeFile(file, lines.join('\n'));

    await expect(restoreNewest()).rejects.toThrow(
      `mariadb exited with code 1 restoring tasks.sql: ERROR 1064 (42000) at line ${
        insert + 1
      }`,
    );
  });

  it('fails on a corrupted gzipped dump the same way', async () => {
    const plain = await dump(path.join(workDir, 'tasks.sql'));
    const text = (await fs.readFile(plain, 'utf8')).replace(
      'INSERT INTO `items`',
      'INSERT INOT `items`',
    );
    await fs.rm(plain);
    await fs.writeFile(path.join(backupDir, 'tasks.sql.gz'), gzipSync(text));

    await expect(restoreNewest()).rejects.toThrow(
      /^mariadb exited with code 1 restoring tasks\.sql\.gz: ERROR 1064 \(42000\) at line \d+/,
    );
  });

  it('fails on a truncated .gz, saying the dump could not be read to its end', async () => {
    const plain = await dump(path.join(workDir, 'tasks.sql'));
    const whole = gzipSync(await fs.readFile(plain));
    await fs.rm(plain);
    await fs.writeFile(
      path.join(backupDir, 'tasks.sql.gz'),
      whole.subarray(0, Math.floor(whole.length / 2)),
    );

    await expect(restoreNewest()).rejects.toThrow(
      /The dump tasks\.sql\.gz could not be read to its end \(unexpected end of file\)/,
    );
  });

  it('kills the client when the restore is cancelled mid-way, leaving only the server running', async () => {
    // A dump large enough to still be loading when the cancel comes.
    const rows = Array.from(
      { length: 2000 },
      (_, row) => `(${row},'${'y'.repeat(500)}')`,
    ).join(',');
    const inserts = Array.from(
      { length: 60 },
      (_, batch) =>
        `INSERT INTO big VALUES ${rows.replace(
          /\((\d+),/g,
          (_m, id) => `(${batch * 2000 + Number(id)},`,
        )};`,
    ).join('\n');
    await fs.writeFile(
      path.join(backupDir, 'big.sql'),
      `-- MariaDB dump 10.19\n--\n-- Host: localhost    Database: big\n\nCREATE TABLE big (id INT PRIMARY KEY, pad TEXT);\n${inserts}\n`,
    );
    copy = await startedInstance(workDir);
    const backup = await findLatestDump({ directory: backupDir });
    const controller = new AbortController();
    const restoring = restoreDump({
      backup,
      instance: copy,
      signal: controller.signal,
    });
    await new Promise(resolve => setTimeout(resolve, 300));
    controller.abort();

    await expect(restoring).rejects.toThrow('mariadb was cancelled');
    const left = await processesOfInstance(copy.rootDir, undefined);
    const commands = await Promise.all(
      left.map(pid => fs.readFile(`/proc/${pid}/cmdline`, 'utf8')),
    );
    expect(
      commands.map(command => path.basename(command.split('\0')[0])),
    ).toEqual(['mariadbd']);
  });
});
