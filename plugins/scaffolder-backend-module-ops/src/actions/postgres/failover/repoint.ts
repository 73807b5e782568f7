import fs from 'node:fs/promises';
import path from 'node:path';
import { ConnectionFile, DatabaseEndpoint } from '../config';

/** The file's content for the new primary. */
export function renderConnectionFile(
  format: ConnectionFile['format'],
  primary: DatabaseEndpoint,
  details: { target: string; timeline?: number; promotedAt: string },
): string {
  if (format === 'env') {
    // libpq's variable names: `set -a; . file` or a systemd EnvironmentFile.
    return [
      `# ${details.target}: primary since ${details.promotedAt}, written by ops:postgres:failover`,
      `PGHOST=${primary.host}`,
      `PGPORT=${primary.port}`,
      `PGDATABASE=${primary.database}`,
      '',
    ].join('\n');
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
