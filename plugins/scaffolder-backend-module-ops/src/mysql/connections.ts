import mysql, { Connection, ConnectionOptions } from 'mysql2/promise';
import { DatabaseEndpoint, endpointPassword } from '../postgres/config';

// Every session the drill opens prints values the same way on the source and
// on the restored copy: times in UTC, dates and decimals as the server's
// strings, big integers whole, so values compare as text.
const SESSION_OPTIONS: ConnectionOptions = {
  timezone: 'Z',
  dateStrings: true,
  supportBigNumbers: true,
  bigNumberStrings: true,
  decimalNumbers: false,
  // One statement per query: a configured check cannot append a write.
  multipleStatements: false,
  connectTimeout: 15_000,
};

async function open(options: ConnectionOptions): Promise<Connection> {
  const connection = await mysql.createConnection({
    ...SESSION_OPTIONS,
    ...options,
  });
  // A failing server must not crash the backend through an unhandled 'error'.
  connection.on('error', () => {});
  await connection.query("SET time_zone = '+00:00'");
  return connection;
}

/** A session over a server's Unix socket (a scratch instance). */
export function connectToSocket(options: {
  socketPath: string;
  user: string;
  database?: string;
}): Promise<Connection> {
  return open(options);
}

/** A session with a configured server of a target (its source or replica). */
export function connectToEndpoint(
  endpoint: DatabaseEndpoint,
): Promise<Connection> {
  return open({
    host: endpoint.host,
    port: endpoint.port,
    user: endpoint.user,
    database: endpoint.database,
    password: endpointPassword(endpoint),
  });
}
