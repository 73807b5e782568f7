import fs from 'node:fs/promises';
import path from 'node:path';
import { DatabaseEndpoint } from '../config';

// PgBouncer's `[databases]` lines in the file the failover owns: `name =
// libpq-style connect string`. Everything else in the file (comments, other
// entries, other sections) is kept as it is.

const SECTION = /^\s*\[([^\]]+)\]\s*$/;
const ENTRY = /^(\s*)([^=\s;#]+)(\s*=\s*)(.*?)\s*$/;
const PARAMETER = /\s*([A-Za-z_]+)\s*=\s*('(?:[^'\\]|\\.)*'|[^'\s]*)/y;

/** The `key=value` pairs of a connect string, in order; quoted values stay quoted. */
export function parseConnectString(value: string): Array<[string, string]> {
  const pairs: Array<[string, string]> = [];
  // A failed sticky match resets lastIndex: keep the position apart.
  let position = 0;
  while (position < value.length) {
    PARAMETER.lastIndex = position;
    const match = PARAMETER.exec(value);
    if (!match) {
      break;
    }
    pairs.push([match[1], match[2]]);
    position = PARAMETER.lastIndex;
  }
  if (value.slice(position).trim() !== '') {
    throw new Error(`cannot read the connect string '${value}'`);
  }
  return pairs;
}

function unquote(value: string): string {
  return value.startsWith("'")
    ? value.slice(1, -1).replace(/\\(.)/g, '$1')
    : value;
}

/** `host:port` a connect string sends the clients to (PgBouncer's defaults: a socket, 5432). */
export function connectStringAddress(value: string): {
  host: string;
  port: number;
} {
  const pairs = new Map(parseConnectString(value));
  const host = pairs.get('host');
  const port = pairs.get('port');
  return {
    host: host === undefined ? '' : unquote(host),
    port: port === undefined ? 5432 : Number(unquote(port)),
  };
}

/** The connect string with host and port of `primary`; user, dbname, pool settings stay. */
export function pointConnectString(
  value: string,
  primary: DatabaseEndpoint,
): string {
  const pairs = parseConnectString(value).filter(
    ([key]) => key !== 'host' && key !== 'port',
  );
  return [
    `host=${primary.host}`,
    `port=${primary.port}`,
    ...pairs.map(([key, v]) => `${key}=${v}`),
  ].join(' ');
}

/** Lines of the `[databases]` section (or before any section: an included file continues it). */
function entryLines(
  lines: string[],
  database: string,
): Array<{ index: number; match: RegExpExecArray }> {
  let inDatabases = true;
  const found: Array<{ index: number; match: RegExpExecArray }> = [];
  lines.forEach((line, index) => {
    const section = SECTION.exec(line);
    if (section) {
      inDatabases = section[1].trim().toLowerCase() === 'databases';
      return;
    }
    const match = ENTRY.exec(line);
    if (inDatabases && match && match[2] === database) {
      found.push({ index, match });
    }
  });
  return found;
}

/** The connect string of `database` in the file's content; undefined when it has none. */
export function findEntry(
  content: string,
  database: string,
): string | undefined {
  const found = entryLines(content.split('\n'), database);
  // PgBouncer takes the last definition of a name.
  return found.length ? found[found.length - 1].match[4] : undefined;
}

/** The content with the entry of `database` set to `connectString`, everything else kept. */
export function withEntry(
  content: string,
  database: string,
  connectString: string,
): string {
  const lines = content.split('\n');
  const found = entryLines(lines, database);
  if (found.length === 0) {
    throw new Error(`has no [databases] entry '${database}'`);
  }
  for (const { index, match } of found) {
    lines[index] = `${match[1]}${match[2]}${match[3]}${connectString}`;
  }
  return lines.join('\n');
}

export async function readIncludeFile(file: string): Promise<string> {
  try {
    return await fs.readFile(file, 'utf8');
  } catch (error) {
    throw new Error(
      `Cannot read PgBouncer's include file ${file}: ${
        error instanceof Error ? error.message : String(error)
      }`,
    );
  }
}

/**
 * Replaces the file atomically (a temporary file in the same directory, then
 * a rename), keeping its mode: a RELOAD never reads half a file.
 */
export async function writeIncludeFile(
  file: string,
  content: string,
): Promise<void> {
  const mode = await fs
    .stat(file)
    .then(stat => stat.mode & 0o777)
    .catch(() => 0o644);
  const temporary = path.join(
    path.dirname(file),
    `.${path.basename(file)}.${process.pid}.tmp`,
  );
  try {
    await fs.writeFile(temporary, content, { mode });
    // writeFile's mode is masked by the umask; PgBouncer must read the file.
    await fs.chmod(temporary, mode);
    await fs.rename(temporary, file);
  } catch (error) {
    await fs.rm(temporary, { force: true });
    throw error;
  }
}
