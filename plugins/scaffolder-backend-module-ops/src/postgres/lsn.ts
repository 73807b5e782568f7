// PostgreSQL write-ahead log positions (pg_lsn), e.g. `0/3000148`: two
// hexadecimal 32-bit halves. Compared and subtracted as 64-bit integers.

const LSN = /^([0-9A-Fa-f]{1,8})\/([0-9A-Fa-f]{1,8})$/;

/** Parses a pg_lsn text into its byte position. */
export function parseLsn(text: string): bigint {
  const match = LSN.exec(text.trim());
  if (!match) {
    throw new Error(`'${text}' is not a PostgreSQL WAL position (pg_lsn)`);
  }
  return (BigInt(`0x${match[1]}`) << 32n) + BigInt(`0x${match[2]}`);
}

/** Formats a byte position as pg_lsn text. */
export function formatLsn(position: bigint): string {
  const high = position >> 32n;
  const low = position & 0xffffffffn;
  return `${high.toString(16).toUpperCase()}/${low.toString(16).toUpperCase()}`;
}

/** Bytes from `from` to `to`; 0 when `to` is not ahead of `from`. */
export function lsnBytesAhead(to: string, from: string): number {
  const difference = parseLsn(to) - parseLsn(from);
  return difference > 0n ? Number(difference) : 0;
}

/** Orders two optional positions; an absent one sorts below any position. */
export function compareLsn(a?: string, b?: string): number {
  if (a === undefined || b === undefined) {
    return (a === undefined ? 0 : 1) - (b === undefined ? 0 : 1);
  }
  const difference = parseLsn(a) - parseLsn(b);
  if (difference === 0n) {
    return 0;
  }
  return difference > 0n ? 1 : -1;
}

/** `0 B`, `512 B`, `16.0 MiB` */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) {
    return `${bytes} B`;
  }
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value.toFixed(1)} ${units[unit]}`;
}
