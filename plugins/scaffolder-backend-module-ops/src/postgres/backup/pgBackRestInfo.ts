// What the drill reads of pgBackRest's own output: `pgbackrest info
// --output=json` and the time format of its --target.

/** One backup of `pgbackrest info --output=json`, the fields the drill reads. */
export interface InfoBackup {
  label: string;
  type: string;
  error?: boolean;
  timestamp: { start: number; stop: number };
  archive?: { start?: string; stop?: string };
  database?: { id: number };
}

interface InfoStanza {
  name: string;
  status: { code: number; message: string };
  backup?: InfoBackup[];
  archive?: Array<{ database?: { id: number }; max?: string; min?: string }>;
}

/**
 * Reads the stanza's newest backup and newest archived WAL segment from
 * `pgbackrest info --output=json`; throws with pgBackRest's own status
 * message when the stanza has none.
 */
export function parsePgBackRestInfo(
  json: string,
  stanza: string,
): { backup: InfoBackup; newestSegment?: string } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    throw new Error(
      `pgbackrest info did not print JSON: ${json.slice(0, 200)}`,
    );
  }
  const entry = (Array.isArray(parsed) ? (parsed as InfoStanza[]) : []).find(
    item => item?.name === stanza,
  );
  if (!entry) {
    throw new Error(`pgbackrest info does not list the stanza ${stanza}`);
  }
  const backups = entry.backup ?? [];
  // pgBackRest lists backups oldest first.
  const backup = backups[backups.length - 1];
  if (!backup) {
    throw new Error(
      `The pgBackRest stanza ${stanza} has no backup (status ${entry.status?.code}: ${entry.status?.message})`,
    );
  }
  const segments = (entry.archive ?? [])
    .filter(
      archive =>
        backup.database === undefined ||
        archive.database?.id === backup.database.id,
    )
    .map(archive => archive.max)
    .filter((max): max is string => typeof max === 'string')
    .sort();
  return { backup, newestSegment: segments[segments.length - 1] };
}

/**
 * A time as pgBackRest's --target reads it (and PostgreSQL's
 * recovery_target_time): `2026-12-02 09:30:00.000+00`, in UTC.
 */
export function pgBackRestTime(time: Date): string {
  return time.toISOString().replace('T', ' ').replace('Z', '+00');
}
