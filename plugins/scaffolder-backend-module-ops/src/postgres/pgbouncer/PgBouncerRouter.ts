import { DatabaseEndpoint } from '../config';
import { PgBouncerRepoint } from '../failoverConfig';
import { consoleName, PgBouncerConsole, withConsole } from './adminConsole';
import { ClientRouter, RouteSnapshot } from './clientRouter';
import {
  connectStringAddress,
  findEntry,
  pointConnectString,
  readIncludeFile,
  withEntry,
  writeIncludeFile,
} from './includeFile';

function addressOf(address: { host: string; port: number }): string {
  return `${address.host}:${address.port}`;
}

/**
 * Repoints the clients of one PgBouncer database: PAUSE, rewrite the entry
 * in the include file, RELOAD, RESUME. PgBouncer keeps a paused database
 * paused across a RELOAD, and a changed entry only affects new server
 * connections, of which a paused database has none.
 */
export class PgBouncerRouter implements ClientRouter {
  readonly kind = 'pgbouncer';

  constructor(private readonly settings: PgBouncerRepoint) {}

  get #name(): string {
    return this.settings.database;
  }

  get #where(): string {
    const { admin } = this.settings;
    return `PgBouncer ${admin.host}:${admin.port} database ${this.#name}`;
  }

  describe(): string {
    return `${this.#where}: PAUSE before the fence, point its entry in ${
      this.settings.includeFile
    } at the new primary and RELOAD, RESUME once the new primary accepts writes (on a failure before the promotion: RESUME with the old entry)`;
  }

  async #entry(): Promise<string> {
    const content = await readIncludeFile(this.settings.includeFile);
    const entry = findEntry(content, this.#name);
    if (entry === undefined) {
      throw new Error(
        `${this.settings.includeFile} has no [databases] entry '${
          this.#name
        }': move that line of pgbouncer.ini into the include file the failover owns`,
      );
    }
    return entry;
  }

  async capture(): Promise<RouteSnapshot> {
    const entry = await this.#entry();
    const inFile = connectStringAddress(entry);
    const served = await withConsole(this.settings.admin, session =>
      session.database(this.#name),
    );
    if (!served) {
      throw new Error(
        `${this.#where}: SHOW DATABASES has no database ${this.#name}`,
      );
    }
    // What PgBouncer serves must be what the file says, or rewriting the
    // file would not move the clients (the file is not %include'd, or was
    // edited without a RELOAD).
    if (served.host !== inFile.host || served.port !== inFile.port) {
      throw new Error(
        `${this.#where} sends clients to ${addressOf(served)}, but ${
          this.settings.includeFile
        } says ${addressOf(
          inFile,
        )}: is the file %include'd by pgbouncer.ini, and was PgBouncer reloaded after its last edit?`,
      );
    }
    return { route: entry, address: addressOf(inFile) };
  }

  async pause(): Promise<string> {
    const started = Date.now();
    const session = await PgBouncerConsole.connect(this.settings.admin);
    try {
      // PAUSE returns once every server connection of the database is
      // released: in transaction pooling, when the transactions in flight
      // end. PAUSE of a paused database returns at once.
      await session.command(
        `PAUSE ${consoleName(this.#name)}`,
        this.settings.pauseTimeoutSeconds * 1000,
      );
    } finally {
      // Closed even when PAUSE is still waiting: the caller resumes on a
      // new session.
      await session.close();
    }
    return `${this.#where} paused in ${
      Date.now() - started
    } ms: new queries wait, no server connection is open`;
  }

  async repoint(primary: DatabaseEndpoint): Promise<string> {
    const file = this.settings.includeFile;
    const content = await readIncludeFile(file);
    const entry = await this.#entry();
    const pointed = pointConnectString(entry, primary);
    if (pointed !== entry) {
      await writeIncludeFile(file, withEntry(content, this.#name, pointed));
    }
    return withConsole(this.settings.admin, async session => {
      await session.command('RELOAD');
      const served = await session.database(this.#name);
      if (
        !served ||
        served.host !== primary.host ||
        served.port !== primary.port
      ) {
        throw new Error(
          `${this.#where} still sends clients to ${
            served ? addressOf(served) : 'nowhere'
          } after RELOAD of ${file}`,
        );
      }
      return `${file}: ${this.#name} = ${pointed}; RELOAD: PgBouncer sends ${
        this.#name
      } to ${addressOf(primary)}${served.paused ? ' (still paused)' : ''}`;
    });
  }

  async resume(): Promise<string> {
    return withConsole(this.settings.admin, async session => {
      const before = await session.database(this.#name);
      // RESUME of a database that is not paused is an error in PgBouncer;
      // a retried task may find it resumed already.
      if (before && !before.paused) {
        return `${this.#where} was not paused`;
      }
      await session.command(`RESUME ${consoleName(this.#name)}`);
      return `${this.#where} resumed: clients go on to ${
        before ? addressOf(before) : 'its entry'
      }`;
    });
  }

  async restore(snapshot: RouteSnapshot): Promise<string> {
    const file = this.settings.includeFile;
    let restored = `${file} unchanged`;
    if (snapshot.route !== undefined) {
      const content = await readIncludeFile(file);
      if (findEntry(content, this.#name) !== snapshot.route) {
        await writeIncludeFile(
          file,
          withEntry(content, this.#name, snapshot.route),
        );
        restored = `${file}: ${this.#name} = ${snapshot.route} again`;
      }
    }
    // RESUME even when the RELOAD fails: clients held forever are an outage.
    const reloaded = await withConsole(this.settings.admin, async session => {
      await session.command('RELOAD');
      const served = await session.database(this.#name);
      return `RELOAD: ${this.#name} → ${
        served ? addressOf(served) : 'unknown'
      }`;
    }).catch(
      error =>
        `RELOAD failed: ${error instanceof Error ? error.message : error}`,
    );
    const resumed = await this.resume();
    return `${restored}; ${reloaded}; ${resumed}`;
  }
}

/** The router of a target's failover settings; undefined when clients connect directly. */
export function createClientRouter(
  repoint: PgBouncerRepoint | undefined,
): ClientRouter | undefined {
  return repoint ? new PgBouncerRouter(repoint) : undefined;
}
