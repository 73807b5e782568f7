import { setTimeout as sleep } from 'node:timers/promises';
import path from 'node:path';
import { Client } from 'pg';
import { DatabaseEndpoint, FailoverSettings } from '../config';
import { closeQuietly, connectForFailover } from '../connections';
import { asUser, postgresEnvironment, runCommand } from '../processes';

/** What a fence did; `lsn` is the primary's last WAL position once fenced. */
export interface FenceResult {
  /** WAL the replica must have replayed for zero data loss; absent when unknown. */
  lsn?: string;
  output: string;
}

/**
 * Keeps writers off the old primary. Implementations are idempotent: a
 * resumed failover fences again before it promotes.
 *
 * A Kubernetes implementation (scale the writers' Deployments to 0,
 * remembering their replica counts in the task's checkpoints, and scale them
 * back in `restoreWriters`) fits this interface; it is not written yet.
 */
export interface WriterFence {
  readonly method: string;
  /** What `fence` will do, for the dry run's plan. */
  describe(): string;
  fence(signal?: AbortSignal): Promise<FenceResult>;
  /** Undoes the fence on the old primary, when the failover stops before promoting. */
  unfence(): Promise<string>;
}

const WAIT_STEP_MS = 50;

async function waitFor(
  what: string,
  check: () => Promise<boolean>,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) {
      throw new Error(`Timed out after ${timeoutMs / 1000} s waiting ${what}`);
    }
    await sleep(WAIT_STEP_MS);
  }
}

async function withSession<T>(
  endpoint: DatabaseEndpoint,
  fn: (client: Client) => Promise<T>,
): Promise<T> {
  const client = await connectForFailover(endpoint);
  try {
    return await fn(client);
  } finally {
    await closeQuietly(client);
  }
}

/**
 * `ALTER SYSTEM SET default_transaction_read_only = on`, reload, then end
 * every client session so that none keeps writing. New sessions start
 * read-only. A client that turns read-only off in its own session can still
 * write: use `stop` (or a network fence) where clients cannot be trusted.
 */
export class ReadOnlyFence implements WriterFence {
  readonly method = 'read-only';

  constructor(private readonly primary: DatabaseEndpoint) {}

  describe(): string {
    return `make ${this.primary.host}:${this.primary.port} read-only (ALTER SYSTEM SET default_transaction_read_only = on, pg_reload_conf()) and end its client sessions`;
  }

  async fence(): Promise<FenceResult> {
    return withSession(this.primary, async client => {
      await client.query('ALTER SYSTEM SET default_transaction_read_only = on');
      await client.query('SELECT pg_reload_conf()');
      // The reload is asynchronous: only end the sessions once a new one
      // starts read-only, or a client could reconnect writable in between.
      await waitFor(
        'for the reload to make new sessions read-only',
        async () =>
          withSession(this.primary, async probe => {
            const { rows } = await probe.query(
              'SHOW default_transaction_read_only',
            );
            return rows[0].default_transaction_read_only === 'on';
          }),
        10_000,
      );
      const { rows: ended } = await client.query<{ pid: number }>(
        // Materialized: the planner must not call pg_terminate_backend on
        // this session before the filter excludes it.
        `WITH sessions AS MATERIALIZED (
           SELECT pid FROM pg_stat_activity
            WHERE backend_type = 'client backend' AND pid <> pg_backend_pid())
         SELECT pid FROM sessions WHERE pg_terminate_backend(pid)`,
      );
      const pids = ended.map(row => row.pid);
      // Their open transactions roll back as they exit; the WAL position is
      // read after that, so it covers every commit they were acknowledged.
      await waitFor(
        'for the ended sessions to exit',
        async () => {
          const { rows } = await client.query(
            'SELECT count(*)::int AS n FROM pg_stat_activity WHERE pid = ANY($1)',
            [pids],
          );
          return rows[0].n === 0;
        },
        10_000,
      );
      const { rows } = await client.query(
        'SELECT pg_current_wal_lsn()::text AS lsn',
      );
      return {
        lsn: rows[0].lsn,
        output: `default_transaction_read_only = on; ended ${pids.length} client session(s); WAL at ${rows[0].lsn}`,
      };
    });
  }

  async unfence(): Promise<string> {
    return withSession(this.primary, async client => {
      await client.query('ALTER SYSTEM RESET default_transaction_read_only');
      await client.query('SELECT pg_reload_conf()');
      return `${this.primary.host}:${this.primary.port} accepts writes again (ALTER SYSTEM RESET default_transaction_read_only)`;
    });
  }
}

/** `pg_ctl stop -m fast` of a primary on this host; the shutdown checkpoint is the last WAL. */
export class StopFence implements WriterFence {
  readonly method = 'stop';

  constructor(
    private readonly dataDir: string,
    private readonly binDir: string,
    private readonly runAsUser: string | undefined,
  ) {}

  describe(): string {
    return `stop the primary with pg_ctl stop --mode=fast --pgdata=${this.dataDir}`;
  }

  #pgCtl(args: string[], signal?: AbortSignal) {
    return runCommand(
      asUser({ file: path.join(this.binDir, 'pg_ctl'), args }, this.runAsUser),
      { env: postgresEnvironment(), signal },
    );
  }

  async #running(): Promise<boolean> {
    return this.#pgCtl(['status', `--pgdata=${this.dataDir}`]).then(
      () => true,
      () => false,
    );
  }

  async fence(signal?: AbortSignal): Promise<FenceResult> {
    const wasRunning = await this.#running();
    if (wasRunning) {
      await this.#pgCtl(
        ['stop', `--pgdata=${this.dataDir}`, '--mode=fast', '--wait'],
        signal,
      );
    }
    // The walsenders send everything up to the shutdown checkpoint before
    // the server exits; its location is the last WAL the primary wrote.
    const { stdout } = await runCommand(
      asUser(
        {
          file: path.join(this.binDir, 'pg_controldata'),
          args: [`--pgdata=${this.dataDir}`],
        },
        this.runAsUser,
      ),
      { env: postgresEnvironment(), signal },
    );
    const lsn = /^Latest checkpoint location:\s*(\S+)$/m.exec(stdout)?.[1];
    return {
      lsn,
      output: `${wasRunning ? 'stopped' : 'already stopped'}: ${
        this.dataDir
      }; shutdown checkpoint at ${lsn ?? 'unknown'}`,
    };
  }

  async unfence(): Promise<string> {
    if (await this.#running()) {
      return 'the old primary is running';
    }
    await this.#pgCtl([
      'start',
      `--pgdata=${this.dataDir}`,
      '--wait',
      `--log=${path.join(this.dataDir, 'opsdeck-failover-restart.log')}`,
    ]);
    return `started the old primary again (${this.dataDir})`;
  }
}

export function createWriterFence(options: {
  primary: DatabaseEndpoint;
  settings: FailoverSettings;
  binDir: string;
  runAsUser?: string;
}): WriterFence {
  const { primary, settings } = options;
  if (settings.fence.method === 'stop') {
    return new StopFence(
      settings.fence.dataDir!,
      options.binDir,
      options.runAsUser,
    );
  }
  return new ReadOnlyFence(primary);
}
