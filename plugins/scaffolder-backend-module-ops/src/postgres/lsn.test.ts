import {
  compareLsn,
  formatBytes,
  formatLsn,
  lsnBytesAhead,
  parseLsn,
} from './lsn';

describe('WAL positions', () => {
  it('parses both halves as hexadecimal', () => {
    expect(parseLsn('0/0')).toBe(0n);
    expect(parseLsn('0/3000148')).toBe(0x3000148n);
    // 1/0 is 2^32 bytes in.
    expect(parseLsn('1/0')).toBe(4294967296n);
    expect(parseLsn('16/B374D848')).toBe(0x16n * 4294967296n + 0xb374d848n);
  });

  it('formats a position back as PostgreSQL prints it', () => {
    expect(formatLsn(0x16b374d848n)).toBe('16/B374D848');
    expect(formatLsn(parseLsn('0/3000148'))).toBe('0/3000148');
  });

  it('refuses text that is not a pg_lsn', () => {
    expect(() => parseLsn('3000148')).toThrow(
      "'3000148' is not a PostgreSQL WAL position (pg_lsn)",
    );
    expect(() => parseLsn('0/123456789')).toThrow();
  });

  it('measures how far one position is ahead of another, across the 4 GiB boundary', () => {
    // 0/FFFFFF00 to 1/100: 0x100 bytes to the boundary plus 0x100 after it.
    expect(lsnBytesAhead('1/100', '0/FFFFFF00')).toBe(512);
    expect(lsnBytesAhead('0/3000148', '0/3000148')).toBe(0);
    // Behind counts as nothing ahead.
    expect(lsnBytesAhead('0/3000000', '0/3000148')).toBe(0);
  });

  it('orders positions numerically, not as text, with absent ones lowest', () => {
    expect(compareLsn('0/A000000', '0/9FFFFFF')).toBe(1);
    expect(compareLsn('0/9FFFFFF', '0/A000000')).toBe(-1);
    expect(compareLsn('1/0', '0/FFFFFFFF')).toBe(1);
    expect(compareLsn('0/1', '0/1')).toBe(0);
    expect(compareLsn(undefined, '0/1')).toBe(-1);
    expect(compareLsn('0/1', undefined)).toBe(1);
    expect(compareLsn(undefined, undefined)).toBe(0);
  });

  it('prints byte counts in binary units', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(1023)).toBe('1023 B');
    expect(formatBytes(1536)).toBe('1.5 KiB');
    expect(formatBytes(16 * 1024 * 1024)).toBe('16.0 MiB');
  });
});
