import fs from 'node:fs/promises';
import path from 'node:path';
import { ConnectionFile, DatabaseEndpoint } from '../config';

const ENV_LINE = /^(\s*(?:export\s+)?)([A-Za-z_][A-Za-z0-9_]*)=(.*)$/;

/**
 * An env file pointed at the new primary, keeping everything else: PGHOST
 * and PGPORT are replaced, and so is the host:port of a `DATABASE_URL`
 * (its user, database and parameters stay). A file without either gets the
 * libpq variables appended.
 */
function rewriteEnvFile(existing: string, primary: DatabaseEndpoint): string {
  let pointed = false;
  const lines = existing.split('\n').map(line => {
    const match = ENV_LINE.exec(line);
    if (!match) {
      return line;
    }
    const [, prefix, name, value] = match;
    if (name === 'PGHOST') {
      pointed = true;
      return `${prefix}PGHOST=${primary.host}`;
    }
    if (name === 'PGPORT') {
      return `${prefix}PGPORT=${primary.port}`;
    }
    if (name === 'DATABASE_URL') {
      const quote = /^["']/.test(value) ? value[0] : '';
      const raw = quote ? value.slice(1, -1) : value;
      try {
        const url = new URL(raw);
        url.hostname = primary.host;
        url.port = String(primary.port);
        pointed = true;
        return `${prefix}DATABASE_URL=${quote}${url.toString()}${quote}`;
      } catch {
        return line;
      }
    }
    return line;
  });
  if (pointed) {
    return lines.join('\n');
  }
  const body =
    existing.length && !existing.endsWith('\n') ? `${existing}\n` : existing;
  return `${body}PGHOST=${primary.host}\nPGPORT=${primary.port}\nPGDATABASE=${primary.database}\n`;
}

/** The file's content for the new primary, from its current content (when it exists). */
export function renderConnectionFile(
  format: ConnectionFile['format'],
  primary: DatabaseEndpoint,
  details: { target: string; timeline?: number; promotedAt: string },
  existing?: string,
): string {
  if (format === 'env') {
    return rewriteEnvFile(
      existing ?? `# ${details.target}: written by ops:postgres:failover\n`,
      primary,
    );
  }
  return `${JSON.stringify(
    {
      target: details.target,
      host: primary.host,
      port: primary.port,
      database: primary.database,
      timeline: details.timeline,
      promotedAt: details.promotedAt,
    },
    null,
    2,
  )}\n`;
}

/** The file's current content, or undefined when there is none. */
export async function readConnectionFile(
  file: ConnectionFile,
): Promise<string | undefined> {
  try {
    return await fs.readFile(file.path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      return undefined;
    }
    throw error;
  }
}

/**
 * Points clients at the new primary by rewriting their connection file
 * atomically (a rename): a client never reads half a file.
 *
 * For Kubernetes, patching the Secret or ConfigMap the Deployments read is
 * the same operation against the API server; it is not written yet.
 */
export async function rewriteConnectionFile(
  file: ConnectionFile,
  content: string,
): Promise<void> {
  const temporary = path.join(
    path.dirname(file.path),
    `.${path.basename(file.path)}.${process.pid}.tmp`,
  );
  await fs.writeFile(temporary, content, { mode: 0o644 });
  await fs.rename(temporary, file.path);
}
