import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import mysql from 'mysql2/promise';
import { isLoopbackPortOpen } from '../../postgres/scratch/network';
import {
  lookupUserIds,
  processesOfInstance,
} from '../../postgres/scratch/serverProcesses';
import {
  instanceOptions,
  makeWorkDir,
  MARIADB_MISSING,
  MARIADB_RUN_AS,
  startedInstance,
} from '../testUtils/mariadbTestServer';
import { MysqlScratchInstance } from './scratchInstance';

// Real MariaDB scratch instances (as the mysql user when the tests run as
// root) on free loopback ports, in a work directory of their own.

jest.setTimeout(120_000);

let workDir: string;

beforeEach(async () => {
  workDir = await makeWorkDir();
});

afterEach(async () => {
  await MysqlScratchInstance.removeLeftovers(instanceOptions(workDir));
  await fs.rm(workDir, { recursive: true, force: true });
});

async function serverUserOf(pid: number): Promise<number> {
  const status = await fs.readFile(`/proc/${pid}/status`, 'utf8');
  return Number(/^Uid:\s+(\d+)/m.exec(status)?.[1]);
}

const describeWithMariadb = MARIADB_MISSING ? describe.skip : describe;

describeWithMariadb(`MysqlScratchInstance${MARIADB_MISSING ?? ''}`, () => {
  it('runs a server on loopback as the unprivileged user, answers queries, and leaves nothing once destroyed', async () => {
    const instance = await startedInstance(workDir);
    const port = instance.port!;
    expect(await isLoopbackPortOpen(port)).toBe(true);

    const connection = await instance.connection();
    try {
      await connection.query('CREATE DATABASE tasks');
      await connection.query(
        'CREATE TABLE tasks.items (id INT PRIMARY KEY, title TEXT)',
      );
      await connection.query(
        "INSERT INTO tasks.items VALUES (1, 'one'), (2, 'two')",
      );
      const [rows] = await connection.query(
        'SELECT COUNT(*) AS n FROM tasks.items',
      );
      // Counts come as strings: big integers stay whole.
      expect(rows).toEqual([{ n: '2' }]);
      const [settings] = await connection.query(
        'SELECT @@bind_address AS bind, @@innodb_flush_log_at_trx_commit AS flush, @@event_scheduler AS events, @@log_bin AS binlog',
      );
      expect(settings).toEqual([
        { bind: '127.0.0.1', flush: '0', events: 'OFF', binlog: '0' },
      ]);
    } finally {
      await connection.end();
    }

    const [pid] = await processesOfInstance(instance.rootDir, undefined);
    // As root the server runs as the configured user; otherwise as us.
    const expectedUid = MARIADB_RUN_AS
      ? (await lookupUserIds(MARIADB_RUN_AS)).uid
      : os.userInfo().uid;
    expect(await serverUserOf(pid)).toBe(expectedUid);
    const stat = await fs.stat(instance.rootDir);
    expect(stat.mode & 0o777).toBe(0o700);

    const proof = await instance.destroy();
    expect(proof).toMatchObject({
      clean: true,
      processesLeft: [],
      portOpen: false,
      directoryExists: false,
    });
    expect(proof.summary).toMatch(/^Nothing left: stopped mariadbd/);
  });

  it('lets the mariadb client in over the socket, and nobody in over TCP without a password', async () => {
    const instance = await startedInstance(workDir);
    try {
      const output = await new Promise<string>((resolve, reject) => {
        const child = spawn(instance.clientProgram, [
          ...instance.clientArgs(),
          '--batch',
          '--skip-column-names',
          '--execute=SELECT 6*7',
        ]);
        let out = '';
        child.stdout.on('data', chunk => (out += chunk));
        child.on('error', reject);
        child.on('close', () => resolve(out.trim()));
      });
      expect(output).toBe('42');

      await expect(
        mysql.createConnection({
          host: '127.0.0.1',
          port: instance.port,
          user: 'root',
        }),
      ).rejects.toThrow(/not allowed to connect|Access denied/);
    } finally {
      expect((await instance.destroy()).clean).toBe(true);
    }
  });

  it('fails a start with the error log, and cleans up after it', async () => {
    const instance = await MysqlScratchInstance.create(
      instanceOptions(workDir),
    );
    // Never initialized: the server finds no system tables and exits.
    await fs.mkdir(instance.dataDir);
    await instance.handToServer(instance.dataDir, 0o700);
    await expect(instance.start()).rejects.toThrow(
      /mariadbd exited with code \d+: .*(mysql\.|Aborting)/,
    );
    expect((await instance.destroy()).clean).toBe(true);
  });

  it('kills the server when the start is cancelled, and cleans up', async () => {
    const controller = new AbortController();
    const instance = await MysqlScratchInstance.create(
      instanceOptions(workDir, { signal: controller.signal }),
    );
    await instance.initialize();
    const starting = instance.start();
    setTimeout(() => controller.abort(), 50);
    await expect(starting).rejects.toThrow(/cancelled/);
    expect((await instance.destroy()).clean).toBe(true);
  });

  it("removes what a killed backend's attempt left: the running server, its port and directory", async () => {
    const instance = await startedInstance(workDir, { prefix: 'opsdeck-my-' });
    const port = instance.port!;
    // A new backend process knows nothing of the instance but the prefix.
    const proofs = await MysqlScratchInstance.removeLeftovers(
      instanceOptions(workDir),
    );
    expect(proofs).toHaveLength(1);
    expect(proofs[0]).toMatchObject({ clean: true });
    expect(proofs[0].summary).toContain(`127.0.0.1:${port} refuses`);
    expect(await fs.readdir(workDir)).toEqual([]);
    expect(await isLoopbackPortOpen(port)).toBe(false);
  });

  it('stops a server that no longer answers by signal', async () => {
    const instance = await startedInstance(workDir);
    const [pid] = await processesOfInstance(instance.rootDir, undefined);
    // A hung server: mariadb-admin cannot reach it, the signals must.
    process.kill(pid, 'SIGSTOP');
    const proof = await instance.destroy();
    // On failure the summary is printed: it says what was left.
    expect(proof.summary).toMatch(/^Nothing left: .*(SIGTERM|SIGKILL)/);
    expect(proof.clean).toBe(true);
  });
});
