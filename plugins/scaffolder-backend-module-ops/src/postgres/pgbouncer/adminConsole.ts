import { Client } from 'pg';
import { PgBouncerRepoint } from '../failoverConfig';

/** A row of `SHOW DATABASES` (the columns the failover reads). */
export interface PgBouncerDatabase {
  name: string;
  host: string;
  port: number;
  database: string;
  paused: boolean;
  disabled: boolean;
}

/** The admin user's password, from the environment when configured so. */
function adminPassword(
  admin: PgBouncerRepoint['admin'],
  env: NodeJS.ProcessEnv = process.env,
): string | undefined {
  if (!admin.passwordEnv) {
    return admin.password;
  }
  const password = env[admin.passwordEnv];
  if (password === undefined) {
    throw new Error(
      `The environment variable ${admin.passwordEnv} that holds the password of PgBouncer's admin user ${admin.user} is not set on the backend`,
    );
  }
  return password;
}

/** A console command word: PgBouncer's console accepts a double-quoted name. */
export function consoleName(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/**
 * One session on PgBouncer's admin console (the `pgbouncer` database). The
 * console speaks the simple query protocol only: queries here never take
 * parameters (pg sends a parameterless query as a simple query), which is
 * why names are validated in the config and quoted with `consoleName`.
 */
export class PgBouncerConsole {
  static async connect(
    admin: PgBouncerRepoint['admin'],
    options: { connectTimeoutMs?: number } = {},
  ): Promise<PgBouncerConsole> {
    const client = new Client({
      host: admin.host,
      port: admin.port,
      user: admin.user,
      password: adminPassword(admin),
      database: 'pgbouncer',
      connectionTimeoutMillis: options.connectTimeoutMs ?? 5_000,
    });
    // An error of the idle socket must not crash the backend; the next
    // query reports it.
    client.on('error', () => {});
    try {
      await client.connect();
    } catch (error) {
      await client.end().catch(() => {});
      throw new Error(
        `Cannot reach PgBouncer's admin console at ${admin.host}:${
          admin.port
        } as ${admin.user}: ${
          error instanceof Error ? error.message : String(error)
        }`,
      );
    }
    return new PgBouncerConsole(client, `${admin.host}:${admin.port}`);
  }

  private constructor(
    private readonly client: Client,
    readonly address: string,
  ) {}

  /**
   * Runs one console command; rejects after `timeoutMs` (the command may
   * still be under way in PgBouncer: the caller closes this session).
   */
  async command(sql: string, timeoutMs = 10_000): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        this.client.query(sql),
        new Promise((_, reject) => {
          timer = setTimeout(
            () =>
              reject(
                new Error(
                  `PgBouncer ${this.address} did not answer ${sql} within ${
                    timeoutMs / 1000
                  } s`,
                ),
              ),
            timeoutMs,
          );
        }),
      ]);
    } finally {
      clearTimeout(timer);
    }
  }

  async showDatabases(): Promise<PgBouncerDatabase[]> {
    const { rows } = await this.client.query('SHOW DATABASES');
    return rows.map(row => ({
      name: String(row.name),
      host: row.host === null ? '' : String(row.host),
      port: Number(row.port),
      database: String(row.database),
      paused: Number(row.paused) === 1,
      disabled: Number(row.disabled) === 1,
    }));
  }

  async database(name: string): Promise<PgBouncerDatabase | undefined> {
    return (await this.showDatabases()).find(row => row.name === name);
  }

  async close(): Promise<void> {
    await this.client.end().catch(() => {});
  }
}

/** Runs `fn` on a fresh console session and closes it. */
export async function withConsole<T>(
  admin: PgBouncerRepoint['admin'],
  fn: (console: PgBouncerConsole) => Promise<T>,
): Promise<T> {
  const session = await PgBouncerConsole.connect(admin);
  try {
    return await fn(session);
  } finally {
    await session.close();
  }
}
