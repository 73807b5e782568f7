import { Client, ClientConfig, QueryConfig, QueryResultRow } from 'pg';
import { DatabaseEndpoint, endpointPassword } from './config';

// Every session the drill opens is read-only, and prints values the same way
// on the source and on the restored copy, so `row::text` compares.
const SESSION_OPTIONS = [
  '-c default_transaction_read_only=on',
  '-c TimeZone=UTC',
  '-c DateStyle=ISO',
  '-c IntervalStyle=postgres',
  '-c extra_float_digits=1',
  '-c bytea_output=hex',
].join(' ');

/** Opens a read-only session. */
export async function connectReadOnly(
  config: Pick<ClientConfig, 'host' | 'port' | 'user' | 'database'> & {
    password?: string;
  },
): Promise<Client> {
  const client = new Client({
    ...config,
    options: SESSION_OPTIONS,
    application_name: 'opsdeck-backup-drill',
    connectionTimeoutMillis: 15_000,
  });
  // A failing server must not crash the backend through an unhandled 'error'.
  client.on('error', () => {});
  await client.connect();
  return client;
}

/** Opens a read-only session to a configured server of a target. */
export function connectToEndpoint(endpoint: DatabaseEndpoint): Promise<Client> {
  return connectReadOnly({
    host: endpoint.host,
    port: endpoint.port,
    user: endpoint.user,
    database: endpoint.database,
    password: endpointPassword(endpoint),
  });
}

/**
 * Runs one statement with the extended protocol, which refuses several
 * statements in one string: a configured check cannot end the read-only
 * transaction and write.
 */
export async function querySingleStatement<R extends QueryResultRow = any>(
  client: Client,
  text: string,
  values: unknown[] = [],
  rowMode?: 'array',
): Promise<R[]> {
  const query: QueryConfig & { queryMode: 'extended'; rowMode?: 'array' } = {
    text,
    values,
    queryMode: 'extended',
    rowMode,
  };
  const result = await client.query<R>(query);
  return result.rows;
}

/** Closes a session, ignoring errors of an already broken one. */
export async function closeQuietly(client: Client | undefined): Promise<void> {
  await client?.end().catch(() => {});
}

/**
 * The endpoint as the failover's role (`failover.user`, `failover.passwordEnv`)
 * sees it: the same server, with the role that may fence and promote.
 */
export function failoverEndpoint(
  endpoint: DatabaseEndpoint,
  settings: { user?: string; passwordEnv?: string; password?: string },
): DatabaseEndpoint {
  return settings.user
    ? {
        ...endpoint,
        user: settings.user,
        passwordEnv: settings.passwordEnv,
        password: settings.password,
      }
    : endpoint;
}

/**
 * Opens a session of the failover (writable: it fences, promotes and writes
 * the canary). Short timeouts: a failover must not hang on a dead server.
 */
export async function connectForFailover(
  endpoint: DatabaseEndpoint,
  options: { connectTimeoutMs?: number } = {},
): Promise<Client> {
  const client = new Client({
    host: endpoint.host,
    port: endpoint.port,
    user: endpoint.user,
    database: endpoint.database,
    password: endpointPassword(endpoint),
    options: '-c TimeZone=UTC -c statement_timeout=120s',
    application_name: 'opsdeck-failover',
    connectionTimeoutMillis: options.connectTimeoutMs ?? 5_000,
  });
  client.on('error', () => {});
  await client.connect();
  return client;
}
