import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { findLatestDump } from './discovery';
import { parseDumpCompletedAt, parseDumpHead } from './dumpText';

// The head and trailer mariadb-dump 10.11 writes (copied from its output).
const HEAD = `/*M!999999\\- enable the sandbox mode */ 
-- MariaDB dump 10.19  Distrib 10.11.19-MariaDB, for debian-linux-gnu (x86_64)
--
-- Host: localhost    Database: tasks
-- ------------------------------------------------------
-- Server version\t10.11.19-MariaDB-0+deb12u1

/*!40101 SET NAMES utf8mb4 */;
`;
const BODY = 'INSERT INTO `t` VALUES (1),(2);\n';
const trailer = (time: string) =>
  `/*!40111 SET SQL_NOTES=@OLD_SQL_NOTES */;\n\n-- Dump completed on ${time}\n`;

let directory: string;

beforeEach(async () => {
  directory = await fs.mkdtemp(path.join(os.tmpdir(), 'opsdeck-dumps-'));
});

afterEach(async () => {
  await fs.rm(directory, { recursive: true, force: true });
});

async function writeDump(
  name: string,
  text: string,
  modifiedAt = new Date('2026-12-01T00:00:00Z'),
) {
  const file = path.join(directory, name);
  await fs.writeFile(file, name.endsWith('.gz') ? gzipSync(text) : text);
  await fs.utimes(file, modifiedAt, modifiedAt);
  return file;
}

describe('parseDumpHead', () => {
  it('reads the program and the database of a single-database dump', () => {
    expect(parseDumpHead(HEAD)).toEqual({
      program: 'mariadb-dump',
      database: 'tasks',
      createsDatabase: false,
    });
  });

  it('knows mysqldump, and a dump of all databases, which creates them', () => {
    expect(
      parseDumpHead(
        '-- MySQL dump 10.13  Distrib 8.0.36, for Linux (x86_64)\n--\n-- Host: db    Database: \n\n-- Current Database: `tasks`\n',
      ),
    ).toEqual({
      program: 'mysqldump',
      database: undefined,
      createsDatabase: true,
    });
  });
});

describe('parseDumpCompletedAt', () => {
  it("reads the space-padded hour as the backend's local time", () => {
    expect(parseDumpCompletedAt(trailer('2026-12-03  4:51:12'))).toEqual(
      new Date(2026, 11, 3, 4, 51, 12),
    );
  });

  it('reads nothing from a dump without its trailer or its date', () => {
    expect(parseDumpCompletedAt(BODY)).toBeUndefined();
    expect(parseDumpCompletedAt('-- Dump completed\n')).toBeUndefined();
  });
});

describe('findLatestDump', () => {
  it("picks the newest dump by its own trailer, not by the file's time", async () => {
    // Copied later (newer file time) but dumped earlier.
    await writeDump(
      'copied.sql',
      HEAD + BODY + trailer('2026-11-30 23:00:00'),
      new Date('2026-12-02T12:00:00Z'),
    );
    const newest = await writeDump(
      'nightly.sql.gz',
      HEAD + BODY + trailer('2026-12-01 23:00:05'),
      new Date('2026-12-01T00:00:00Z'),
    );
    await writeDump('notes.txt', 'not a dump');
    await writeDump('.nightly.sql.tmp', HEAD + BODY);

    const found = await findLatestDump({ directory });

    expect(found).toMatchObject({
      label: 'nightly.sql.gz',
      type: 'mariadb-dump',
      stoppedAt: new Date(2026, 11, 1, 23, 0, 5),
      stoppedAtSource: 'completion trailer (local time)',
      recoverableUntil: new Date(2026, 11, 1, 23, 0, 5),
      database: 'tasks',
      manifestBeside: `${newest}.manifest.json`,
      dump: {
        path: newest,
        compressed: true,
        database: 'tasks',
        createsDatabase: false,
      },
    });
    expect(found.summary).toContain(`${newest} (mariadb-dump, gzip)`);
  });

  it('falls back to the file time for a dump without a trailer, and says so', async () => {
    const modifiedAt = new Date('2026-12-02T08:00:00Z');
    await writeDump('old.sql', HEAD + BODY + trailer('2026-11-01 01:00:00'));
    await writeDump('cut.sql', HEAD + BODY, modifiedAt);

    const found = await findLatestDump({ directory });

    expect(found.label).toBe('cut.sql');
    expect(found.stoppedAt).toEqual(modifiedAt);
    expect(found.stoppedAtSource).toBe('file time');
    expect(found.summary).toContain('it has no completion trailer');
  });

  it('still returns the newest dump when its gzip stream is damaged, naming the damage', async () => {
    const whole = gzipSync(
      HEAD + BODY.repeat(1000) + trailer('2026-12-01 01:00:00'),
    );
    const file = path.join(directory, 'broken.sql.gz');
    await fs.writeFile(file, whole.subarray(0, whole.length - 40));

    const found = await findLatestDump({ directory });

    expect(found.label).toBe('broken.sql.gz');
    expect(found.database).toBe('tasks');
    expect(found.dump.unreadable).toMatch(/unexpected end of file/);
    expect(found.summary).toMatch(/gzip stream is damaged/);
  });

  it('decompresses only the newest three .sql.gz by file time to read their trailers', async () => {
    // The oldest file claims the newest trailer: it is never decompressed.
    await writeDump(
      'day1.sql.gz',
      HEAD + BODY + trailer('2026-11-30 23:00:00'),
      new Date('2026-11-01T23:00:01Z'),
    );
    for (let day = 2; day <= 5; day++) {
      await writeDump(
        `day${day}.sql.gz`,
        HEAD + BODY + trailer(`2026-11-0${day} 23:00:00`),
        new Date(`2026-11-0${day}T23:00:01Z`),
      );
    }

    const found = await findLatestDump({ directory });

    expect(found.label).toBe('day5.sql.gz');
    expect(found.stoppedAtSource).toBe('completion trailer (local time)');
  });

  it('refuses a directory without dumps, naming it', async () => {
    await writeDump('readme.txt', 'nothing');
    await expect(findLatestDump({ directory })).rejects.toThrow(
      `No mysqldump or mariadb-dump file (*.sql, *.sql.gz) in the backup directory ${directory}`,
    );
  });

  it('refuses a missing directory, naming it', async () => {
    const missing = path.join(directory, 'nope');
    await expect(findLatestDump({ directory: missing })).rejects.toThrow(
      `Cannot read the backup directory ${missing}: ENOENT`,
    );
  });
});
