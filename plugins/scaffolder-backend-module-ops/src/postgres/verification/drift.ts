/**
 * Wording of drift: a difference between the restored copy and the live
 * source that the source's own changes since the backup explain. It is
 * reported, never failed: a backup is an earlier moment.
 */
export const DRIFT = 'drift since the backup';

/** `+32 rows`, `-1 row`: how the source's count moved since the backup. */
export function rowDifference(source: bigint, restored: bigint): string {
  const difference = source - restored;
  const magnitude = difference < 0n ? -difference : difference;
  return `${difference < 0n ? '-' : '+'}${magnitude} row${
    magnitude === 1n ? '' : 's'
  }`;
}
