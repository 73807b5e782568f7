import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { asUser } from '../postgres/processes';

const run = promisify(execFile);

/** Starts of a new test server, each on another port when its port was taken. */
const FIRST_START_ATTEMPTS = 5;

/** A test server's data directory and the log pg_ctl writes its output to. */
export interface TestServer {
  binDir: string;
  dataDir: string;
  log: string;
  /** The owner of the data directory, when the tests run as root. */
  runAsUser?: string;
}

/** The last lines the server wrote to `log` from byte `from` on. */
async function serverLogSince(log: string, from: number): Promise<string> {
  try {
    const text = (await fs.readFile(log)).subarray(from).toString('utf8');
    return `${log}:\n${text.trimEnd().split('\n').slice(-20).join('\n')}`;
  } catch (error) {
    return `${log}: ${(error as Error).message}`;
  }
}

/**
 * `pg_ctl start --wait`. When the server does not start, the error has what
 * it wrote to the log: pg_ctl only says "Examine the log output", and the
 * tests delete the log with their directory.
 */
export async function pgCtlStart(server: TestServer): Promise<void> {
  const pgCtl = path.join(server.binDir, 'pg_ctl');
  const args = [
    'start',
    `--pgdata=${server.dataDir}`,
    '--wait',
    `--log=${server.log}`,
  ];
  const logged = await fs.stat(server.log).then(
    stat => stat.size,
    () => 0,
  );
  const command = asUser({ file: pgCtl, args }, server.runAsUser);
  try {
    await run(command.file, command.args);
  } catch (error) {
    const serverLog = await serverLogSince(server.log, logged);
    throw new Error(`${(error as Error).message.trimEnd()}\n${serverLog}`);
  }
}

/**
 * The first start of a new test server, on a loopback port that was free
 * when it was chosen. Nothing holds the port until the server binds it, and
 * the suites in the other Jest workers choose from overlapping ranges: one of
 * their servers can take it in between. This server then exits ("Address
 * already in use"); `movePort` chooses the next free port and writes it into
 * the server's configuration, and the server starts again.
 */
export async function pgCtlStartOnFreePort(
  server: TestServer,
  movePort: () => Promise<void>,
): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await pgCtlStart(server);
      return;
    } catch (error) {
      if (
        attempt === FIRST_START_ATTEMPTS ||
        !String(error).includes('Address already in use')
      ) {
        throw error;
      }
    }
    await movePort();
  }
}
