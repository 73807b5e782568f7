import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * psql as the postgres superuser over a test server's Unix socket (peer
 * authentication, no password), stopping at the first error; the unaligned
 * output, trimmed. `args` are psql's own (`--command=...`, `--file=...`).
 */
export async function superuserPsql(
  server: { binDir: string; socketDir: string; port: number },
  database: string,
  args: string[],
): Promise<string> {
  const { stdout } = await run(
    path.join(server.binDir, 'psql'),
    [
      `--host=${server.socketDir}`,
      `--port=${server.port}`,
      '--username=postgres',
      `--dbname=${database}`,
      '--no-psqlrc',
      '--quiet',
      '--tuples-only',
      '--no-align',
      '--set=ON_ERROR_STOP=1',
      ...args,
    ],
    // Seeding and checksum queries can print more than execFile's 1 MiB.
    { maxBuffer: 64 * 1024 * 1024 },
  );
  return stdout.trim();
}
